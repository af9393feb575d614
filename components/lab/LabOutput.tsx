import { useState } from 'react';
import type { RunResult } from './lab-api';
import { formatMs, formatCallCost } from './report-format';
import { explainError, logLines, stackFrames, traceOf, type StackFrame } from './run-explanation';

/** A COLD or WARM badge: a cold start must stand out at a glance. */
export function StartBadge({ cold }: { cold: boolean }) {
  return cold ? (
    <span className="rounded bg-amber-200 px-2 py-0.5 text-xs font-bold tracking-wide text-amber-950 ring-1 ring-amber-500 dark:bg-amber-400 dark:text-slate-950">
      COLD
    </span>
  ) : (
    <span className="rounded bg-sky-100 px-2 py-0.5 text-xs font-bold tracking-wide text-sky-950 ring-1 ring-sky-500 dark:bg-sky-900 dark:text-sky-100">
      WARM
    </span>
  );
}

function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** Lambda's error JSON without its trace, which is shown as frames below it. */
function errorWithoutTrace(payload: string): string {
  try {
    const {
      trace: _trace,
      stackTrace: _stackTrace,
      ...rest
    } = JSON.parse(payload) as Record<string, unknown>;
    return JSON.stringify(rest, null, 2);
  } catch {
    return payload;
  }
}

export interface LabOutputProps {
  result: RunResult;
  /** The lab's handler setting, for explaining a handler that was not found. */
  handler: string;
  /** The lab's file paths: stack frames in these files link to the editor. */
  paths: readonly string[];
  /** Opens a file in the editor at a line and column. */
  onReveal(path: string, line: number, column: number): void;
}

/** One invocation's result: the report as readable figures, then the response (or the error, explained) and the log. */
export function LabOutput({ result, handler, paths, onReveal }: LabOutputProps) {
  const report = result.report;
  const explanation = result.errorType
    ? explainError({
        errorType: result.errorType,
        payload: result.payload,
        log: result.log,
        handler,
        memorySizeMb: report?.memorySizeMb,
        maxMemoryUsedMb: report?.maxMemoryUsedMb,
      })
    : undefined;
  const frames = result.errorType ? stackFrames(traceOf(result.payload), paths) : [];
  return (
    <div className="space-y-4" data-testid="lab-output">
      {report && (
        <div>
          <div className="flex flex-wrap items-center gap-2">
            <StartBadge cold={report.coldStart} />
            {result.errorType && (
              <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-bold text-red-900 ring-1 ring-red-500 dark:bg-red-950 dark:text-red-200">
                {result.errorType}
              </span>
            )}
            <span className="text-xs text-slate-600 dark:text-slate-400">
              Environment <code>{report.environmentId.slice(0, 8)}</code>
            </span>
          </div>
          {report.courseWaitMs !== undefined && (
            <p className="mt-2 text-xs text-slate-700 dark:text-slate-300">
              Waited {(report.courseWaitMs / 1000).toFixed(1)} s for room on the course server
              before starting (not part of Duration; AWS would have started it at once).
            </p>
          )}
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm @sm:grid-cols-3">
            <Figure
              label="Init Duration"
              value={
                report.initDurationMs === undefined
                  ? 'none (warm)'
                  : formatMs(report.initDurationMs)
              }
            />
            <Figure label="Duration" value={formatMs(report.durationMs)} />
            <Figure
              label="Billed Duration"
              value={`${report.billedDurationMs.toLocaleString('en-US')} ms`}
            />
            <Figure
              label="Max Memory Used"
              value={`${report.maxMemoryUsedMb} MB of ${report.memorySizeMb.toLocaleString('en-US')} MB`}
            />
            <Figure label="Cost of this call" value={formatCallCost(report.costUsd)} />
            <Figure
              label="Isolation"
              value={report.sandbox === 'none' ? 'none (unsandboxed server)' : report.sandbox}
            />
          </dl>
        </div>
      )}
      {explanation && (
        <div
          className="rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100"
          data-testid="error-explanation"
        >
          <p className="font-semibold">{explanation.title}</p>
          <p className="mt-1">{explanation.detail}</p>
        </div>
      )}
      <section aria-label={result.errorType ? 'Error' : 'Response'}>
        <h4 className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
          {result.errorType ? 'Error, as Lambda returns it' : 'Response'}
        </h4>
        <pre
          tabIndex={0}
          className="mt-1 max-h-64 overflow-auto rounded bg-slate-100 p-3 text-xs whitespace-pre-wrap text-slate-900 dark:bg-slate-900 dark:text-slate-100"
        >
          {(frames.length > 0
            ? errorWithoutTrace(result.payload)
            : prettyPayload(result.payload)) || '(empty)'}
        </pre>
        {frames.length > 0 && <StackTrace frames={frames} onReveal={onReveal} />}
      </section>
      <Log log={result.log ?? ''} />
    </div>
  );
}

