'use client';

import { useProgress } from './ProgressProvider';

/** A tick beside a completed lesson, with words for screen readers. */
export function CompletionMark({ lessonId }: { lessonId: string }) {
  const { isCompleted } = useProgress();
  if (!isCompleted(lessonId)) {
    return (
      <span
        aria-hidden="true"
        className="inline-block size-4 shrink-0 rounded-full border-2 border-slate-300 dark:border-slate-600"
      />
    );
  }
  return (
    <span
      className="inline-flex size-4 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-white dark:bg-emerald-500 dark:text-slate-950"
      data-completed="true"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 16 16"
        className="size-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.5"
      >
        <path d="M3.5 8.5l3 3 6-7" />
      </svg>
      <span className="sr-only">(completed)</span>
    </span>
  );
}
