import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../authoring/problems';
import { loadCourse, type Course } from '../course';
import { createTestService } from '../lambda/testing/service-harness';
import {
  InvalidProgressError,
  NotInCourseError,
  ProgressService,
} from '../learner/progress-service';
import { openSqliteStore, type ProgressStore } from '../store';
import type { LabSettings, LabSourceFile } from './contract';
import { burstLab, runLab } from './lab-functions';
import { LabService } from './lab-service';

/**
 * LabService through the real runner: a small course with one exercise lab
 * ("basics/greet", a Node handler and two checks) and one lab without an
 * exercise ("basics/plain").
 */

const STARTER = `export const handler = async (event, context) => ({ greeting: 'Hi', memory: context.memoryLimitInMB });\n`;
const SOLUTION = `import { prefix } from './prefix.mjs';
export const handler = async (event, context) => ({
  greeting: \`\${prefix()}, \${event.name}\`,
  mode: process.env.MODE,
  stage: process.env.STAGE,
  memory: context.memoryLimitInMB,
});
`;
const PREFIX = "export const prefix = () => 'Hello';\n";

const LAB_YAML = `title: Greet by name
sandboxNote: Timings come from the course server.
runtime: nodejs24.x
handler: index.handler
memoryMb: 192
environment:
  STAGE: lab
  MODE: lab
files:
  - index.mjs
  - prefix.mjs
events:
  - name: Ada
    event: { name: Ada }
exercise:
  hints:
    - Use event.name.
  checks:
    - title: Greets the name in the event
      invocations:
        - event: { name: Ada }
      expect:
        - response: { path: greeting, equals: "Hello, Ada" }
    - title: Runs with the check's environment over the lab's
      settings:
        environment:
          MODE: check
      expect:
        - response: { path: mode, equals: check }
        - response: { path: stage, equals: lab }
        - response: { path: memory, equals: "192" }
`;

const FRONTMATTER =
  '---\ntitle: Labs\nsummary: A lesson with labs.\nobjectives:\n  - run a lab\nminutes: 5\nreferences:\n  - title: AWS Lambda\n    url: https://docs.aws.amazon.com/lambda/latest/dg/welcome.html\n---\n';

const COURSE_FILES: Record<string, string> = {
  'content/course.yaml': 'title: Lab course\nsummary: Labs.\nmodules:\n  - basics\n',
  'content/basics/module.yaml': 'title: Basics\nsummary: Labs.\nlessons:\n  - first\n',
  'content/basics/first.mdx': `${FRONTMATTER}\n## Greet\n\n<CodeLab lab="greet" />\n\n<CodeLab lab="plain" />\n`,
  'content/basics/labs/greet/lab.yaml': LAB_YAML,
  'content/basics/labs/greet/starter/index.mjs': STARTER,
  'content/basics/labs/greet/starter/prefix.mjs': PREFIX,
  'content/basics/labs/greet/solution/index.mjs': SOLUTION,
  'content/basics/labs/greet/solution/prefix.mjs': PREFIX,
  'content/basics/labs/plain/lab.yaml':
    'title: Plain\nsandboxNote: Timings come from the course server.\nruntime: nodejs24.x\nhandler: index.handler\nfiles:\n  - index.mjs\nevents:\n  - name: Empty\n    event: {}\n',
  'content/basics/labs/plain/starter/index.mjs': 'export const handler = async () => 1;\n',
  'public/images/.keep': '',
};

const GREET = 'basics/greet';
const SETTINGS: LabSettings = {
  memoryMb: 512,
  timeoutS: 7,
  environment: { MODE: 'mine' },
  eventText: '{ "name": "Grace" }',
};

