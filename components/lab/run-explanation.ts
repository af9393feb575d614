/**
 * What a failed run means in plain words, which stack frames are the
 * learner's, and a log laid out for reading. Free of React so each rule is
 * tested apart from the UI; the raw Lambda error is always shown beside it.
 */

/** A plain-words reading of a failed invocation, shown beside Lambda's own error. */
export interface ErrorExplanation {
  title: string;
  detail: string;
}

export interface FailedRun {
  errorType: string;
  /** The response payload: Lambda's error JSON for a function error. */
  payload: string;
  log: string | undefined;
  /** From the REPORT line, when there is one. */
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** The lab's handler setting, e.g. "index.handler". */
  handler: string;
}

/** Node and Python say they ran out of heap in these words. */
const OUT_OF_MEMORY_SIGNS = [
  /heap out of memory/i,
  /Reached heap limit/i,
  /\bMemoryError\b/,
  /Runtime exited with error: signal: killed/,
];

/** The `errorMessage` of Lambda's error JSON, or undefined when the payload is something else. */
function errorMessageOf(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The explanation for a failed run, or undefined for an error the learner's
 * own code threw (its message and stack already say what happened).
 */
export function explainError(run: FailedRun): ErrorExplanation | undefined {
  const message = errorMessageOf(run.payload) ?? '';
  const everything = `${message}\n${run.log ?? ''}`;
  const [moduleName, exportName] = [
    run.handler.slice(0, run.handler.lastIndexOf('.')),
    run.handler.slice(run.handler.lastIndexOf('.') + 1),
  ];
  const memoryFull =
    run.memorySizeMb !== undefined &&
    run.maxMemoryUsedMb !== undefined &&
    run.maxMemoryUsedMb >= run.memorySizeMb * 0.95;

  switch (run.errorType) {
    case 'Sandbox.Timedout':
      return {
        title: 'The function ran out of time',
        detail:
          'It was still running when its timeout ran out, so Lambda stopped it. Look for a loop that never ends or a promise that never settles, or raise the timeout if the work really takes longer.',
      };
    case 'Runtime.OutOfMemory':
      return outOfMemory();
    case 'Runtime.UserCodeSyntaxError':
      return {
        title: 'Your code has a syntax error',
        detail:
          'The runtime could not parse the file, so the handler never ran. The message names the problem; the editor marks the line.',
      };
    case 'Runtime.ImportModuleError':
      return {
        title: 'A module could not be loaded',
        detail: /Cannot find module '([^']+)'/.test(message)
          ? `The runtime could not find a module it was asked to load. Check the import's path and spelling (files are case-sensitive), that the file exists in the lab, and that the handler setting "${run.handler}" names the right file.`
          : 'The runtime could not load a module your code imports. Check the import paths and that every package you import is in the lab or its layer.',
      };
    case 'Runtime.HandlerNotFound':
      return {
        title: 'The handler function was not found',
        detail: `Lambda calls "${run.handler}": the function exported as "${exportName}" from the file ${moduleName}. Export a function with that name (for example \`export const ${exportName} = async (event) => …\`).`,
      };
    case 'Runtime.MalformedHandlerName':
      return {
        title: 'The handler setting is not valid',
        detail: `A handler is written "file.function", such as "index.handler"; this one is "${run.handler}".`,
      };
    case 'Runtime.ExitError':
      if (OUT_OF_MEMORY_SIGNS.some((sign) => sign.test(everything)) || memoryFull)
        return outOfMemory();
      return {
        title: 'The runtime process ended',
        detail:
          'The process running your code exited before it answered (a crash, process.exit() or sys.exit()). The log above the error shows its last words.',
      };
    case 'Runtime.UnhandledPromiseRejection':
      return {
        title: 'A promise was rejected and nothing caught it',
        detail:
          'Something your code started without awaiting it failed. Await every promise the handler starts, or catch its error.',
      };
    case 'Function.ResponseSizeTooLarge':
      return {
        title: 'The response is too large',
        detail:
          'A synchronous invocation may return at most 6 MB. Return less, or store the result elsewhere (such as Amazon S3) and return where it is.',
      };
    default:
      return undefined;
  }

  function outOfMemory(): ErrorExplanation {
    return {
      title: 'The function ran out of memory',
      detail: `It needed more than the ${run.memorySizeMb !== undefined ? `${run.memorySizeMb.toLocaleString('en-US')} MB` : 'memory'} it is configured with, so the runtime was stopped. Use less memory (stream, or process in smaller pieces) or configure more. The garbage collector's messages in the log are the runtime's own.`,
    };
  }
}

