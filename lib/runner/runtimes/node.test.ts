import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, ROLE } from '../../lambda/testing/service-harness';

/**
 * The Node.js runtime client on nodejs24.x and nodejs22.x: module formats,
 * handler styles, INIT, and what differs between the runtimes.
 */
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService({ maxEnvironmentsPerWorkspace: 3, idleTtlMs: 400 });
});
afterAll(() => harness.dispose());

const WS = 'node-runtime';
const create = (
  name: string,
  files: { path: string; content: string }[],
  settings: Record<string, unknown> = {},
) =>
  harness.service.createFunction(WS, {
    FunctionName: name,
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
    Role: ROLE,
    Code: { Files: files },
    ...settings,
  });
const run = async (name: string, event: unknown = {}) =>
  harness.service.invoke(WS, name, json(event));

describe('the Node.js runtime client', () => {
  it('loads CommonJS from index.js', async () => {
    await create('cjs', [
      {
        path: 'index.js',
        content: 'exports.handler = async (event) => ({ format: typeof require, got: event.x });',
      },
    ]);
    expect(JSON.parse((await run('cjs', { x: 1 })).payload)).toEqual({
      format: 'function',
      got: 1,
    });
  });

  it('loads ESM from a .js file when package.json says "type": "module", with top-level await in INIT', async () => {
    await create('esm-js', [
      { path: 'package.json', content: '{"type":"module"}' },
      {
        path: 'index.js',
        content:
          'const config = await Promise.resolve({ ready: true });\nexport const handler = async () => ({ config, format: typeof require });',
      },
    ]);
    expect(JSON.parse((await run('esm-js')).payload)).toEqual({
      config: { ready: true },
      format: 'undefined',
    });
  });

  it('prefers index.js over index.mjs, in the order the RIC tries (exact, .js, .mjs, .cjs)', async () => {
    await create('order', [
      { path: 'index.js', content: 'exports.handler = async () => "js";' },
      { path: 'index.mjs', content: 'export const handler = async () => "mjs";' },
    ]);
    expect((await run('order')).payload).toBe('"js"');
  });

  it('nodejs22.x supports callback handlers, waiting for the event loop to empty by default, and warns that Node.js 24 removed them', async () => {
    await create(
      'callback',
      [
        {
          path: 'index.js',
          content: `let later = 0;
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = !event.dontWait;
  setTimeout(() => { later += 1; }, 100);
  callback(null, { later, waits: context.callbackWaitsForEmptyEventLoop });
};`,
        },
      ],
      { Runtime: 'nodejs22.x' },
    );
    const first = await run('callback');
    expect(JSON.parse(first.payload)).toEqual({ later: 0, waits: true });
    // The RIC's INIT warning, before START.
    expect(first.record.log!.split('START')[0]).toMatch(
      /\tundefined\tWARN\tAWS Lambda plans to remove support for callback-based function handlers starting with Node\.js 24\./,
    );
    // The timer ran before the first call finished: Duration covers it.
    expect(first.record.report!.durationMs).toBeGreaterThanOrEqual(100);
    expect(JSON.parse((await run('callback')).payload)).toEqual({ later: 1, waits: true });
    const quick = await run('callback', { dontWait: true });
    expect(quick.record.report!.durationMs).toBeLessThan(100);
  });

  it('nodejs22.x returns a callback error as the function error; AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING silences the warning', async () => {
    await create(
      'callback-error',
      [
        {
          path: 'index.js',
          content:
            'exports.handler = (e, c, callback) => callback(new RangeError("out of range"));',
        },
      ],
      {
        Runtime: 'nodejs22.x',
        Environment: { Variables: { AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING: 'true' } },
      },
    );
    const result = await run('callback-error');
    expect(JSON.parse(result.payload)).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'out of range',
    });
    expect(result.record.log).not.toContain('callback-based');
  });

  it('nodejs22.x gives require() of ES modules back when NODE_OPTIONS asks, as Lambda does', async () => {
    await create(
      'require-module-22',
      [
        {
          path: 'index.mjs',
          content: 'export const handler = async () => process.features.require_module;',
        },
      ],
      {
        Runtime: 'nodejs22.x',
        Environment: { Variables: { NODE_OPTIONS: '--experimental-require-module' } },
      },
    );
    expect((await run('require-module-22')).payload).toBe('true');
  });

  it("nodejs24.x refuses a handler that declares a callback, async or not, at INIT with AWS's error", async () => {
    const removed =
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
    const handlers = {
      'callback-24': 'exports.handler = (event, context, callback) => callback(null, "ran");',
      // The RIC judges by the number of parameters declared, not by how the function answers.
      'async-three-24': 'exports.handler = async (event, context, callback) => "ran";',
    };
    for (const [name, content] of Object.entries(handlers)) {
      await create(name, [{ path: 'index.js', content }]);
      const result = await run(name);
      expect(result.functionError).toBe('Unhandled');
      expect(JSON.parse(result.payload)).toMatchObject({
        errorType: 'Runtime.CallbackHandlerDeprecated',
        errorMessage: removed,
      });
      expect(result.record.log).toContain('Runtime.CallbackHandlerDeprecated');
    }
  });

  it('gives the context object and reserved variables Lambda gives', async () => {
    await create(
      'context',
      [
        {
          path: 'index.mjs',
          content: `export const handler = async (event, context) => ({
  ...Object.fromEntries(['functionName', 'functionVersion', 'invokedFunctionArn', 'memoryLimitInMB', 'awsRequestId', 'logGroupName', 'logStreamName', 'callbackWaitsForEmptyEventLoop'].map((k) => [k, context[k]])),
  remaining: context.getRemainingTimeInMillis(),
  env: Object.fromEntries(['_HANDLER', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ', 'AWS_ACCESS_KEY_ID'].map((k) => [k, process.env[k] ?? null])),
});`,
        },
      ],
      { MemorySize: 512, Timeout: 7 },
    );
    const result = await run('context');
    const seen = JSON.parse(result.payload);
    expect(seen).toMatchObject({
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: expect.stringMatching(
        /^arn:aws:lambda:us-east-1:\d{12}:function:context$/,
      ),
      memoryLimitInMB: '512',
      awsRequestId: result.record.requestId,
      logGroupName: '/aws/lambda/context',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      callbackWaitsForEmptyEventLoop: true,
      env: {
        _HANDLER: 'index.handler',
        AWS_REGION: 'us-east-1',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_LAMBDA_FUNCTION_NAME: 'context',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/context',
        LAMBDA_TASK_ROOT: '/var/task',
        LAMBDA_RUNTIME_DIR: '/var/runtime',
        TZ: ':UTC',
        AWS_ACCESS_KEY_ID: expect.stringMatching(/^AKIA/),
      },
    });
    expect(seen.remaining).toBeGreaterThan(6000);
    expect(seen.remaining).toBeLessThanOrEqual(7000);
  });

  it("writes console output in Lambda's format, INIT output before START", async () => {
    await create('logs', [
      {
        path: 'index.mjs',
        content:
          'console.log("loading");\nexport const handler = async () => { console.info("i"); console.warn("w"); console.error("e", { a: 1 }); return 1; };',
      },
    ]);
    const log = (await run('logs')).record.log!;
    const lines = log.split('\n');
    expect(lines[0]).toMatch(/^\S+Z\tundefined\tINFO\tloading$/);
    expect(lines[1]).toMatch(/^START RequestId: /);
    expect(lines.slice(2, 5)).toEqual([
      expect.stringMatching(/\tINFO\ti$/),
      expect.stringMatching(/\tWARN\tw$/),
      expect.stringMatching(/\tERROR\te \{ a: 1 \}$/),
    ]);
  });

  it('reclaims idle environments after the TTL: the next call is cold', async () => {
    await create('reclaimed', [
      { path: 'index.mjs', content: 'export const handler = async () => 1;' },
    ]);
    expect((await run('reclaimed')).record.report!.coldStart).toBe(true);
    expect((await run('reclaimed')).record.report!.coldStart).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await run('reclaimed')).record.report!.coldStart).toBe(true);
  });

  it('answers 429 with the reason when the workspace is at its environment cap', async () => {
    await create('wide', [
      {
        path: 'index.mjs',
        content:
          'export const handler = async () => { await new Promise((r) => setTimeout(r, 600)); return 1; };',
      },
    ]);
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => run('wide')));
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]!.reason).toMatchObject({
      type: 'TooManyRequestsException',
      status: 429,
      reason: 'ConcurrentInvocationLimitExceeded',
      message: expect.stringMatching(/maximum of 3 execution environments/),
    });
    // Once they finish, the workspace can run again.
    expect((await run('wide')).payload).toBe('1');
  });
});

