import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, ROLE } from '../lambda/testing/service-harness';

/** Where bubblewrap is missing (macOS, some containers): plain processes, said loudly. */
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService({}, { sandbox: 'none' });
});
afterAll(() => harness.dispose());

describe('the runner without a sandbox', () => {
  it.each([
    [
      'nodejs24.x',
      'index.mjs',
      'let n = 0; export const handler = async () => ({ n: ++n, root: process.env.LAMBDA_TASK_ROOT !== undefined });',
    ],
    [
      'python3.11',
      'index.py',
      'n = 0\ndef handler(event, context):\n    global n\n    n += 1\n    return {"n": n, "root": True}\n',
    ],
  ])(
    'runs %s handlers with the same lifecycle, and every report says sandbox "none"',
    async (runtime, file, source) => {
      const name = `plain-${runtime.replace(/\W/g, '')}`;
      await harness.service.createFunction('plain', {
        FunctionName: name,
        Runtime: runtime,
        Handler: 'index.handler',
        Role: ROLE,
        Code: { Files: [{ path: file, content: source }] },
      });
      const first = await harness.service.invoke('plain', name, json({}));
      const second = await harness.service.invoke('plain', name, json({}));
      expect(JSON.parse(first.payload)).toEqual({ n: 1, root: true });
      expect(JSON.parse(second.payload)).toEqual({ n: 2, root: true });
      expect(first.record.report).toMatchObject({ sandbox: 'none', coldStart: true });
      expect(second.record.report).toMatchObject({ sandbox: 'none', coldStart: false });
    },
  );

  it("still starts from an empty environment: the server's variables do not leak", async () => {
    process.env.COURSE_TEST_LEAK_CHECK = 'secret';
    await harness.service.createFunction('plain', {
      FunctionName: 'env',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: {
        Files: [
          {
            path: 'index.mjs',
            content:
              'export const handler = async () => process.env.COURSE_TEST_LEAK_CHECK ?? null;',
          },
        ],
      },
    });
    expect((await harness.service.invoke('plain', 'env', json({}))).payload).toBe('null');
    delete process.env.COURSE_TEST_LEAK_CHECK;
  });
});

/** A function of `runtime` whose handler runs `body`, created in the harness's workspace. */
async function createFunction(
  name: string,
  runtime: 'nodejs24.x' | 'python3.11',
  source: string,
  extra: Record<string, unknown> = {},
) {
  await harness.service.createFunction('plain', {
    FunctionName: name,
    Runtime: runtime,
    Handler: 'index.handler',
    Role: ROLE,
    Code: {
      Files: [{ path: runtime === 'python3.11' ? 'index.py' : 'index.mjs', content: source }],
    },
    ...extra,
  });
}

const payload = async (name: string) =>
  JSON.parse((await harness.service.invoke('plain', name, json({}))).payload) as unknown;

