'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { startTransition, useCallback } from 'react';
import { useContentChanges } from '@/components/layout/DevContentReload';

/**
 * Shown when a page fails to render. In development a broken lesson lands here
 * (with Next's overlay naming file and line) and the page recovers by itself as
 * soon as the author saves a fix.
 */
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  const retry = useCallback(() => {
    startTransition(() => {
      router.refresh();
      reset();
    });
  }, [router, reset]);
  useContentChanges(retry);

  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="mx-auto max-w-2xl px-4 py-16 focus:outline-none"
    >
      <h1 className="text-3xl font-bold tracking-tight">This page could not be shown</h1>
      {process.env.NODE_ENV === 'development' ? (
        <pre className="mt-6 overflow-x-auto rounded-lg border border-red-300 bg-red-50 p-4 text-sm whitespace-pre-wrap text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </pre>
      ) : (
        <p className="mt-4 text-slate-700 dark:text-slate-300">
          Something went wrong on our side; it has been logged. Your progress is safe.
        </p>
      )}
      <div className="mt-8 flex flex-wrap gap-4">
        <button
          type="button"
          onClick={retry}
          className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
        >
          Try again
        </button>
        <Link href="/" className="rounded-md border border-slate-400 px-4 py-2 font-medium">
          Course home
        </Link>
      </div>
    </main>
  );
}
