import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, ROLE } from '../../lambda/testing/service-harness';

/** The nodejs20.x runtime client: module formats, handler styles, INIT. */
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
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: ROLE,
    Code: { Files: files },
    ...settings,
  });
const run = async (name: string, event: unknown = {}) =>
  harness.service.invoke(WS, name, json(event));

describe('the nodejs20.x runtime', () => {
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

  it('prefers index.mjs over index.js, as Lambda resolves handlers', async () => {
    await create('order', [
      { path: 'index.js', content: 'exports.handler = async () => "js";' },
      { path: 'index.mjs', content: 'export const handler = async () => "mjs";' },
    ]);
    expect((await run('order')).payload).toBe('"mjs"');
  });

  it('supports callback handlers, waiting for the event loop to empty by default', async () => {
    await create('callback', [
      {
        path: 'index.js',
        content: `let later = 0;
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = !event.dontWait;
  setTimeout(() => { later += 1; }, 100);
  callback(null, { later, waits: context.callbackWaitsForEmptyEventLoop });
};`,
      },
    ]);
    const first = await run('callback');
    expect(JSON.parse(first.payload)).toEqual({ later: 0, waits: true });
    // The timer ran before the first call finished: Duration covers it.
    expect(first.record.report!.durationMs).toBeGreaterThanOrEqual(100);
    expect(JSON.parse((await run('callback')).payload)).toEqual({ later: 1, waits: true });
    const quick = await run('callback', { dontWait: true });
    expect(quick.record.report!.durationMs).toBeLessThan(100);
  });

  it('returns a callback error as the function error', async () => {
    await create('callback-error', [
      {
        path: 'index.js',
        content: 'exports.handler = (e, c, callback) => callback(new RangeError("out of range"));',
      },
    ]);
    const result = await run('callback-error');
    expect(JSON.parse(result.payload)).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'out of range',
    });
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
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
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
