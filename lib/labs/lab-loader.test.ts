import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, type ContentProblem } from '../authoring/problems';
import { loadCourse } from '../course';
import { readLab } from './lab-loader';

/** Every temporary folder made here, removed at the end. */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes `files` (path → content) under a new temporary folder and returns it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lab-loader-'));
  made.push(root);
  for (const [name, content] of Object.entries(files)) {
    const absolute = path.join(root, name);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }
  return root;
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line, i) => i + 1 >= from && line.includes(needle));
  if (index === -1) throw new Error(`"${needle}" is not in the text`);
  return index + 1;
}

/** Reads the lab in `<root>/labs/greet`, reporting paths relative to root. */
function read(files: Record<string, string>) {
  const root = tree(
    Object.fromEntries(
      Object.entries(files).map(([name, content]) => [`labs/greet/${name}`, content]),
    ),
  );
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');
  return readLab(path.join(root, 'labs', 'greet'), 'basics', 'greet', relative);
}

const YAML_FILE = 'labs/greet/lab.yaml';

const VALID_YAML = `title: Greet someone
sandboxNote: Timings come from the course server.
runtime: nodejs24.x
handler: index.handler
environment:
  GREETING: Hello
files:
  - index.mjs
  - greeting.mjs
events:
  - name: Ada
    event:
      name: Ada
  - name: An upload
    preset: S3 object created
exercise:
  hints:
    - Read event.name.
  checks:
    - title: Greets Ada
      invocations:
        - event: { name: Ada }
      expect:
        - response: { path: greeting, equals: "Hello, Ada" }
`;
const STARTER_INDEX =
  "import { greet } from './greeting.mjs';\nexport const handler = async () => ({ greeting: greet('') });\n";
const STARTER_GREETING = 'export const greet = (name) => `Hello, ${name}`;\n';
const SOLUTION_INDEX =
  "import { greet } from './greeting.mjs';\nexport const handler = async (event) => ({ greeting: greet(event.name) });\n";

const validLab = (): Record<string, string> => ({
  'lab.yaml': VALID_YAML,
  'starter/index.mjs': STARTER_INDEX,
  'starter/greeting.mjs': STARTER_GREETING,
  'solution/index.mjs': SOLUTION_INDEX,
  'solution/greeting.mjs': STARTER_GREETING,
});

/** Problems with `text` in the message; fails with every problem listed when none match. */
function only(problems: ContentProblem[], text: string): ContentProblem {
  const matches = problems.filter((p) => p.message.includes(text));
  expect(
    matches,
    `expected one problem mentioning "${text}", got:\n${problems.map(formatProblem).join('\n')}`,
  ).toHaveLength(1);
  return matches[0]!;
}

