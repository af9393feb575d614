'use client';

import { useProgress } from './ProgressProvider';

/** A lesson's exercises with a done mark each, from the learner's progress. */
export function ExerciseMarks({ exercises }: { exercises: { id: string; title: string }[] }) {
  const { progress } = useProgress();
  if (exercises.length === 0) return null;
  const passed = new Set(progress?.passedExercises.map((p) => p.labId));
  return (
    <ul className="mt-0.5 ml-7 space-y-0.5 text-sm text-slate-700 dark:text-slate-300">
      {exercises.map((exercise) => (
        <li key={exercise.id} data-exercise={exercise.id}>
          <span
            aria-hidden="true"
            className={
              passed.has(exercise.id) ? 'text-emerald-700 dark:text-emerald-400' : 'text-slate-400'
            }
          >
            {passed.has(exercise.id) ? '✓' : '○'}
          </span>{' '}
          Exercise: {exercise.title}
          <span className="sr-only">{passed.has(exercise.id) ? ' (done)' : ' (not done yet)'}</span>
        </li>
      ))}
    </ul>
  );
}
