import { formatMs, formatCallCost } from './report-format';
import type { RunResult } from './lab-api';

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

/** One invocation's result: the report as readable figures, then the response and the log. */
export function LabOutput({ result }: { result: RunResult }) {
  const report = result.report;
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
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
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
      <section aria-label="Response">
        <h4 className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
          {result.errorType ? 'Error' : 'Response'}
        </h4>
        <pre
          tabIndex={0}
          className="mt-1 max-h-64 overflow-auto rounded bg-slate-100 p-3 text-xs whitespace-pre-wrap text-slate-900 dark:bg-slate-900 dark:text-slate-100"
        >
          {prettyPayload(result.payload) || '(empty)'}
        </pre>
      </section>
      <section aria-label="Log">
        <h4 className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
          Log
        </h4>
        <pre
          tabIndex={0}
          data-testid="lab-log"
          className="mt-1 max-h-72 overflow-auto rounded bg-slate-950 p-3 text-xs whitespace-pre-wrap text-slate-100"
        >
          {result.log ?? ''}
        </pre>
      </section>
    </div>
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