/** One line of a stack trace: the learner's, or the runtime's own. */
export interface StackFrame {
  text: string;
  /** The runtime's own frame (its bootstrap, Node's internals): hidden unless asked for. */
  runtime: boolean;
  /** Where in a lab file this frame points, when it does. */
  location?: { path: string; line: number; column: number };
}

/** Frames of code that is not the learner's: the runtime, Node's internals (and its anonymous built-ins, such as `new Promise`), Python's importer. */
const RUNTIME_FRAME =
  /\/var\/runtime\/|node:internal|\(node:|\(<anonymous>\)|<frozen |bootstrap\.(mjs|py)/;

/** Splits a stack trace into frames, marking the runtime's and locating the learner's files. */
export function stackFrames(trace: readonly string[], labPaths: readonly string[]): StackFrame[] {
  return trace.map((text) => {
    const frame: StackFrame = { text, runtime: RUNTIME_FRAME.test(text) };
    const location = locate(text, labPaths);
    if (location && !frame.runtime) frame.location = location;
    return frame;
  });
}

/** `file:///var/task/index.mjs:3:9`, `/var/task/index.mjs:3:9` or Python's `File "/var/task/app.py", line 4`. */
function locate(text: string, labPaths: readonly string[]): StackFrame['location'] {
  const node = /(?:file:\/\/)?\/var\/task\/([^\s:()]+):(\d+):(\d+)/.exec(text);
  const python = /File "\/var\/task\/([^"]+)", line (\d+)/.exec(text);
  const [path, line, column] = node
    ? [node[1]!, Number(node[2]), Number(node[3])]
    : python
      ? [python[1]!, Number(python[2]), 1]
      : [];
  if (path === undefined || !labPaths.includes(path)) return undefined;
  return { path, line: line!, column: column! };
}

/** The `trace` or `stackTrace` of Lambda's error JSON, as lines. */
export function traceOf(payload: string): string[] {
  try {
    const parsed = JSON.parse(payload) as { trace?: unknown; stackTrace?: unknown };
    const trace = parsed.trace ?? parsed.stackTrace;
    return Array.isArray(trace) ? trace.filter((line) => typeof line === 'string') : [];
  } catch {
    return [];
  }
}

/** One log line, split so the request id does not crowd out the message. */
export interface LogLine {
  /** START, END, REPORT, INIT_START, or a log level such as INFO; undefined for a plain line. */
  kind: string | undefined;
  /** The time of day (HH:MM:SS.mmm) for a runtime log line. */
  time?: string;
  requestId?: string;
  message: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PLATFORM_LINE = new RegExp(`^(START|END|REPORT) RequestId: (${UUID})\\s*(.*)$`);
const RUNTIME_LINE = new RegExp(
  `^(\\d{4}-\\d\\d-\\d\\dT(\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)Z?)\\s+(${UUID})\\s+([A-Z]+)\\s+(.*)$`,
);

/**
 * A log as lines the lab can lay out: Lambda's START/END/REPORT lines and
 * the runtime's "time request-id LEVEL message" lines are split into fields;
 * any other line (a stack frame, a print) is kept whole.
 */
export function logLines(log: string): LogLine[] {
  const lines = log.replace(/\n$/, '').split('\n');
  return lines.map((text) => {
    const platform = PLATFORM_LINE.exec(text);
    if (platform)
      return { kind: platform[1], requestId: platform[2], message: platform[3]!.trim() };
    const runtime = RUNTIME_LINE.exec(text);
    if (runtime)
      return { kind: runtime[4], time: runtime[2], requestId: runtime[3], message: runtime[5]! };
    if (text.startsWith('INIT_START ')) return { kind: 'INIT_START', message: text.slice(11) };
    return { kind: undefined, message: text };
  });
}
