'use client';

import Link from 'next/link';
import { useProgress } from './ProgressProvider';

export interface ResumeLessonOption {
  id: string;
  title: string;
  href: string;
}

/**
 * "Resume where you left off": the last lesson visited, or the first lesson not
 * yet completed, or the course start for a new learner.
 */
export function ResumeLink({ lessons }: { lessons: ResumeLessonOption[] }) {
  const { progress, isCompleted } = useProgress();
  const last = progress?.lastLesson && lessons.find((l) => l.id === progress.lastLesson?.lessonId);
  const firstOpen = lessons.find((l) => !isCompleted(l.id));
  const target = last ?? firstOpen ?? lessons[0];
  if (!target) return null;
  const verb = last
    ? 'Resume'
    : progress && progress.completedLessons.length > 0
      ? 'Continue with'
      : 'Start with';
  return (
    <Link
      href={target.href}
      className="inline-flex items-center gap-2 rounded-md bg-brand-700 px-5 py-3 font-semibold text-white shadow-sm hover:bg-brand-600 dark:bg-brand-300 dark:text-slate-950 dark:hover:bg-brand-400"
    >
      {verb}: {target.title}
      <span aria-hidden="true">→</span>
    </Link>
  );
}