let root: string;
let course: Course;
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lab-service-'));
  for (const [name, content] of Object.entries(COURSE_FILES)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  const loaded = await loadCourse({
    contentDir: path.join(root, 'content'),
    publicDir: path.join(root, 'public'),
    projectDir: root,
  });
  if (loaded.problems.length > 0)
    throw new Error(
      `The test course has problems:\n${loaded.problems.map(formatProblem).join('\n')}`,
    );
  course = loaded.course;
  harness = await createTestService();
});
afterAll(async () => {
  await harness?.dispose();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A clock the test moves forward. */
function steppingClock(start = Date.parse('2026-12-01T09:00:00.000Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function services() {
  const store: ProgressStore = await openSqliteStore(':memory:');
  const clock = steppingClock();
  const progress = new ProgressService(store, course, clock.now);
  const labs = new LabService(course.labs, store, harness.service, progress, clock.now);
  return { store, clock, progress, labs };
}

const starterFiles = (): LabSourceFile[] => course.labs.get(GREET)!.files.map((f) => ({ ...f }));

describe('LabService saves', () => {
  it('has no save before the learner saves', async () => {
    const { labs } = await services();
    expect(await labs.getSave('ada', GREET)).toBeNull();
  });

  it("round-trips the learner's files and settings, per learner", async () => {
    const { labs, clock } = await services();
    const files = [
      { path: 'index.mjs', content: 'export const handler = async () => "mine";\n' },
      { path: 'prefix.mjs', content: PREFIX },
    ];
    const { savedAt } = await labs.save('ada', GREET, { files, settings: SETTINGS });
    expect(savedAt).toBe(clock.now().toISOString());
    expect(await labs.getSave('ada', GREET)).toEqual({ files, settings: SETTINGS, savedAt });
    expect(await labs.getSave('grace', GREET)).toBeNull();

    clock.advance(60_000);
    const changed = [{ path: 'prefix.mjs', content: '// edited\n' }, files[0]!];
    const second = await labs.save('ada', GREET, {
      files: changed,
      settings: { ...SETTINGS, memoryMb: 128 },
    });
    expect(second.savedAt).not.toBe(savedAt);
    expect(await labs.getSave('ada', GREET)).toEqual({
      files: changed,
      settings: { ...SETTINGS, memoryMb: 128 },
      savedAt: second.savedAt,
    });
  });

  it("rejects a save whose files are not exactly the lab's", async () => {
    const { labs } = await services();
    const [index, prefix] = starterFiles();
    for (const files of [
      [index!],
      [index!, prefix!, { path: 'extra.mjs', content: '' }],
      [index!, { path: 'other.mjs', content: '' }],
      [index!, index!],
    ]) {
      await expect(labs.save('ada', GREET, { files, settings: SETTINGS })).rejects.toThrow(
        InvalidProgressError,
      );
    }
    expect(await labs.getSave('ada', GREET)).toBeNull();
  });

  it('ignores a stored save whose files no longer match the lab (the lab changed since)', async () => {
    const { labs, store } = await services();
    const old = [{ path: 'index.mjs', content: 'export const handler = async () => 1;\n' }];
    await store.saveLab(
      'ada',
      GREET,
      { files: JSON.stringify(old), settings: JSON.stringify(SETTINGS) },
      new Date(),
    );
    expect(await store.getLabSave('ada', GREET)).toBeDefined();
    expect(await labs.getSave('ada', GREET)).toBeNull();
  });

  it('ignores a stored save whose settings no longer parse', async () => {
    const { labs, store } = await services();
    await store.saveLab(
      'ada',
      GREET,
      {
        files: JSON.stringify(starterFiles()),
        settings: JSON.stringify({ ...SETTINGS, memoryMb: 64 }),
      },
      new Date(),
    );
    expect(await labs.getSave('ada', GREET)).toBeNull();
  });

  it("reset deletes the learner's save", async () => {
    const { labs, store } = await services();
    await labs.save('ada', GREET, { files: starterFiles(), settings: SETTINGS });
    await labs.save('grace', GREET, { files: starterFiles(), settings: SETTINGS });
    await labs.reset('ada', GREET);
    expect(await labs.getSave('ada', GREET)).toBeNull();
    expect(await store.getLabSave('ada', GREET)).toBeUndefined();
    expect(await labs.getSave('grace', GREET)).not.toBeNull();
  });

  it('refuses labs the course does not have', async () => {
    const { labs } = await services();
    await expect(labs.getSave('ada', 'basics/nope')).rejects.toThrow(NotInCourseError);
    await expect(
      labs.save('ada', 'basics/nope', { files: starterFiles(), settings: SETTINGS }),
    ).rejects.toThrow(NotInCourseError);
    await expect(labs.reset('ada', 'basics/nope')).rejects.toThrow(NotInCourseError);
    await expect(labs.check('ada', 'basics/nope', starterFiles())).rejects.toThrow(
      NotInCourseError,
    );
    expect(() => labs.solution('basics/nope')).toThrow(NotInCourseError);
    expect(() => labs.requireLab('other/greet')).toThrow(NotInCourseError);
  });
});

describe('LabService checks', () => {
  it('fails the starter with a result per check, and records no pass', async () => {
    const { labs, progress } = await services();
    const response = await labs.check('ada', GREET, starterFiles());
    expect(response.passed).toBe(false);
    expect(response.results).toEqual([
      {
        title: 'Greets the name in the event',
        passed: false,
        message: 'Expected the response\'s greeting to be "Hello, Ada", found "Hi".',
      },
      {
        title: "Runs with the check's environment over the lab's",
        passed: false,
        message: 'Expected the response\'s mode to be "check", found nothing.',
      },
    ]);
    expect((await progress.get('ada')).passedExercises).toEqual([]);
  });

  it('passes the solution, which records the exercise once', async () => {
    const { labs, progress, clock } = await services();
    const firstPassAt = clock.now().toISOString();
    const response = await labs.check('ada', GREET, labs.solution(GREET));
    expect(response).toEqual({
      passed: true,
      results: [
        { title: 'Greets the name in the event', passed: true, message: '' },
        { title: "Runs with the check's environment over the lab's", passed: true, message: '' },
      ],
    });
    expect((await progress.get('ada')).passedExercises).toEqual([
      { labId: GREET, passedAt: firstPassAt },
    ]);

    clock.advance(3_600_000);
    expect((await labs.check('ada', GREET, labs.solution(GREET))).passed).toBe(true);
    expect((await progress.get('ada')).passedExercises).toEqual([
      { labId: GREET, passedAt: firstPassAt },
    ]);
    // Another learner's progress is untouched.
    expect((await progress.get('grace')).passedExercises).toEqual([]);
  });

  it("runs checks with the lab's settings under the check's own, never the learner's saved ones", async () => {
    const { labs } = await services();
    // The learner saved other memory and environment; check takes only files.
    await labs.save('ada', GREET, {
      files: labs.solution(GREET),
      settings: { ...SETTINGS, memoryMb: 1024, environment: { MODE: 'mine', STAGE: 'mine' } },
    });
    const response = await labs.check('ada', GREET, labs.solution(GREET));
    // The second check asserts MODE=check (the check's override), STAGE=lab (the lab's) and 192 MB (the lab's).
    expect(response.results[1]).toEqual({
      title: "Runs with the check's environment over the lab's",
      passed: true,
      message: '',
    });
  });

  it('fails a partly right answer on exactly the check it misses', async () => {
    const { labs, progress } = await services();
    const files = [
      {
        path: 'index.mjs',
        content:
          "export const handler = async (event) => ({ greeting: `Hello, ${event.name}`, mode: 'lab' });\n",
      },
      { path: 'prefix.mjs', content: PREFIX },
    ];
    const response = await labs.check('ada', GREET, files);
    expect(response.results.map((r) => r.passed)).toEqual([true, false]);
    expect(response.results[1]!.message).toBe(
      'Expected the response\'s mode to be "check", found "lab".',
    );
    expect(response.passed).toBe(false);
    expect((await progress.get('ada')).passedExercises).toEqual([]);
  });

  it("rejects checks on a lab without an exercise, and files that are not the lab's", async () => {
    const { labs } = await services();
    await expect(
      labs.check('ada', 'basics/plain', [
        { path: 'index.mjs', content: 'export const handler = async () => 1;' },
      ]),
    ).rejects.toThrow(InvalidProgressError);
    await expect(labs.check('ada', GREET, [starterFiles()[0]!])).rejects.toThrow(
      InvalidProgressError,
    );
  });

  it('shows the solution files, and refuses a lab that has none', async () => {
    const { labs } = await services();
    expect(labs.solution(GREET)).toEqual([
      { path: 'index.mjs', content: SOLUTION },
      { path: 'prefix.mjs', content: PREFIX },
    ]);
    expect(() => labs.solution('basics/plain')).toThrow(NotInCourseError);
  });
});

describe('LabService Run, Burst and history', () => {
  it("runs the learner's files as the lab's own function, with the lab's runtime and handler, and lists the run", async () => {
    const { labs } = await services();
    expect((await labs.history('runner', GREET, {})).invocations).toEqual([]);
    const run = await labs.run('runner', GREET, {
      memoryMb: 256,
      timeoutS: 3,
      environment: {},
      files: starterFiles(),
      event: { name: 'Ada' },
      newEnvironment: false,
    });
    expect(run.functionName).toBe('lab-basics-greet');
    expect(JSON.parse(run.payload)).toEqual({ greeting: 'Hi', memory: '256' });
    expect(run.report).toMatchObject({ coldStart: true, memorySizeMb: 256 });
    await harness.service.drain();
    expect((await labs.history('runner', GREET, {})).invocations.map((i) => i.requestId)).toEqual([
      run.requestId,
    ]);
  });

  it("refuses files that are not the lab's, and a lab the course does not have", async () => {
    const { labs } = await services();
    const request = {
      memoryMb: 128,
      timeoutS: 3,
      environment: {},
      files: [{ path: 'other.mjs', content: '' }],
      event: {},
      newEnvironment: false,
    };
    await expect(labs.run('runner', GREET, request)).rejects.toThrow(InvalidProgressError);
    await expect(
      labs.burst('runner', 'basics/none', { ...request, count: 2, reservedConcurrency: null }),
    ).rejects.toThrow(NotInCourseError);
  });
});

describe('lab functions: Run and Burst through the Lambda service', () => {
  const WS = 'lab-service-test';
  const SLOW =
    'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return "done"; };';
  const deployment = (files: LabSourceFile[]) => ({
    runtime: 'nodejs24.x' as const,
    handler: 'index.handler',
    memoryMb: 128,
    timeoutS: 3,
    environment: {},
    files,
  });
  const burst = (name: string, count: number, reservedConcurrency: number | null = null) =>
    burstLab(harness.service, WS, name, deployment([{ path: 'index.mjs', content: SLOW }]), {
      count,
      reservedConcurrency,
      event: {},
      newEnvironment: false,
    });

  it('bursts onto several environments at once, each one cold on its first call', async () => {
    const result = await burst('burst-open', 4);
    expect(result.throttled).toBe(0);
    expect(result.throttleMessages).toEqual([]);
    expect(result.invocations).toHaveLength(4);
    expect(result.invocations.every((r) => r.errorType === undefined)).toBe(true);
    expect(result.environments).toBeGreaterThan(1);
    expect(result.coldStarts).toBe(result.invocations.filter((r) => r.report!.coldStart).length);
    // Every environment starts cold once.
    expect(result.coldStarts).toBe(result.environments);
  });

  it("throttles a burst beyond its reserved concurrency and puts the function's own setting back", async () => {
    // First with no reservation of its own: it is removed again afterwards.
    const first = await burst('burst-limited', 4, 1);
    expect(first.invocations).toHaveLength(1);
    expect(first.throttled).toBe(3);
    expect(first.throttleMessages).toEqual([
      'ReservedFunctionConcurrentInvocationLimitExceeded: Rate Exceeded.',
    ]);
    expect(first.environments).toBe(1);
    expect(
      (await harness.service.getFunction(WS, 'burst-limited')).definition
        .ReservedConcurrentExecutions,
    ).toBeUndefined();

    // Then with one of its own: the burst's 1 applies during the burst, its 5 afterwards.
    await harness.service.putFunctionConcurrency(WS, 'burst-limited', {
      ReservedConcurrentExecutions: 5,
    });
    const second = await burst('burst-limited', 4, 1);
    expect(second.invocations).toHaveLength(1);
    expect(second.throttled).toBe(3);
    const { definition, configuration } = await harness.service.getFunction(WS, 'burst-limited');
    expect(definition.ReservedConcurrentExecutions).toBe(5);
    expect(configuration.FunctionName).toBe('burst-limited');

    // A burst without a reservation leaves the function's own setting alone.
    const third = await burst('burst-limited', 2);
    expect(third.invocations.length + third.throttled).toBe(2);
    expect(
      (await harness.service.getFunction(WS, 'burst-limited')).definition
        .ReservedConcurrentExecutions,
    ).toBe(5);
  });

  it('never runs more calls at once than the reserved concurrency, however close together they arrive', async () => {
    // Warm first, so the burst's calls find idle environments and race for them rather than for new ones.
    await burst('burst-race', 1);
    await harness.service.putFunctionConcurrency(WS, 'burst-race', {
      ReservedConcurrentExecutions: 5,
    });
    for (let round = 0; round < 3; round++) {
      const result = await burst('burst-race', 7);
      expect(result.invocations).toHaveLength(5);
      expect(result.throttled).toBe(2);
      expect(result.environments).toBeLessThanOrEqual(5);
    }
  });

  it('deploys layer/ files as a layer under /opt, published again only when they change', async () => {
    const layerName = 'lab-layered-layer';
    const run = async (greeting: string) => {
      const files = [
        {
          path: 'index.js',
          content:
            "const fs = require('node:fs');\nconst greeter = require('greeter');\nconst byPath = require('/opt/nodejs/node_modules/greeter/index.js');\nexports.handler = async (event) => ({ greeting: greeter.greet(event.name), same: greeter === byPath, inTask: fs.existsSync('/var/task/layer'), files: fs.readdirSync('/var/task') });\n",
        },
        {
          path: 'layer/nodejs/node_modules/greeter/index.js',
          content: `exports.greet = (name) => '${greeting}, ' + name;\n`,
        },
      ];
      const result = await runLab(
        harness.service,
        WS,
        'lab-layered',
        deployment(files),
        { name: 'Ada' },
        false,
      );
      return {
        result,
        configuration: (await harness.service.getFunction(WS, 'lab-layered')).configuration,
      };
    };

    const first = await run('Hello');
    expect(first.result.record.errorType).toBeUndefined();
    expect(JSON.parse(first.result.payload)).toEqual({
      greeting: 'Hello, Ada',
      same: true,
      inTask: false,
      files: ['index.js'],
    });
    const versions = await harness.service.listLayerVersions(WS, layerName);
    expect(versions).toHaveLength(1);
    expect(first.configuration.Layers).toEqual([
      { Arn: versions[0]!.LayerVersionArn, CodeSize: versions[0]!.Content.CodeSize },
    ]);

    const second = await run('Hello');
    expect(JSON.parse(second.result.payload).greeting).toBe('Hello, Ada');
    expect(second.result.record.report!.coldStart).toBe(false);
    expect(await harness.service.listLayerVersions(WS, layerName)).toHaveLength(1);

    const changed = await run('Howdy');
    expect(JSON.parse(changed.result.payload).greeting).toBe('Howdy, Ada');
    expect(changed.result.record.report!.coldStart).toBe(true);
    // Version 1 is no longer used by any function: the lab prunes it, so learners' storage does not fill with superseded lab layers.
    expect((await harness.service.listLayerVersions(WS, layerName)).map((v) => v.Version)).toEqual([
      2,
    ]);
    expect(changed.configuration.Layers.map((l) => l.Arn)).toEqual([
      versions[0]!.LayerVersionArn.replace(/:1$/, ':2'),
    ]);
  });

  // ListLayerVersions answers newest first: the lab must compare with the newest, or every run after a change would publish again (and start cold).
  it('keeps using the newest layer version while the layer files stay as they are', async () => {
    const layerName = 'lab-relayered-layer';
    const run = (greeting: string) =>
      runLab(
        harness.service,
        WS,
        'lab-relayered',
        deployment([
          {
            path: 'index.js',
            content: "exports.handler = async () => require('greeter').greeting;\n",
          },
          {
            path: 'layer/nodejs/node_modules/greeter/index.js',
            content: `exports.greeting = '${greeting}';\n`,
          },
        ]),
        {},
        false,
      );
    await run('one');
    await run('two');
    const again = await run('two');
    expect(JSON.parse(again.payload)).toBe('two');
    // Still version 2: an unchanged layer is not published again (version 1, unused, was pruned).
    expect((await harness.service.listLayerVersions(WS, layerName)).map((v) => v.Version)).toEqual([
      2,
    ]);
    expect(again.record.report!.coldStart).toBe(false);
  });

  it('refuses a lab run whose files are all under layer/', async () => {
    await expect(
      runLab(
        harness.service,
        WS,
        'lab-only-layer',
        deployment([{ path: 'layer/index.mjs', content: '' }]),
        {},
        false,
      ),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('only layer/ files'),
    });
  });
});
