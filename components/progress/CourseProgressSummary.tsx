'use client';

import { useProgress } from './ProgressProvider';

/** "3 of 14 lessons completed", with a bar; counts only the given lessons. */
export function CourseProgressSummary({
  lessonIds,
  label,
}: {
  lessonIds: string[];
  label: string;
}) {
  const { status, isCompleted } = useProgress();
  const done = lessonIds.filter(isCompleted).length;
  const percent = lessonIds.length === 0 ? 0 : Math.round((done / lessonIds.length) * 100);
  return (
    <div className="min-w-48">
      <p className="text-sm text-slate-700 dark:text-slate-300" aria-live="polite">
        {status === 'loading'
          ? 'Loading your progress…'
          : status === 'error'
            ? 'Your progress could not be loaded.'
            : `${done} of ${lessonIds.length} lessons completed`}
      </p>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div
          className="h-full bg-emerald-600 dark:bg-emerald-500"
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