/** The exact Node.js release each runtime is pinned to, from lib/runner/runtimes/node-binaries/package.json. */
const PINNED: Record<string, string> = Object.fromEntries(
  Object.entries(
    (
      JSON.parse(
        readFileSync(path.join(import.meta.dirname, 'node-binaries', 'package.json'), 'utf8'),
      ) as { optionalDependencies: Record<string, string> }
    ).optionalDependencies,
  ).map(([alias, spec]) => [`nodejs${alias.replace('node', '')}.x`, spec.split('@').pop()!]),
);

describe.each(['nodejs22.x', 'nodejs24.x'])('%s', (runtime) => {
  const major = runtime.slice('nodejs'.length, -'.x'.length);

  it("runs on its pinned Node.js at Lambda's path, says so in AWS_EXECUTION_ENV, imports an ES-module package from a layer by name, and has Lambda's experimental features", async () => {
    // An ES-module-only package, as npm installs one into a layer's nodejs/node_modules.
    const layer = await harness.service.publishLayerVersion(WS, {
      LayerName: `esm-${major}`,
      Content: {
        Files: [
          {
            path: 'nodejs/node_modules/esm-greet/package.json',
            content: '{"name":"esm-greet","type":"module","exports":{"import":"./index.js"}}',
          },
          {
            path: 'nodejs/node_modules/esm-greet/index.js',
            content: 'export const greet = (name) => `hello ${name}`;',
          },
        ],
      },
      CompatibleRuntimes: [runtime],
    });
    await create(
      `about-${major}`,
      [
        {
          path: 'index.mjs',
          content: `import { greet } from 'esm-greet';
export const handler = async () => ({
  version: process.version,
  execPath: process.execPath,
  executionEnv: process.env.AWS_EXECUTION_ENV,
  nodePath: process.env.NODE_PATH,
  greeting: greet('layer'),
  requireModule: process.features.require_module,
  execArgv: process.execArgv,
});`,
        },
      ],
      { Runtime: runtime, Layers: [layer.LayerVersionArn] },
    );
    const seen = JSON.parse((await run(`about-${major}`)).payload);
    expect(PINNED[runtime]).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
    expect(seen).toMatchObject({
      version: `v${PINNED[runtime]}`,
      execPath: '/var/lang/bin/node',
      executionEnv: `AWS_Lambda_${runtime}`,
      nodePath: `/opt/nodejs/node${major}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`,
      greeting: 'hello layer',
      // Lambda turns off require() of ES modules on Node.js 22, and detecting ES module syntax in .js files.
      requireModule: runtime === 'nodejs24.x',
    });
    expect(seen.execArgv.includes('--no-experimental-detect-module')).toBe(
      runtime === 'nodejs22.x',
    );
  });
});

describe('INIT', () => {
  it('is capped at 10 seconds', async () => {
    await create(
      'slow-init',
      [
        {
          path: 'index.mjs',
          content:
            'await new Promise((r) => setTimeout(r, 30_000));\nexport const handler = async () => 1;',
        },
      ],
      { Timeout: 30 },
    );
    const result = await run('slow-init');
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload).errorType).toBe('Sandbox.Timedout');
    expect(result.record.log).toMatch(
      /INIT_REPORT Init Duration: 10\d{3}\.\d\d ms\tPhase: init\tStatus: timeout/,
    );
  }, 30_000);
});
