import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, nodeFunction, ROLE } from './testing/service-harness';

let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService();
});
afterAll(() => harness.dispose());

const WS = 'workspace-a';
const COUNTER = `let count = 0;
const startedAt = Date.now();
export const handler = async (event, context) => {
  count += 1;
  console.log('call', count);
  return { count, startedAt, memory: context.memoryLimitInMB, requestId: context.awsRequestId, fn: process.env.AWS_LAMBDA_FUNCTION_NAME, table: process.env.TABLE_NAME ?? null };
};`;

describe('the lifecycle of execution environments', () => {
  it('reports Init Duration on the first call only, and keeps module state while warm', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction('counter', COUNTER, { Environment: { Variables: { TABLE_NAME: 'orders' } } }),
    );
    const first = await harness.service.invoke(WS, 'counter', json({}));
    const second = await harness.service.invoke(WS, 'counter', json({}));

    expect(JSON.parse(first.payload)).toMatchObject({
      count: 1,
      memory: '128',
      fn: 'counter',
      table: 'orders',
      requestId: first.record.requestId,
    });
    expect(JSON.parse(second.payload)).toMatchObject({
      count: 2,
      startedAt: JSON.parse(first.payload).startedAt,
    });
    expect(first.record.report).toMatchObject({ coldStart: true, memorySizeMb: 128 });
    expect(first.record.report!.initDurationMs).toBeGreaterThan(0);
    expect(second.record.report).toMatchObject({
      coldStart: false,
      initDurationMs: undefined,
      environmentId: first.record.report!.environmentId,
    });
    expect(first.record.log).toMatch(/\tInit Duration: \d+\.\d\d ms\n$/);
    expect(second.record.log).not.toContain('Init Duration');
    expect(second.record.log).toMatch(
      new RegExp(
        `^START RequestId: ${second.record.requestId} Version: \\$LATEST\\n\\S+Z\\t${second.record.requestId}\\tINFO\\tcall 2\\nEND RequestId: ${second.record.requestId}\\nREPORT RequestId: ${second.record.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\n$`,
      ),
    );
    // Max Memory Used is measured, not Memory Size copied.
    expect(second.record.report!.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(second.record.report!.maxMemoryUsedMb).toBeLessThan(128);
  });

  it('starts cold after a configuration change', async () => {
    await harness.service.updateFunctionConfiguration(WS, 'counter', { MemorySize: 256 });
    const after = await harness.service.invoke(WS, 'counter', json({}));
    expect(JSON.parse(after.payload)).toMatchObject({ count: 1, memory: '256' });
    expect(after.record.report).toMatchObject({ coldStart: true, memorySizeMb: 256 });
  });

  it('freezes an idle environment: a timer set in one call does not fire before the next', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'timer',
        `let fired = [];
export const handler = async (event) => {
  if (event.arm) { setTimeout(() => fired.push(Date.now()), 50); return { armedAt: Date.now() }; }
  return { firedAfter: fired.map((t) => t - event.armedAt), now: Date.now() };
};`,
      ),
    );
    const armed = JSON.parse(
      (await harness.service.invoke(WS, 'timer', json({ arm: true }))).payload,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const checked = JSON.parse(
      (await harness.service.invoke(WS, 'timer', json({ armedAt: armed.armedAt }))).payload,
    );
    // Frozen for 400 ms: the 50 ms timer could not fire until the environment
    // thawed for the second call (overdue timers then run first, as on Lambda).
    expect(checked.firedAfter).toHaveLength(1);
    expect(checked.firedAfter[0]).toBeGreaterThanOrEqual(400);
  });

  it("times out with Lambda's message, and the next call is cold", async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'slow',
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return 1; };',
        { Timeout: 1 },
      ),
    );
    const result = await harness.service.invoke(WS, 'slow', json({}));
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        /^RequestId: \S+ Error: Task timed out after 1\.\d\d seconds$/,
      ),
    });
    expect(result.record.log).toMatch(/\S+Z \S+ Task timed out after 1\.\d\d seconds\n/);
    const next = await harness.service.invoke(WS, 'slow', json({}));
    expect(next.record.report!.coldStart).toBe(true);
  });
});