describe('readLab on a valid lab', () => {
  it('loads the lab under <module>/<lab> with its files in the order lab.yaml lists them', () => {
    const { lab, problems } = read(validLab());
    expect(problems).toEqual([]);
    expect(lab).toMatchObject({
      id: 'basics/greet',
      moduleSlug: 'basics',
      slug: 'greet',
      title: 'Greet someone',
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutS: 3,
      environment: { GREETING: 'Hello' },
      file: YAML_FILE,
    });
    // greeting.mjs sorts before index.mjs on disk: the order is lab.yaml's.
    expect(lab!.files).toEqual([
      { path: 'index.mjs', content: STARTER_INDEX },
      { path: 'greeting.mjs', content: STARTER_GREETING },
    ]);
  });

  it('gives events as JSON, a preset in the shape AWS delivers', () => {
    const { lab } = read(validLab());
    expect(lab!.events.map((e) => e.name)).toEqual(['Ada', 'An upload']);
    expect(lab!.events[0]!.event).toEqual({ name: 'Ada' });
    const upload = lab!.events[1]!.event as {
      Records: {
        eventSource: string;
        eventName: string;
        s3: { bucket: { name: string }; object: { key: string } };
      }[];
    };
    expect(upload.Records).toHaveLength(1);
    expect(upload.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: expect.any(String) }, object: { key: expect.any(String) } },
    });
  });

  it('keeps the exercise (hints and parsed checks with their defaults) and reads the solution', () => {
    const { lab } = read(validLab());
    expect(lab!.exercise!.hints).toEqual(['Read event.name.']);
    expect(lab!.exercise!.checks).toEqual([
      {
        title: 'Greets Ada',
        invocations: [{ event: { name: 'Ada' } }],
        settings: {},
        expect: [{ response: { path: 'greeting', equals: 'Hello, Ada' }, invocation: 'last' }],
        keepsWorking: false,
      },
    ]);
    expect(lab!.solution).toEqual([
      { path: 'index.mjs', content: SOLUTION_INDEX },
      { path: 'greeting.mjs', content: STARTER_GREETING },
    ]);
  });

  it('loads a lab without an exercise and without solution/, with no exercise and no solution', () => {
    const yaml =
      'title: Just run it\nsandboxNote: Timings come from the course server.\nruntime: python3.11\nhandler: app.lambda_handler\nmemoryMb: 256\nfiles:\n  - app.py\nevents:\n  - name: Empty\n    event: {}\n';
    const { lab, problems } = read({
      'lab.yaml': yaml,
      'starter/app.py': 'def lambda_handler(event, context):\n    return 1\n',
    });
    expect(problems).toEqual([]);
    expect(lab).toMatchObject({
      runtime: 'python3.11',
      memoryMb: 256,
      exercise: undefined,
      solution: undefined,
    });
    expect(lab!.files.map((f) => f.path)).toEqual(['app.py']);
  });

  it('lets layer files sit beside the function code, in nested folders', () => {
    const yaml = VALID_YAML.replace(
      '  - greeting.mjs\n',
      '  - greeting.mjs\n  - layer/nodejs/node_modules/util/index.js\n',
    );
    const { lab, problems } = read({
      ...validLab(),
      'lab.yaml': yaml,
      'starter/layer/nodejs/node_modules/util/index.js': 'exports.x = 1;\n',
      'solution/layer/nodejs/node_modules/util/index.js': 'exports.x = 1;\n',
    });
    expect(problems).toEqual([]);
    expect(lab!.files.map((f) => f.path)).toEqual([
      'index.mjs',
      'greeting.mjs',
      'layer/nodejs/node_modules/util/index.js',
    ]);
  });
});