describe("Lambda's paths without a sandbox (docs/decisions/011)", () => {
  const NODE_COUNTER = `import { appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
export const handler = async () => {
  appendFileSync('/tmp/x', 'line\\n');
  return { lines: readFileSync('/tmp/x', 'utf8').trim().split('\\n').length, tmpdir: tmpdir(), tmpEnv: process.env.TMPDIR ?? null, root: process.env.LAMBDA_TASK_ROOT };
};`;
  const PYTHON_COUNTER = `import os, tempfile
def handler(event, context):
    with open("/tmp/x", "a") as f:
        f.write("line\\n")
    with open("/tmp/x") as f:
        lines = len(f.read().splitlines())
    return {"lines": lines, "tmpdir": tempfile.gettempdir(), "listed": os.listdir("/tmp"), "root": os.environ["LAMBDA_TASK_ROOT"], "cwd": os.getcwd()}
`;

  it('gives each Node.js environment its own /tmp, kept between its invocations', async () => {
    await createFunction('tmp-node-a', 'nodejs24.x', NODE_COUNTER);
    await createFunction('tmp-node-b', 'nodejs24.x', NODE_COUNTER);
    expect(await payload('tmp-node-a')).toEqual({
      lines: 1,
      tmpdir: '/tmp',
      tmpEnv: null,
      root: '/var/task',
    });
    expect(await payload('tmp-node-a')).toMatchObject({ lines: 2 });
    // Another environment writing the same path starts from nothing.
    expect(await payload('tmp-node-b')).toMatchObject({ lines: 1 });
    expect(await payload('tmp-node-a')).toMatchObject({ lines: 3 });
  });

  it('gives each Python environment its own /tmp, kept between its invocations', async () => {
    await createFunction('tmp-py-a', 'python3.11', PYTHON_COUNTER);
    await createFunction('tmp-py-b', 'python3.11', PYTHON_COUNTER);
    expect(await payload('tmp-py-a')).toEqual({
      lines: 1,
      tmpdir: '/tmp',
      listed: ['x'],
      root: '/var/task',
      cwd: '/var/task',
    });
    expect(await payload('tmp-py-a')).toMatchObject({ lines: 2 });
    expect(await payload('tmp-py-b')).toMatchObject({ lines: 1, listed: ['x'] });
  });

  it('shows a Node.js layer at /opt: imported by name, by /opt path, and read with fs', async () => {
    const layer = await harness.service.publishLayerVersion('plain', {
      LayerName: 'node-shared',
      Content: {
        Files: [
          {
            path: 'nodejs/node_modules/greet/index.js',
            content: 'module.exports = (n) => `hello ${n}`;',
          },
        ],
      },
      CompatibleRuntimes: ['nodejs24.x'],
    });
    await createFunction(
      'layer-node',
      'nodejs24.x',
      `import greet from 'greet';
import byPath from '/opt/nodejs/node_modules/greet/index.js';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
const required = createRequire(import.meta.url)('/opt/nodejs/node_modules/greet');
export const handler = async () => ({ name: greet('a'), path: byPath('b'), required: required('c'), listed: readdirSync('/opt/nodejs/node_modules'), nodePath: process.env.NODE_PATH.split(':').includes('/opt/nodejs/node_modules') });`,
      { Layers: [layer.LayerVersionArn] },
    );
    expect(await payload('layer-node')).toEqual({
      name: 'hello a',
      path: 'hello b',
      required: 'hello c',
      listed: ['greet'],
      nodePath: true,
    });
  });

  it('shows a Python layer at /opt: imported by name, from a /opt sys.path entry, and read with open', async () => {
    const layer = await harness.service.publishLayerVersion('plain', {
      LayerName: 'python-shared',
      Content: {
        Files: [
          { path: 'python/greet.py', content: 'def greet(n):\n    return "hello " + n\n' },
          { path: 'extra/shout.py', content: 'def shout(n):\n    return n.upper()\n' },
        ],
      },
      CompatibleRuntimes: ['python3.11'],
    });
    await createFunction(
      'layer-python',
      'python3.11',
      `import os, sys
sys.path.append("/opt/extra")
import greet, shout
def handler(event, context):
    with open("/opt/python/greet.py") as f:
        source = f.read()
    return {"name": greet.greet("a"), "shout": shout.shout("b"), "read": source.startswith("def greet"), "pythonPath": "/opt/python" in os.environ["PYTHONPATH"].split(":")}
`,
      { Layers: [layer.LayerVersionArn] },
    );
    expect(await payload('layer-python')).toEqual({
      name: 'hello a',
      shout: 'B',
      read: true,
      pythonPath: true,
    });
  });

  it("hides the runner's plumbing from the function's environment", async () => {
    await createFunction(
      'plumbing',
      'nodejs24.x',
      'export const handler = async () => Object.keys(process.env).filter((name) => name.startsWith("_COURSE"));',
    );
    expect(await payload('plumbing')).toEqual([]);
  });
});