describe('errors', () => {
  it('keeps the environment warm after a function error the handler throws: module state and /tmp survive', async () => {
    // Only a timeout, a runtime exit or out-of-memory resets an environment
    // (docs/decisions/010-reset-after-a-failed-invoke.md); an error the handler
    // throws is an ordinary answer, and the next call reuses the environment as is.
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'throws-then-counts',
        `import { existsSync, writeFileSync } from 'node:fs';
let count = 0;
export const handler = async (event) => {
  count += 1;
  if (event.fail) { writeFileSync('/tmp/marker', 'x'); throw new Error('boom'); }
  return { count, marker: existsSync('/tmp/marker') };
};`,
      ),
    );
    const failed = await harness.service.invoke(WS, 'throws-then-counts', json({ fail: true }));
    expect(failed.functionError).toBe('Unhandled');
    const next = await harness.service.invoke(WS, 'throws-then-counts', json({}));
    expect(JSON.parse(next.payload)).toEqual({ count: 2, marker: true });
    expect(next.record.report).toMatchObject({
      coldStart: false,
      environmentId: failed.record.report!.environmentId,
    });
    expect(next.record.report!.initDurationMs).toBeUndefined();
  });

  it("returns a thrown error in Lambda's Node shape with X-Amz-Function-Error", async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'thrower',
        'export const handler = async () => { throw new TypeError("boom"); };',
      ),
    );
    const result = await harness.service.invoke(WS, 'thrower', json({}), { logType: 'Tail' });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'boom',
      trace: expect.arrayContaining([expect.stringMatching(/^TypeError: boom/)]),
    });
    expect(Buffer.from(result.logResult!, 'base64').toString()).toMatch(/REPORT RequestId/);
  });

  it.each([
    [
      'Runtime.ImportModuleError',
      { Handler: 'missing.handler' },
      'export const handler = async () => 1;',
    ],
    [
      'Runtime.HandlerNotFound',
      { Handler: 'index.nothere' },
      'export const handler = async () => 1;',
    ],
    ['Runtime.UserCodeSyntaxError', {}, 'export const handler = async () => { return 1 +; };'],
    ['Runtime.MalformedHandlerName', { Handler: 'nodot' }, 'export const handler = async () => 1;'],
    [
      'Runtime.UnhandledPromiseRejection',
      {},
      'export const handler = async () => { Promise.reject(new Error("lost")); await new Promise((r) => setTimeout(r, 200)); return 1; };',
    ],
    ['Runtime.ExitError', {}, 'export const handler = async () => { process.exit(1); };'],
  ])('reports %s', async (errorType, settings, source) => {
    const name = `err-${errorType.replace(/\W/g, '')}`;
    await harness.service.createFunction(WS, nodeFunction(name, source, settings));
    const result = await harness.service.invoke(WS, name, json({}));
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload).errorType).toBe(errorType);
    if (errorType === 'Runtime.ExitError')
      expect(JSON.parse(result.payload).errorMessage).toMatch(
        /Runtime exited with error: exit status 1$/,
      );
  });

  it('ends an environment that runs out of memory with Runtime.OutOfMemory', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'hog',
        'export const handler = async () => { const keep = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); };',
        { MemorySize: 256, Timeout: 30 },
      ),
    );
    const result = await harness.service.invoke(WS, 'hog', json({}));
    expect(JSON.parse(result.payload).errorType).toBe('Runtime.OutOfMemory');
    expect(result.record.report!.maxMemoryUsedMb).toBeGreaterThanOrEqual(256);
    const next = await harness.service.invoke(WS, 'hog', json({}));
    expect(next.record.report!.coldStart).toBe(true);
  });

  it('refuses payloads over the limits and responses over 6 MB', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'big',
        'export const handler = async (e) => (e.big ? "x".repeat(7 * 1024 * 1024) : "ok");',
        { MemorySize: 1769, Timeout: 20 },
      ),
    );
    await expect(
      harness.service.invoke(WS, 'big', Buffer.alloc(6 * 1024 * 1024 + 10, 32)),
    ).rejects.toMatchObject({ type: 'RequestTooLargeException', status: 413 });
    await expect(
      harness.service.invoke(WS, 'big', Buffer.from('{"x":"' + 'y'.repeat(1024 * 1024) + '"}'), {
        invocationType: 'Event',
      }),
    ).rejects.toMatchObject({ status: 413 });
    const result = await harness.service.invoke(WS, 'big', json({ big: true }));
    expect(JSON.parse(result.payload).errorType).toBe('Function.ResponseSizeTooLarge');
  });
});

