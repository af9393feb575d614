import { useState } from 'react';
import { useProgress } from '@/components/progress/ProgressProvider';
import type { CheckResult } from '@/lib/labs/contract';
import type { LabSourceFile } from '@/lib/labs/contract';
import { labApi } from './lab-api';
import type { LabActivity } from './use-lab-activity';

export interface LabChecks {
  /** The latest results, in the order of the check titles; undefined before the first check. */
  results: CheckResult[] | undefined;
  /** Whether the learner's progress records this exercise as done, now or on an earlier visit. */
  passed: boolean;
  hintsShown: number;
  /** The reference solution's files once the learner has asked for them. */
  solution: LabSourceFile[] | undefined;
  check(): Promise<void>;
  showHint(): void;
  showSolution(): Promise<void>;
  hideSolution(): void;
  /** The learner's files from before "Apply solution", while it can be undone. */
  beforeApply: LabSourceFile[] | undefined;
  /** Puts the solution's files in the editor; undoable with undoApply. */
  applySolution(): void;
  undoApply(): void;
}

/** An exercise: Check my code (which marks the exercise done when every check passes), hints one at a time, and the solution on request. */
export function useLabChecks({
  labId,
  files,
  activity,
  replaceFiles,
}: {
  labId: string;
  files: LabSourceFile[];
  activity: LabActivity;
  /** Replaces the editor's files (and saves them). */
  replaceFiles(files: LabSourceFile[]): void;
}): LabChecks {
  const { progress, reload: reloadProgress } = useProgress();
  const [results, setResults] = useState<CheckResult[]>();
  const [hintsShown, setHintsShown] = useState(0);
  const [solution, setSolution] = useState<LabSourceFile[]>();
  const [beforeApply, setBeforeApply] = useState<LabSourceFile[]>();
  const { perform, setStatus, setError } = activity;

  const check = () =>
    perform('check', async () => {
      setStatus('Checking your code…');
      const result = await labApi.check(labId, files);
      setResults(result.results);
      const failed = result.results.filter((r) => !r.passed).length;
      setStatus(
        result.passed
          ? 'Every check passed: exercise complete.'
          : `${failed} of ${result.results.length} checks failed.`,
      );
      // The check already counted; a failed refresh only delays the "Done" badge until the next page load.
      if (result.passed) await reloadProgress().catch(() => undefined);
    });

  const showSolution = async () => {
    try {
      setSolution((await labApi.solution(labId)).files);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return {
    results,
    passed: progress?.passedExercises.some((p) => p.labId === labId) ?? false,
    hintsShown,
    solution,
    check,
    showHint: () => setHintsShown((n) => n + 1),
    showSolution,
    hideSolution: () => setSolution(undefined),
    beforeApply,
    applySolution: () => {
      if (!solution) return;
      setBeforeApply(files);
      // Same paths as the starter: a file the solution lacks keeps the learner's version.
      replaceFiles(files.map((f) => solution.find((s) => s.path === f.path) ?? f));
      setStatus('The solution is in the editor. Undo apply brings your code back.');
    },
    undoApply: () => {
      if (!beforeApply) return;
      replaceFiles(beforeApply);
      setBeforeApply(undefined);
      setStatus('Your code is back in the editor.');
    },
  };
}