describe('readLab reports each problem where the author fixes it', () => {
  it('a starter file listed in files but missing: at its line in files', () => {
    const { 'starter/greeting.mjs': _dropped, ...files } = validLab();
    const { lab, problems } = read(files);
    expect(lab).toBeUndefined();
    const problem = only(
      problems,
      '"greeting.mjs" is listed in files but labs/greet/starter/greeting.mjs does not exist',
    );
    expect(problem).toMatchObject({
      file: YAML_FILE,
      line: lineOf(VALID_YAML, '- greeting.mjs'),
      column: 5,
    });
    expect(problems).toHaveLength(1);
  });

  it('a file in starter/ that files does not list: at that file', () => {
    const { lab, problems } = read({
      ...validLab(),
      'starter/notes/extra.mjs': 'export const x = 1;\n',
    });
    expect(lab).toBeUndefined();
    expect(problems).toEqual([
      {
        file: 'labs/greet/starter/notes/extra.mjs',
        line: 1,
        column: 1,
        message: `This file is not listed in files in ${YAML_FILE}: list it or delete it.`,
      },
    ]);
  });

  it('a handler with no file to load it from: at handler', () => {
    const yaml = VALID_YAML.replace('handler: index.handler', 'handler: main.handler');
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    const problem = only(
      problems,
      'The handler "main.handler" needs one of "main.js", "main.mjs", "main.cjs" in files',
    );
    expect(problem).toMatchObject({ file: YAML_FILE, line: lineOf(yaml, 'handler:') });
    expect(problems).toHaveLength(1);
  });

  it('a handler file of another runtime: a Python handler needs a .py file', () => {
    const yaml = VALID_YAML.replace('runtime: nodejs24.x', 'runtime: python3.11');
    const { problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(
      only(problems, 'The handler "index.handler" needs one of "index.py" in files').line,
    ).toBe(lineOf(yaml, 'handler:'));
  });

  it('two events with the same name: at events', () => {
    const yaml = VALID_YAML.replace('  - name: An upload', '  - name: Ada');
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    const problem = only(problems, 'Two events are named "Ada"');
    expect(problem.file).toBe(YAML_FILE);
    // Reported at the events list (its first entry), not at the repeated name.
    expect(problem.line).toBe(lineOf(yaml, '- name: Ada'));
    expect(problems).toHaveLength(1);
  });

  it('an event with both event and preset: at that event', () => {
    const yaml = VALID_YAML.replace(
      '    preset: S3 object created',
      '    preset: S3 object created\n    event: { a: 1 }',
    );
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    const problem = only(problems, 'give exactly one of "event" or "preset"');
    expect(problem).toMatchObject({ file: YAML_FILE, line: lineOf(yaml, '- name: An upload') });
    expect(problems).toHaveLength(1);
  });

  it('an event with neither event nor preset: at that event', () => {
    const yaml = VALID_YAML.replace('    preset: S3 object created\n', '');
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    expect(only(problems, 'give exactly one of "event" or "preset"')).toMatchObject({
      file: YAML_FILE,
      line: lineOf(yaml, '- name: An upload'),
    });
  });

  it('an unknown preset: at the preset, naming the presets there are', () => {
    const yaml = VALID_YAML.replace('preset: S3 object created', 'preset: S3 upload');
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    const problem = only(problems, 'preset must be one of:');
    expect(problem).toMatchObject({ file: YAML_FILE, line: lineOf(yaml, 'preset: S3 upload') });
    expect(problem.message).toContain('S3 object created');
    expect(problems).toHaveLength(1);
  });

  it('an exercise without solution/: at exercise', () => {
    const { 'solution/index.mjs': _a, 'solution/greeting.mjs': _b, ...files } = validLab();
    const { lab, problems } = read(files);
    expect(lab).toBeUndefined();
    const problem = only(
      problems,
      'An exercise needs its reference answer: create labs/greet/solution/',
    );
    expect(problem.file).toBe(YAML_FILE);
    // The exercise mapping starts at its first key.
    expect(problem.line).toBe(lineOf(VALID_YAML, 'hints:'));
    expect(problems).toHaveLength(1);
  });

  it('a solution missing one of the files: at the solution folder', () => {
    const { 'solution/greeting.mjs': _dropped, ...files } = validLab();
    const { lab, problems } = read(files);
    expect(lab).toBeUndefined();
    const problem = only(
      problems,
      '"greeting.mjs" is listed in files but labs/greet/solution/greeting.mjs does not exist',
    );
    expect(problem).toMatchObject({ file: 'labs/greet/solution', line: 1, column: 1 });
    expect(problems).toHaveLength(1);
  });

  it('a file in solution/ that files does not list: at that file', () => {
    const { problems } = read({ ...validLab(), 'solution/helper.mjs': '' });
    expect(problems).toEqual([
      {
        file: 'labs/greet/solution/helper.mjs',
        line: 1,
        column: 1,
        message: expect.stringContaining('is not listed in files'),
      },
    ]);
  });

  it('every file under layer/: at files', () => {
    const yaml = VALID_YAML.replace('handler: index.handler', 'handler: layer/index.handler')
      .replace('  - index.mjs\n  - greeting.mjs\n', '  - layer/index.mjs\n')
      .replace(/exercise:[\s\S]*$/, '');
    const { lab, problems } = read({
      'lab.yaml': yaml,
      'starter/layer/index.mjs': 'export const handler = async () => 1;\n',
    });
    expect(lab).toBeUndefined();
    const problem = only(
      problems,
      'Every file is under layer/; the function needs its own code too.',
    );
    expect(problem.file).toBe(YAML_FILE);
    expect(problem.line).toBe(lineOf(yaml, '- layer/index.mjs'));
    expect(problems).toHaveLength(1);
  });

  it('a schema error (unknown runtime, unsafe file path): at the field', () => {
    const yaml = VALID_YAML.replace('runtime: nodejs24.x', 'runtime: nodejs16.x').replace(
      '  - greeting.mjs',
      '  - ../greeting.mjs',
    );
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    expect(only(problems, 'runtime must be one of: nodejs24.x, nodejs22.x, python3.11').line).toBe(
      lineOf(yaml, 'runtime:'),
    );
    expect(only(problems, 'must be a relative path').line).toBe(lineOf(yaml, '../greeting.mjs'));
  });

  it('a lab on nodejs20.x: refused at the runtime, telling the author to move to nodejs24.x', () => {
    const yaml = VALID_YAML.replace('runtime: nodejs24.x', 'runtime: nodejs20.x');
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(lab).toBeUndefined();
    const problem = only(problems, 'runtime nodejs20.x is deprecated');
    expect(problem).toMatchObject({ file: YAML_FILE, line: lineOf(yaml, 'runtime:') });
    expect(problem.message).toMatch(/Lambda no longer creates functions on it/);
    expect(problem.message).toMatch(/Use nodejs24\.x/);
    expect(problems).toHaveLength(1);
  });

  it('a lab on nodejs22.x loads as on nodejs24.x', () => {
    const yaml = VALID_YAML.replace('runtime: nodejs24.x', 'runtime: nodejs22.x');
    const { lab, problems } = read({ ...validLab(), 'lab.yaml': yaml });
    expect(problems).toEqual([]);
    expect(lab?.runtime).toBe('nodejs22.x');
  });
});

/** A course folder with one module "basics"; `extra` adds or replaces files under content/. */
function course(lessons: Record<string, string>, extra: Record<string, string> = {}) {
  const frontmatter = (title: string) =>
    `---\ntitle: ${title}\nsummary: A lesson.\nobjectives:\n  - run a lab\nminutes: 5\nreferences:\n  - title: AWS Lambda\n    url: https://docs.aws.amazon.com/lambda/latest/dg/welcome.html\n---\n`;
  const files: Record<string, string> = {
    'content/course.yaml': 'title: Lab course\nsummary: Labs in lessons.\nmodules:\n  - basics\n',
    'content/basics/module.yaml': `title: Basics\nsummary: Labs.\nlessons:\n${Object.keys(lessons)
      .map((slug) => `  - ${slug}\n`)
      .join('')}`,
    'public/images/.keep': '',
  };
  for (const [slug, body] of Object.entries(lessons))
    files[`content/basics/${slug}.mdx`] = frontmatter(slug) + body;
  for (const [name, content] of Object.entries(extra)) files[`content/${name}`] = content;
  const root = tree(files);
  return {
    root,
    files,
    load: () =>
      loadCourse({
        contentDir: path.join(root, 'content'),
        publicDir: path.join(root, 'public'),
        projectDir: root,
      }),
  };
}

/** validLab() as files of `content/basics/labs/<name>/`. */
const labFiles = (name: string, files: Record<string, string> = validLab()) =>
  Object.fromEntries(
    Object.entries(files).map(([file, content]) => [`basics/labs/${name}/${file}`, content]),
  );

const PLAIN_LAB = {
  'lab.yaml':
    'title: Plain\nsandboxNote: Timings come from the course server.\nruntime: nodejs24.x\nhandler: index.handler\nfiles:\n  - index.mjs\nevents:\n  - name: Empty\n    event: {}\n',
  'starter/index.mjs': 'export const handler = async () => 1;\n',
};

describe('labs in loadCourse', () => {
  it('loads the labs lessons show into course.labs, and lists them on each lesson in page order', async () => {
    const { load } = course(
      {
        first: '\n## Try it\n\n<CodeLab lab="plain" />\n\nThen:\n\n<CodeLab lab="greet" />\n',
        second: '\n## No lab here\n\nJust text.\n',
      },
      { ...labFiles('greet'), ...labFiles('plain', PLAIN_LAB) },
    );
    const { course: loaded, problems } = await load();
    expect(problems.map(formatProblem)).toEqual([]);
    expect([...loaded.labs.keys()].sort()).toEqual(['basics/greet', 'basics/plain']);
    expect(loaded.labs.get('basics/greet')).toMatchObject({
      id: 'basics/greet',
      file: 'content/basics/labs/greet/lab.yaml',
      title: 'Greet someone',
    });
    expect(loaded.labs.get('basics/plain')!.exercise).toBeUndefined();
    expect(loaded.lessons.map((l) => [l.id, l.labIds])).toEqual([
      ['basics/first', ['basics/plain', 'basics/greet']],
      ['basics/second', []],
    ]);
  });

  it('reports <CodeLab lab="missing"> without a folder at the lesson\'s line', async () => {
    const body = '\n## Try it\n\nSome text.\n\n<CodeLab lab="missing" />\n';
    const { load, files } = course({ first: body });
    const { course: loaded, problems } = await load();
    const source = files['content/basics/first.mdx']!;
    expect(problems).toEqual([
      {
        file: 'content/basics/first.mdx',
        line: lineOf(source, '<CodeLab'),
        column: 1,
        message:
          '<CodeLab lab="missing"> has no content/basics/labs/missing/lab.yaml: create the lab (see docs/authoring.md) or fix the name.',
      },
    ]);
    expect(loaded.labs.size).toBe(0);
  });

  it('reports a lab folder that no lesson shows at the folder', async () => {
    const { load } = course(
      { first: '\n## Text only\n\nNothing to run.\n' },
      labFiles('orphan', PLAIN_LAB),
    );
    const { course: loaded, problems } = await load();
    expect(problems).toEqual([
      {
        file: 'content/basics/labs/orphan',
        line: 1,
        column: 1,
        message:
          'No lesson shows this lab: add <CodeLab lab="orphan" /> to a lesson of this module, or delete the folder.',
      },
    ]);
    expect(loaded.labs.size).toBe(0);
  });

  it('reports the same lab shown in two lessons at the second one, naming the first', async () => {
    const { load, files } = course(
      {
        first: '\n## One\n\n<CodeLab lab="plain" />\n',
        second: '\n## Two\n\nAgain:\n\n<CodeLab lab="plain" />\n',
      },
      labFiles('plain', PLAIN_LAB),
    );
    const { course: loaded, problems } = await load();
    expect(problems).toEqual([
      {
        file: 'content/basics/second.mdx',
        line: lineOf(files['content/basics/second.mdx']!, '<CodeLab'),
        column: 1,
        message:
          'The lab "plain" is already shown in content/basics/first.mdx; a lab belongs to one lesson (copy it under a new name to reuse it).',
      },
    ]);
    expect(loaded.labs.has('basics/plain')).toBe(true);
  });

  it('reports the same lab shown twice in one lesson at the second use', async () => {
    const { load, files } = course(
      { first: '\n## One\n\n<CodeLab lab="plain" />\n\n<CodeLab lab="plain" />\n' },
      labFiles('plain', PLAIN_LAB),
    );
    const { problems } = await load();
    const source = files['content/basics/first.mdx']!;
    expect(problems).toEqual([
      {
        file: 'content/basics/first.mdx',
        line: lineOf(source, '<CodeLab', lineOf(source, '<CodeLab') + 1),
        column: 1,
        message: 'The lab "plain" is shown twice in this lesson; show each lab once.',
      },
    ]);
  });

  it("reports a lab name that is not a kebab-case folder name at the lesson's line", async () => {
    const { load, files } = course({ first: '\n## One\n\n<CodeLab lab="../Plain_Lab" />\n' });
    const { course: loaded, problems } = await load();
    expect(problems).toEqual([
      {
        file: 'content/basics/first.mdx',
        line: lineOf(files['content/basics/first.mdx']!, '<CodeLab'),
        column: 1,
        message:
          '<CodeLab lab="../Plain_Lab"> must name a lab folder in kebab-case, e.g. "first-handler".',
      },
    ]);
    expect(loaded.lessons[0]!.labIds).toEqual([]);
    expect(loaded.labs.size).toBe(0);
  });

  it("reports a lab's own problems at content/<module>/labs/<lab>/ and leaves the lab out", async () => {
    const { 'solution/greeting.mjs': _dropped, ...broken } = validLab();
    const { load } = course(
      { first: '\n## One\n\n<CodeLab lab="greet" />\n' },
      labFiles('greet', broken),
    );
    const { course: loaded, problems } = await load();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toMatch(/^content\/basics\/labs\/greet\/solution/);
    expect(problems[0]!.message).toContain(
      '"greeting.mjs" is listed in files but content/basics/labs/greet/solution/greeting.mjs does not exist',
    );
    expect(loaded.labs.size).toBe(0);
  });

  it("looks for a lab in the lesson's own module only", async () => {
    const { load } = course(
      { first: '\n## One\n\n<CodeLab lab="plain" />\n' },
      Object.fromEntries(
        Object.entries(PLAIN_LAB).map(([file, content]) => [`other/labs/plain/${file}`, content]),
      ),
    );
    const { problems } = await load();
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('has no content/basics/labs/plain/lab.yaml'),
    ]);
  });
});
