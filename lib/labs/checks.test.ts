import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService } from '../lambda/testing/service-harness';
import { checkSchema, runCheck, type RunInvocation } from './checks';
import { runLab } from './lab-functions';

/** Checks run the learner's code through the real runner, as in a lab. */
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService();
});
afterAll(() => harness.dispose());

let labCount = 0;
function labRunner(
  source: string,
  lab: { memoryMb?: number; timeoutS?: number; environment?: Record<string, string> } = {},
): RunInvocation {
  const name = `lab-${++labCount}`;
  return async (event, settings, fresh) => {
    const deployment = {
      runtime: 'nodejs24.x' as const,
      handler: 'index.handler',
      memoryMb: settings.memoryMb ?? lab.memoryMb ?? 256,
      timeoutS: settings.timeoutS ?? lab.timeoutS ?? 3,
      environment: { ...lab.environment, ...settings.environment },
      files: [{ path: 'index.mjs', content: source }],
    };
    const result = await runLab(harness.service, 'learner', name, deployment, event, fresh);
    return {
      payload: result.payload,
      errorType: result.record.errorType,
      log: result.record.log ?? '',
      report: result.record.report!,
    };
  };
}

const check = (value: unknown) => checkSchema.parse(value);

describe('exercise checks', () => {
  const greeting = check({
    title: 'returns statusCode 200 and a JSON body with a greeting',
    invocations: [{ event: { name: 'Ada' } }],
    expect: [
      { response: { path: 'statusCode', equals: 200 } },
      { response: { path: 'body', json: { path: 'greeting', matches: 'Ada' } } },
    ],
  });

  it('pass a handler that answers as asked, and say exactly what a wrong one got wrong', async () => {
    const good = await runCheck(
      greeting,
      labRunner(
        'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ greeting: `Hello, ${e.name}` }) });',
      ),
    );
    expect(good).toEqual({ title: greeting.title, passed: true, message: '' });
    const bad = await runCheck(
      greeting,
      labRunner(
        'export const handler = async (e) => ({ statusCode: 200, body: { greeting: "hi" } });',
      ),
    );
    expect(bad).toMatchObject({
      passed: false,
      message: 'Expected the response\'s body to be a JSON string, found {"greeting":"hi"}.',
    });
  });

  it('compare a warm call with the cold one before it', async () => {
    const warm = check({
      title: "the second invocation is warm and faster than the first's Init Duration + Duration",
      invocations: [{}, {}],
      expect: [
        { report: { field: 'coldStart', equals: false }, invocation: 2 },
        {
          report: {
            field: 'durationMs',
            lessThanSumOf: [
              { invocation: 1, field: 'initDurationMs' },
              { invocation: 1, field: 'durationMs' },
            ],
          },
          invocation: 2,
        },
      ],
    });
    expect(await runCheck(warm, labRunner('export const handler = async () => 1;'))).toMatchObject({
      passed: true,
    });
  });

  it('count log lines across invocations: a client created at module scope is created once', async () => {
    const once = check({
      title: 'a client created at module scope is created once across three invocations',
      invocations: [{}, {}, {}],
      expect: [{ log: { matches: 'client created', count: { equals: 1 } }, invocation: 'all' }],
    });
    const moduleScope =
      'const client = (() => { console.log("client created"); return {}; })();\nexport const handler = async () => Boolean(client);';
    const inHandler =
      'export const handler = async () => { console.log("client created"); return true; };';
    expect(await runCheck(once, labRunner(moduleScope))).toMatchObject({ passed: true });
    expect(await runCheck(once, labRunner(inHandler))).toMatchObject({
      passed: false,
      message: 'Expected 1 log line(s) matching /client created/ across all invocations, found 3.',
    });
  });

  it('set environment variables for a check', async () => {
    const table = check({
      title: 'reads TABLE_NAME from the environment',
      settings: { environment: { TABLE_NAME: 'orders-test' } },
      expect: [{ response: { path: 'table', equals: 'orders-test' } }],
    });
    expect(
      await runCheck(
        table,
        labRunner('export const handler = async () => ({ table: process.env.TABLE_NAME });'),
      ),
    ).toMatchObject({ passed: true });
    expect(
      await runCheck(table, labRunner('export const handler = async () => ({ table: "orders" });')),
    ).toMatchObject({
      passed: false,
      message: 'Expected the response\'s table to be "orders-test", found "orders".',
    });
  });

  it('hold a handler to a timeout and memory size', async () => {
    const fast = check({
      title: 'finishes within a 3 s timeout at 128 MB',
      settings: { memoryMb: 128, timeoutS: 3 },
      expect: [{ error: { absent: true } }],
    });
    expect(await runCheck(fast, labRunner('export const handler = async () => 1;'))).toMatchObject({
      passed: true,
    });
    expect(
      await runCheck(
        fast,
        labRunner(
          'export const handler = async () => { await new Promise((r) => setTimeout(r, 3500)); return 1; };',
        ),
      ),
    ).toMatchObject({
      passed: false,
      message: 'the last invocation failed with Sandbox.Timedout; it should succeed.',
    });
  });

  it('refuse malformed checks with the field at fault', () => {
    const result = checkSchema.safeParse({ title: 'x', expect: [{ report: { field: 'speed' } }] });
    expect(result.success).toBe(false);
  });
});

describe('check expectations on recorded invocations', () => {
  /** The runner's output for one call, given directly: these cases are about counting and validation, not running. */
  const recorded =
    (log: string): RunInvocation =>
    async () => ({
      payload: '{}',
      errorType: undefined,
      log,
      report: { coldStart: true, durationMs: 1, billedDurationMs: 1, maxMemoryUsedMb: 40 },
    });

  it('treats "atMost: 0" alone as "no such line", and a bare log expectation as "at least one"', async () => {
    const none = check({
      title: 'never rejects',
      expect: [{ log: { matches: 'rejected', count: { atMost: 0 } } }],
    });
    expect((await runCheck(none, recorded('START\naccepted\nEND'))).passed).toBe(true);
    expect((await runCheck(none, recorded('START\nrejected\nEND'))).message).toBe(
      'Expected at most 0 log line(s) matching /rejected/ in the last invocation, found 1.',
    );
    const some = check({ title: 'accepts', expect: [{ log: { matches: 'accepted' } }] });
    expect((await runCheck(some, recorded('START\nEND'))).passed).toBe(false);
  });

  it('refuses an error expectation that names neither a type nor absence', () => {
    expect(checkSchema.safeParse({ title: 'x', expect: [{ error: {} }] }).success).toBe(false);
    expect(
      checkSchema.safeParse({ title: 'x', expect: [{ error: { absent: true, type: 'Error' } }] })
        .success,
    ).toBe(false);
    expect(
      checkSchema.safeParse({ title: 'x', expect: [{ error: { type: 'Sandbox.Timedout' } }] })
        .success,
    ).toBe(true);
  });
});
