'use client';

import { useId, useState, type ChangeEvent } from 'react';
import { useProgress } from './ProgressProvider';

type Notice = { kind: 'success' | 'error'; text: string } | undefined;

/**
 * Moves progress between browsers: download it as a JSON file here, import the
 * file there. Importing replaces the progress in this browser.
 */
export function ProgressTransfer() {
  const { reload } = useProgress();
  const [notice, setNotice] = useState<Notice>(undefined);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    setNotice(undefined);
    try {
      const response = await fetch('/api/progress/import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: await file.text(),
      });
      const body = (await response.json()) as {
        completedLessons?: number;
        quizAnswers?: number;
        skipped?: number;
        error?: { message: string };
      };
      if (!response.ok)
        throw new Error(body.error?.message ?? `The server answered ${response.status}.`);
      await reload();
      const skipped = body.skipped
        ? ` ${body.skipped} entries about lessons this course no longer has were left out.`
        : '';
      setNotice({
        kind: 'success',
        text: `Imported ${body.completedLessons} completed lessons and ${body.quizAnswers} quiz answers.${skipped}`,
      });
    } catch (error) {
      setNotice({
        kind: 'error',
        text: `That file could not be imported: ${(error as Error).message}`,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">Move your progress to another browser</h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          There is no sign-up: your progress belongs to this browser. Download it here, then import
          the file in the other browser. Importing replaces the progress there.
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <a
          href="/api/progress/export"
          download
          className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-white"
        >
          Download my progress
        </a>
        <label
          htmlFor={inputId}
          className="cursor-pointer rounded-md border border-slate-400 px-4 py-2 font-medium hover:bg-slate-50 focus-within:outline-3 dark:border-slate-500 dark:hover:bg-slate-900"
        >
          {busy ? 'Importing…' : 'Import a progress file'}
          <input
            id={inputId}
            type="file"
            accept="application/json,.json"
            onChange={importFile}
            disabled={busy}
            className="sr-only"
          />
        </label>
      </div>
      <p
        role="status"
        aria-live="polite"
        className={
          notice?.kind === 'error'
            ? 'text-red-700 dark:text-red-400'
            : 'text-emerald-800 dark:text-emerald-300'
        }
      >
        {notice?.text}
      </p>
    </div>
  );
}