describe('concurrency', () => {
  it('scales out to one environment per concurrent call, each cold', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'burst',
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return 1; };',
      ),
    );
    const results = await Promise.all(
      Array.from({ length: 4 }, () => harness.service.invoke(WS, 'burst', json({}))),
    );
    const environments = new Set(results.map((r) => r.record.report!.environmentId));
    expect(environments.size).toBe(4);
    expect(results.every((r) => r.record.report!.coldStart)).toBe(true);
  });

  it('throttles calls beyond reserved concurrency with 429 Rate Exceeded.', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'reserved',
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 500)); return 1; };',
      ),
    );
    await harness.service.putFunctionConcurrency(WS, 'reserved', {
      ReservedConcurrentExecutions: 2,
    });
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, () => harness.service.invoke(WS, 'reserved', json({}))),
    );
    const throttled = settled.filter((s) => s.status === 'rejected');
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    expect(throttled).toHaveLength(3);
    expect((throttled[0] as PromiseRejectedResult).reason).toMatchObject({
      type: 'TooManyRequestsException',
      status: 429,
      message: 'Rate Exceeded.',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  it('keeps provisioned environments initialised ahead, marked provisioned-concurrency', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'ready',
        'export const handler = async () => process.env.AWS_LAMBDA_INITIALIZATION_TYPE;',
      ),
    );
    await harness.service.putProvisionedConcurrency(WS, 'ready', null, {
      ProvisionedConcurrentExecutions: 1,
    });
    const result = await harness.service.invoke(WS, 'ready', json({}));
    expect(JSON.parse(result.payload)).toBe('provisioned-concurrency');
    expect(result.record.report!.coldStart).toBe(false);
  });
});

describe('asynchronous invocation', () => {
  it('queues an Event invoke and keeps its result in the recent invocations', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction('async', 'export const handler = async (e) => ({ got: e.n });'),
    );
    const accepted = await harness.service.invoke(WS, 'async', json({ n: 7 }), {
      invocationType: 'Event',
    });
    expect(accepted.statusCode).toBe(202);
    await harness.service.drain();
    const [recent] = (await harness.service.invocationHistory(WS, 'async')).invocations;
    expect(recent).toMatchObject({
      requestId: accepted.record.requestId,
      invocationType: 'Event',
      status: 'succeeded',
      payload: '{"got":7}',
    });
  });

  it('answers DryRun with 204 without running anything', async () => {
    const result = await harness.service.invoke(WS, 'async', json({}), {
      invocationType: 'DryRun',
    });
    expect(result.statusCode).toBe(204);
  });
});

