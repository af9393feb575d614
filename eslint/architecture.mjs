/**
 * The project's layers, as data: which parts of lib/ may import which, what
 * each part shows the rest of the code, and what may reach a browser. The
 * `layers/imports` rule (./layer-rule.mjs) enforces it; docs/decisions/008
 * explains it. A new service is one line in FEATURES.
 */

/**
 * The parts of lib/ that are services or features: the modules the rest of the
 * code may import (`public`) and the other parts it may import itself (`uses`).
 * `contract` is the browser-safe half of a part (limits, request schemas,
 * replies); every other module of a part is server-only. Tests and benchmarks
 * may reach past these rules: they sit above everything they exercise.
 */
export const FEATURES = {
  //           modules others import      parts it may import
  authoring: { public: ['problems', 'yaml-file', 'shown-labs'], uses: [] },
  content: { public: ['index'], uses: ['authoring'] },
  runner: { public: ['index'], uses: [] },
  store: { public: ['index'], uses: [] },
  lambda: { public: ['index'], uses: ['runner', 'store', 'http', 'aws'] },
  learner: { public: ['index', 'contract'], uses: ['content', 'store'] },
  labs: {
    public: ['index', 'contract'],
    uses: ['authoring', 'events', 'lambda', 'learner', 'runner', 'store'],
  },
  course: { public: ['index'], uses: ['authoring', 'content', 'iam', 'labs'] },
  iam: { public: ['index', 'contract'], uses: ['authoring'] },
  // states: { public: ['index', 'contract'], uses: ['lambda'] },
  // apigateway: { public: ['index', 'contract'], uses: ['lambda', 'states'] },
};

/**
 * Small libraries with no state of their own: any of their modules may be
 * imported by any part. `browser` ones hold no Node code and may reach a
 * browser bundle.
 */
export const UTILITIES = {
  charts: { browser: true },
  pricing: { browser: true, uses: ['charts'] },
  events: { browser: false },
  http: { browser: false, uses: ['aws'] },
  aws: { browser: false },
};

/** The composition root: it wires every part together for the Next.js app and server.ts. */
export const COMPOSITION_ROOT = 'server';

/** Packages lib/ never imports: it is framework-free, so the runner, scripts and tests use it without Next or React. */
export const FRAMEWORK_PACKAGES = [
  'next',
  'react',
  'react-dom',
  '@monaco-editor/react',
  'monaco-editor',
];