/** The trace with the learner's frames first-class: the runtime's own are folded away, and file:line opens the editor there. */
function StackTrace({
  frames,
  onReveal,
}: {
  frames: StackFrame[];
  onReveal: LabOutputProps['onReveal'];
}) {
  const [showRuntime, setShowRuntime] = useState(false);
  const hidden = frames.filter((f) => f.runtime).length;
  const shown = showRuntime ? frames : frames.filter((f) => !f.runtime);
  return (
    <div className="mt-2">
      <h5 className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
        Stack trace
      </h5>
      <ol
        aria-label="Stack trace"
        className="mt-1 space-y-0.5 rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-900"
      >
        {shown.map((frame, index) => (
          <li
            key={index}
            className={`break-words whitespace-pre-wrap ${frame.runtime ? 'text-slate-500 dark:text-slate-400' : ''}`}
          >
            {frame.location ? (
              <button
                type="button"
                onClick={() =>
                  onReveal(frame.location!.path, frame.location!.line, frame.location!.column)
                }
                className="text-left text-brand-700 underline underline-offset-2 dark:text-brand-300"
                aria-label={`${frame.text.trim()}: open ${frame.location.path} at line ${frame.location.line} in the editor`}
              >
                {frame.text}
              </button>
            ) : (
              frame.text
            )}
          </li>
        ))}
      </ol>
      {hidden > 0 && (
        <button
          type="button"
          onClick={() => setShowRuntime((shown) => !shown)}
          aria-pressed={showRuntime}
          className="mt-1 text-xs text-slate-700 underline underline-offset-2 dark:text-slate-300"
        >
          {showRuntime
            ? "Hide the runtime's own frames"
            : `Show the runtime's own frames (${hidden})`}
        </button>
      )}
    </div>
  );
}

const KIND_STYLES: Record<string, string> = {
  START: 'text-slate-400',
  END: 'text-slate-400',
  REPORT: 'text-sky-300',
  INIT_START: 'text-slate-400',
  ERROR: 'text-red-300',
  WARN: 'text-amber-300',
};

/**
 * The log laid out for reading: each line's kind (START, INFO, REPORT…) in a
 * narrow column and its request id cut to eight characters (the whole id is in
 * its title and in the raw log), so the messages line up and stay legible.
 */
function Log({ log }: { log: string }) {
  const [raw, setRaw] = useState(false);
  return (
    <section aria-label="Log">
      <div className="flex items-center justify-between gap-2">
        <h4 className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
          Log
        </h4>
        <button
          type="button"
          onClick={() => setRaw((r) => !r)}
          aria-pressed={raw}
          className="text-xs text-slate-700 underline underline-offset-2 dark:text-slate-300"
        >
          Raw log
        </button>
      </div>
      <div
        tabIndex={0}
        data-testid="lab-log"
        role="region"
        aria-label="Log lines"
        className="mt-1 max-h-72 overflow-auto rounded bg-slate-950 p-3 font-mono text-xs text-slate-100"
      >
        {raw ? (
          <pre className="whitespace-pre-wrap">{log}</pre>
        ) : (
          logLines(log).map((line, index) => (
            <div key={index} className="flex gap-2 leading-5">
              {line.kind !== undefined && (
                <span
                  className={`w-14 shrink-0 font-bold ${KIND_STYLES[line.kind] ?? 'text-emerald-300'}`}
                >
                  {line.kind}
                </span>
              )}
              {line.requestId && (
                <span className="shrink-0 text-slate-400" title={`RequestId: ${line.requestId}`}>
                  {line.time ?? line.requestId.slice(0, 8)}
                </span>
              )}
              <span className="min-w-0 break-words whitespace-pre-wrap">
                {line.message.replaceAll('\t', '  ')}
              </span>
            </div>
          ))
        )}
      </div>
    </section>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="font-mono text-sm font-semibold">{value}</dd>
    </div>
  );
}
