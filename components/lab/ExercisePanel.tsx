import dynamic from 'next/dynamic';
import type { LabSourceFile, LabView } from '@/lib/labs/contract';
import { BUTTON, SECONDARY_BUTTON } from './controls';
import type { LabChecks } from './use-lab-checks';

const SolutionDiff = dynamic(() => import('./CodeEditor').then((m) => m.SolutionDiff), {
  ssr: false,
});

interface ExercisePanelProps {
  exercise: NonNullable<LabView['exercise']>;
  hasSolution: boolean;
  /** The results, hints shown and solution, and the actions that change them. */
  checks: LabChecks;
  busy: boolean;
  checking: boolean;
  /** The file in the editor's current tab: the one the solution is compared with. */
  file: LabSourceFile;
  /** A wide lab compares in two columns; a narrow one interleaves the changes. */
  sideBySide: boolean;
}

/** The exercise: its checks with pass/fail and why, hints one at a time, and the solution beside the learner's code. */
export function ExercisePanel({
  exercise,
  hasSolution,
  checks,
  busy,
  checking,
  file,
  sideBySide,
}: ExercisePanelProps) {
  const { hintsShown, solution } = checks;
  return (
    <div className="space-y-3 px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <h4 className="text-sm font-semibold">Checks</h4>
        <button
          type="button"
          onClick={() => void checks.check()}
          disabled={busy}
          className={`${BUTTON} bg-emerald-700 text-white hover:bg-emerald-600`}
        >
          {checking ? 'Checking…' : 'Check my code'}
        </button>
      </div>
      <ul className="space-y-1 text-sm" aria-label="Checks">
        {exercise.checkTitles.map((title, index) => {
          const result = checks.results?.[index];
          return (
            <li key={title} className="flex gap-2">
              <span
                aria-hidden="true"
                className={
                  result
                    ? result.passed
                      ? 'text-emerald-700 dark:text-emerald-400'
                      : 'text-red-700 dark:text-red-400'
                    : 'text-slate-500'
                }
              >
                {result ? (result.passed ? '✓' : '✗') : '○'}
              </span>
              <span>
                <span className="sr-only">
                  {result ? (result.passed ? 'Passed: ' : 'Failed: ') : 'Not checked yet: '}
                </span>
                {title}
                {result && !result.passed && (
                  <span className="block text-xs text-red-800 dark:text-red-300">
                    {result.message}
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <div className="space-y-2">
        {exercise.hints.slice(0, hintsShown).map((hint, index) => (
          <p
            key={hint}
            className="rounded bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
          >
            <strong>Hint {index + 1}.</strong> {hint}
          </p>
        ))}
        <div className="flex flex-wrap gap-2">
          {hintsShown < exercise.hints.length && (
            <button type="button" onClick={checks.showHint} className={SECONDARY_BUTTON}>
              Show hint {hintsShown + 1} of {exercise.hints.length}
            </button>
          )}
          {hasSolution && !solution && (
            <button
              type="button"
              onClick={() => void checks.showSolution()}
              className={SECONDARY_BUTTON}
            >
              Show solution
            </button>
          )}
          {solution && (
            <button type="button" onClick={checks.hideSolution} className={SECONDARY_BUTTON}>
              Hide solution
            </button>
          )}
        </div>
      </div>
      {checks.beforeApply && (
        <button type="button" onClick={checks.undoApply} className={SECONDARY_BUTTON}>
          Undo apply solution
        </button>
      )}
      {solution && (
        <div>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm">
              {sideBySide ? (
                <>
                  Your <code>{file.path}</code> (left) against the solution (right).
                </>
              ) : (
                <>
                  Your <code>{file.path}</code> with the solution&apos;s changes marked: removed
                  lines first, then added ones.
                </>
              )}{' '}
              Pick another file tab to compare it.
            </p>
            <button type="button" onClick={checks.applySolution} className={SECONDARY_BUTTON}>
              Apply solution
            </button>
          </div>
          <SolutionDiff
            path={file.path}
            original={file.content}
            modified={solution.find((f) => f.path === file.path)?.content ?? ''}
            sideBySide={sideBySide}
          />
        </div>
      )}
    </div>
  );
}