describe('function management', () => {
  it('validates configuration with specific errors', async () => {
    await expect(
      harness.service.createFunction(WS, nodeFunction('bad', 'x', { MemorySize: 64 })),
    ).rejects.toMatchObject({
      type: 'InvalidParameterValueException',
      message: 'MemorySize: MemorySize must be at least 128 MB',
    });
    await expect(
      harness.service.createFunction(WS, nodeFunction('bad', 'x', { Timeout: 901 })),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      harness.service.createFunction(
        WS,
        nodeFunction('bad', 'x', { Environment: { Variables: { AWS_REGION: 'x' } } }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /reserved keys .* Reserved keys used in this request: AWS_REGION$/,
      ),
    });
    await expect(
      harness.service.createFunction(
        WS,
        nodeFunction('bad', 'x', { Environment: { Variables: { BIG: 'x'.repeat(5000) } } }),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/4 KB/) });
    await expect(
      harness.service.createFunction(WS, {
        FunctionName: 'bad',
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: Buffer.from('not a zip').toString('base64') },
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Could not unzip uploaded file/),
    });
    await expect(
      harness.service.createFunction(WS, nodeFunction('counter', COUNTER)),
    ).rejects.toMatchObject({ type: 'ResourceConflictException', status: 409 });
  });

  it('keeps workspaces apart', async () => {
    await expect(harness.service.invoke('workspace-b', 'counter', json({}))).rejects.toMatchObject({
      type: 'ResourceNotFoundException',
      status: 404,
    });
    expect(await harness.service.listFunctions('workspace-b')).toEqual([]);
  });

  it('mounts layers read-only at /opt', async () => {
    const layer = await harness.service.publishLayerVersion(WS, {
      LayerName: 'shared',
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
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'layered',
        'import { createRequire } from "node:module"; import { writeFileSync } from "node:fs"; const require = createRequire("/opt/nodejs/node_modules/"); const greet = require("greet"); export const handler = async () => { let writable = true; try { writeFileSync("/opt/x", "1"); } catch { writable = false; } return { text: greet("layer"), optWritable: writable }; };',
        { Layers: [layer.LayerVersionArn] },
      ),
    );
    const result = await harness.service.invoke(WS, 'layered', json({}));
    expect(JSON.parse(result.payload)).toEqual({ text: 'hello layer', optWritable: false });
  });
});

describe('deprecated runtimes', () => {
  /** Lambda's InvalidParameterValueException for a runtime past its block dates. */
  const BLOCKED = {
    type: 'InvalidParameterValueException',
    status: 400,
    message:
      'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
  };

  it('refuses to create a function on nodejs20.x, as Lambda does after the block date', async () => {
    await expect(
      harness.service.createFunction(
        WS,
        nodeFunction('on-node20', 'export const handler = async () => 1;', {
          Runtime: 'nodejs20.x',
        }),
      ),
    ).rejects.toMatchObject(BLOCKED);
    expect(await harness.service.hasFunction(WS, 'on-node20')).toBe(false);
  });

  it('refuses to move a function to nodejs20.x, and leaves it as it was', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction('stays-on-24', 'export const handler = async () => process.version;'),
    );
    await expect(
      harness.service.updateFunctionConfiguration(WS, 'stays-on-24', {
        Runtime: 'nodejs20.x',
        MemorySize: 256,
      }),
    ).rejects.toMatchObject(BLOCKED);
    const { configuration } = await harness.service.getFunction(WS, 'stays-on-24');
    expect(configuration).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 128 });
  });

  it('keeps running a function created on nodejs20.x before the block, freezes its code, and lets it move to nodejs24.x', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction('legacy', 'export const handler = async () => process.version;'),
    );
    // A function stored before the block date: its definition names nodejs20.x.
    const stored = (await harness.repository.getFunction(WS, 'legacy'))!;
    await harness.repository.replaceFunction(
      WS,
      { ...stored, Runtime: 'nodejs20.x' },
      stored.RevisionId,
      new Date(),
    );
    await harness.service.resetEnvironments(WS, 'legacy');
    expect(JSON.parse((await harness.service.invoke(WS, 'legacy', json({}))).payload)).toMatch(
      /^v20\./,
    );

    await expect(
      harness.service.updateFunctionCode(WS, 'legacy', {
        Files: [{ path: 'index.mjs', content: 'export const handler = async () => "new";' }],
      }),
    ).rejects.toMatchObject(BLOCKED);
    // Settings that do not name the runtime may change; naming it again is refused.
    await expect(
      harness.service.updateFunctionConfiguration(WS, 'legacy', { Timeout: 5 }),
    ).resolves.toMatchObject({ Runtime: 'nodejs20.x', Timeout: 5 });
    await expect(
      harness.service.updateFunctionConfiguration(WS, 'legacy', { Runtime: 'nodejs20.x' }),
    ).rejects.toMatchObject(BLOCKED);

    await expect(
      harness.service.updateFunctionConfiguration(WS, 'legacy', { Runtime: 'nodejs24.x' }),
    ).resolves.toMatchObject({ Runtime: 'nodejs24.x' });
    expect(JSON.parse((await harness.service.invoke(WS, 'legacy', json({}))).payload)).toMatch(
      /^v24\./,
    );
  });
});
