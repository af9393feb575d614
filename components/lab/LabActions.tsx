import { BUTTON, SECONDARY_BUTTON } from './controls';
import type { LabActivity } from './use-lab-activity';
import type { LabRuns } from './use-lab-runs';

interface LabActionsProps {
  activity: LabActivity;
  runs: LabRuns;
  /** The settings are valid and nothing is running. */
  canRun: boolean;
  onReset(): void;
}

/** Run and the lab's other actions, with the status line and the alert that report on them. */
export function LabActions({
  activity: { busy, status, error },
  runs,
  canRun,
  onReset,
}: LabActionsProps) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-4 py-3 dark:border-slate-700">
        <button
          type="button"
          onClick={() => void runs.run()}
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
        <button
          type="button"
          onClick={() => void runs.runSweep()}
          disabled={!canRun}
          className={SECONDARY_BUTTON}
        >
          {busy === 'sweep' ? 'Sweeping…' : 'Memory sweep'}
        </button>
        <button
          type="button"
          onClick={onReset}
          disabled={busy !== undefined}
          className={SECONDARY_BUTTON}
        >
          Reset to starter
        </button>
        <p role="status" aria-live="polite" className="text-sm text-slate-700 dark:text-slate-300">
          {status}
        </p>
      </div>
      {error && (
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
