/**
 * The components lessons may use without importing them, and the rules the
 * checker applies to each. components/mdx/ implements them; docs/authoring.md
 * documents them. A name missing here is reported as an unknown component.
 */
export interface ComponentRule {
  /** Attributes that must be present. */
  required: readonly string[];
  /** Attributes that must be one of the listed string values. */
  oneOf?: Readonly<Record<string, readonly string[]>>;
  /** The component this one must sit inside, if any. */
  parent?: string;
}

export const LESSON_COMPONENTS = {
  Callout: { required: [], oneOf: { type: ['note', 'tip', 'warning'] } },
  Figure: { required: ['src', 'alt'] },
  Tabs: { required: [] },
  Tab: { required: ['label'], parent: 'Tabs' },
  Comparison: { required: ['headers', 'rows'] },
  KeyFacts: { required: [] },
  Quiz: { required: ['id', 'question'] },
  Choice: { required: [], parent: 'Quiz' },
  Explanation: { required: [], parent: 'Quiz' },
  CodeLab: { required: ['lab'] },
  PolicyLab: { required: ['id'] },
  CostCalculator: { required: [] },
} as const satisfies Record<string, ComponentRule>;

export type LessonComponentName = keyof typeof LESSON_COMPONENTS;

export const LESSON_COMPONENT_NAMES = Object.keys(LESSON_COMPONENTS) as LessonComponentName[];

/** HTML elements that have no place in a lesson: they run code or load from elsewhere. */
export const FORBIDDEN_ELEMENTS = [
  'script',
  'iframe',
  'style',
  'object',
  'embed',
  'link',
  'meta',
] as const;

/** Fenced code languages the build highlights. A fence without a language is plain text. */
export const CODE_LANGUAGES = [
  'bash',
  'shell',
  'sh',
  'console',
  'javascript',
  'js',
  'mjs',
  'cjs',
  'typescript',
  'ts',
  'tsx',
  'jsx',
  'json',
  'jsonc',
  'python',
  'py',
  'yaml',
  'yml',
  'toml',
  'ini',
  'html',
  'css',
  'sql',
  'diff',
  'dockerfile',
  'text',
  'txt',
  'plaintext',
] as const;
