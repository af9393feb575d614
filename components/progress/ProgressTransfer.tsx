'use client';

import { useId, useState, type ChangeEvent } from 'react';
import {
  describeImport,
  PROGRESS_FILE_LIMITS,
  PROGRESS_FILE_TOO_LARGE,
  type ImportSummary,
} from '@/lib/learner/contract';
import { useProgress } from './ProgressProvider';

type Notice = { kind: 'success' | 'error'; text: string } | undefined;

/**
 * Moves progress between browsers: download it here (lessons, exercises, quiz
 * answers and lab code), import the file there. Importing merges: nothing in
 * the other browser is lost.
 */
export function ProgressTransfer() {
  const { reload } = useProgress();
  const [notice, setNotice] = useState<Notice>(undefined);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once, so choosing the same file again imports it again.
    event.target.value = '';
    if (!file) return;
    if (file.size > PROGRESS_FILE_LIMITS.bytes) {
      setNotice({ kind: 'error', text: PROGRESS_FILE_TOO_LARGE });
      return;
    }
    setBusy(true);
    setNotice(undefined);
    try {
      const summary = await sendProgressFile(await file.text());
      await reload();
      // Lab code loads as a lesson opens: a lesson already open elsewhere keeps what it showed.
      const openTabs =
        summary.imported.labSaves > 0
          ? ' A lesson already open in another tab shows the imported code once you reload it.'
          : '';
      setNotice({ kind: 'success', text: `${describeImport(summary)}${openTabs}` });
    } catch (error) {
      setNotice({ kind: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">Move your progress to another browser</h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          There is no sign-up: your progress belongs to this browser. Download it here, with the
          code you wrote in the labs, then import the file in the other browser. Nothing there is
          lost: where both browsers have worked on the same lab or quiz, the more recent work is
          kept.
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

/** Posts a file's text to the import route; rejects with a message written for the learner. */
async function sendProgressFile(text: string): Promise<ImportSummary> {
  let response: Response;
  try {
    response = await fetch('/api/progress/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
  } catch {
    throw new Error(
      'The course server could not be reached, so nothing was imported. Check that it is running, then try again.',
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return body as ImportSummary;
  const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
  throw new Error(message ?? `The server answered ${response.status}; nothing was imported.`);
}
