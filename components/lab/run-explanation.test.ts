import { describe, expect, it } from 'vitest';
import { explainError, logLines, stackFrames, traceOf, type FailedRun } from './run-explanation';

const failed = (
  errorType: string,
  errorMessage: string,
  extra: Partial<FailedRun> = {},
): FailedRun => ({
  errorType,
  payload: JSON.stringify({ errorType, errorMessage }),
  log: '',
  handler: 'index.handler',
  ...extra,
});

describe('explainError', () => {
  it('reads Node running out of heap as out of memory, though Lambda calls it Runtime.ExitError', () => {
    const run = failed(
      'Runtime.ExitError',
      'RequestId: x Error: Runtime exited with error: exit status 134',
      {
        log: '<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n',
        memorySizeMb: 128,
        maxMemoryUsedMb: 128,
      },
    );
    expect(explainError(run)).toMatchObject({ title: 'The function ran out of memory' });
    expect(explainError(run)?.detail).toContain('128 MB');
  });

  it('tells a crash apart from running out of memory', () => {
    const run = failed(
      'Runtime.ExitError',
      'RequestId: x Error: Runtime exited with error: exit status 1',
      {
        memorySizeMb: 128,
        maxMemoryUsedMb: 40,
      },
    );
    expect(explainError(run)?.title).toBe('The runtime process ended');
  });

  it.each([
    ['Sandbox.Timedout', 'Task timed out after 3.00 seconds', 'The function ran out of time'],
    [
      'Runtime.OutOfMemory',
      'Runtime exited with error: signal: killed',
      'The function ran out of memory',
    ],
    [
      'Runtime.UserCodeSyntaxError',
      'SyntaxError: Unexpected token',
      'Your code has a syntax error',
    ],
    [
      'Runtime.ImportModuleError',
      "Error: Cannot find module 'lodash'",
      'A module could not be loaded',
    ],
    [
      'Runtime.HandlerNotFound',
      'index.handler is undefined or not exported',
      'The handler function was not found',
    ],
  ])('%s', (errorType, message, title) => {
    expect(explainError(failed(errorType, message))?.title).toBe(title);
  });

  it('names the export the handler setting asks for', () => {
    expect(
      explainError(failed('Runtime.HandlerNotFound', 'x', { handler: 'app/main.run' }))?.detail,
    ).toContain('the function exported as "run" from the file app/main');
  });

  it("leaves the learner's own errors to their message", () => {
    expect(
      explainError(failed('TypeError', "Cannot read properties of undefined (reading 'name')")),
    ).toBeUndefined();
  });
});

describe('stackFrames', () => {
  const trace = [
    "TypeError: Cannot read properties of undefined (reading 'name')",
    '    at Runtime.handler (file:///var/task/index.mjs:3:24)',
    '    at invoke (file:///var/runtime/bootstrap.mjs:180:20)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ];

  it("marks the runtime's frames and links the learner's to their file, line and column", () => {
    const frames = stackFrames(trace, ['index.mjs']);
    expect(frames.map((f) => f.runtime)).toEqual([false, false, true, true]);
    expect(frames[1]!.location).toEqual({ path: 'index.mjs', line: 3, column: 24 });
    expect(frames[2]!.location).toBeUndefined();
  });

  it('links Python frames by file and line', () => {
    const frames = stackFrames(
      ['  File "/var/task/app.py", line 7, in handler\n    raise ValueError("no")\n'],
      ['app.py'],
    );
    expect(frames[0]!.location).toEqual({ path: 'app.py', line: 7, column: 1 });
  });

  it('links nothing outside the lab', () => {
    expect(
      stackFrames(['    at f (file:///var/task/node_modules/x/index.js:1:1)'], ['index.mjs'])[0]!
        .location,
    ).toBeUndefined();
  });

  it("reads the trace from Node's trace and Python's stackTrace", () => {
    expect(traceOf(JSON.stringify({ trace: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(traceOf(JSON.stringify({ stackTrace: ['c'] }))).toEqual(['c']);
    expect(traceOf('not json')).toEqual([]);
  });
});

describe('logLines', () => {
  it("splits Lambda's lines and the runtime's into fields, and keeps anything else whole", () => {
    const id = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    const lines = logLines(
      [
        `START RequestId: ${id} Version: $LATEST`,
        `2026-12-02T10:00:00.123Z\t${id}\tINFO\thello world`,
        '    at somewhere',
        `END RequestId: ${id}`,
        `REPORT RequestId: ${id}\tDuration: 1.50 ms\tBilled Duration: 2 ms`,
        '',
      ].join('\n'),
    );
    expect(lines).toEqual([
      { kind: 'START', requestId: id, message: 'Version: $LATEST' },
      { kind: 'INFO', time: '10:00:00.123', requestId: id, message: 'hello world' },
      { kind: undefined, message: '    at somewhere' },
      { kind: 'END', requestId: id, message: '' },
      { kind: 'REPORT', requestId: id, message: 'Duration: 1.50 ms\tBilled Duration: 2 ms' },
    ]);
  });
});
