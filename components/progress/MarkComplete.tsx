'use client';

import { useState } from 'react';
import { useProgress } from './ProgressProvider';

/** Marks the lesson complete (or not) in the learner's progress on the server. */
export function MarkComplete({ lessonId }: { lessonId: string }) {
  const { status, isCompleted, setCompleted } = useProgress();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');
  const completed = isCompleted(lessonId);

  const toggle = async () => {
    setPending(true);
    setError('');
    try {
      await setCompleted(lessonId, !completed);
    } catch (caught) {
      setError(`Could not save: ${(caught as Error).message}`);
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={toggle}
        disabled={pending || status !== 'ready'}
        aria-pressed={completed}
        className={`rounded-md px-4 py-2 font-medium disabled:opacity-60 ${completed ? 'border border-emerald-700 text-emerald-800 hover:bg-emerald-50 dark:border-emerald-400 dark:text-emerald-300 dark:hover:bg-emerald-950' : 'bg-emerald-700 text-white hover:bg-emerald-600 dark:bg-emerald-400 dark:text-slate-950 dark:hover:bg-emerald-300'}`}
      >
        {completed ? '✓ Completed' : 'Mark complete'}
      </button>
      <p role="status" aria-live="polite" className="text-sm text-slate-700 dark:text-slate-300">
        {error || (completed ? 'Saved to your progress. Press again to mark it not done.' : '')}
      </p>
    </div>
  );
}
