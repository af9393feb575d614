import { BUTTON, SECONDARY_BUTTON } from './controls';
import type { LabActivity } from './use-lab-activity';
import type { LabRuns } from './use-lab-runs';

interface LabActionsProps {
  activity: LabActivity;
  runs: LabRuns;
  /** The settings are valid and nothing is running. */
  canRun: boolean;
  /** Whether the lab offers a memory sweep (lab.yaml's `sweep`): only where it teaches something. */
  sweep: boolean;
  /** What the next Run uses, e.g. "Event: Hello · 128 MB · 3 s". */
  summary: string;
  onOpenSettings(): void;
  onRun(): void;
  onSweep(): void;
  onReset(): void;
}

/** Run and the lab's other actions, with the status line and the alert that report on them. */
export function LabActions({
  activity: { busy, status, error, courseBusy },
  runs,
  canRun,
  sweep,
  summary,
  onOpenSettings,
  onRun,
  onSweep,
  onReset,
}: LabActionsProps) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-4 pt-3 pb-1 dark:border-slate-700">
        <button
          type="button"
          onClick={onRun}
          disabled={!canRun}
          className={`${BUTTON} bg-brand-700 text-white hover:bg-brand-600`}
          aria-keyshortcuts="Control+Enter Meta+Enter"
        >
          {busy === 'run' ? 'Running…' : 'Run'}
        </button>
        <button
          type="button"
          onClick={runs.startFresh}
          disabled={busy !== undefined}
          aria-pressed={runs.freshNext}
          className={`${SECONDARY_BUTTON} aria-pressed:ring-2 aria-pressed:ring-amber-500`}
        >
          New environment
        </button>
        {sweep && (
          <button type="button" onClick={onSweep} disabled={!canRun} className={SECONDARY_BUTTON}>
            {busy === 'sweep' ? 'Sweeping…' : 'Memory sweep'}
          </button>
        )}
        <button
          type="button"
          onClick={onReset}
          disabled={busy !== undefined}
          className={SECONDARY_BUTTON}
        >
          Reset to starter
        </button>
        <button
          type="button"
          onClick={onOpenSettings}
          className="text-left text-xs text-slate-700 underline underline-offset-2 dark:text-slate-300"
          aria-label={`${summary}. Change the event and settings`}
        >
          {summary}
        </button>
      </div>
      <p
        role="status"
        aria-live="polite"
        className="min-h-5 px-4 pb-2 text-sm text-slate-700 dark:text-slate-300"
      >
        {status}
      </p>
      {error && courseBusy && (
        <div
          role="alert"
          className="mx-4 mb-3 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-semibold">Course busy</p>
          <p>{error}</p>
        </div>
      )}
      {error && !courseBusy && (
        <p
          role="alert"
          className="mx-4 mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}
    </>
  );
}
