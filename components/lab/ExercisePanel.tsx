import dynamic from 'next/dynamic';
import type { LabSourceFile } from '@/lib/labs/contract';
import type { LabView } from '@/lib/labs/contract';
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
  /** Phones get the solution as text rather than a side-by-side diff. */
  narrow: boolean;
}

/** The exercise: its checks with pass/fail and why, hints one at a time, and the solution beside the learner's code. */
export function ExercisePanel({
  exercise,
  hasSolution,
  checks,
  busy,
  checking,
  file,
  narrow,
}: ExercisePanelProps) {
  const { hintsShown, solution } = checks;
  return (
    <div className="space-y-3 border-t border-slate-200 px-4 py-3 dark:border-slate-700">
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
      {solution && (
        <div>
          <p className="text-sm">
            Your <code>{file.path}</code> (left) against the solution (right). Pick another file tab
            above to compare it.
          </p>
          {narrow ? (
            <pre
              tabIndex={0}
              className="mt-2 max-h-80 overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900"
            >
              {solution.find((f) => f.path === file.path)?.content}
            </pre>
          ) : (
            <SolutionDiff
              path={file.path}
              original={file.content}
              modified={solution.find((f) => f.path === file.path)?.content ?? ''}
            />
          )}
        </div>
      )}
    </div>
  );
}
