'use client';

import { useEffect, useRef, useState } from 'react';
import { browserClipboard, copyText } from './copy-text';

/** How long the button says "Copied" before it offers to copy again. */
const CONFIRMATION_MS = 2000;

type CopyState = 'idle' | 'copied' | 'failed';

/** What the button shows, and what the status region says, in each state. */
const LABELS: Record<CopyState, { visible: string; announced: string }> = {
  idle: { visible: 'Copy', announced: '' },
  copied: { visible: 'Copied', announced: 'Copied' },
  failed: {
    visible: 'Copy failed',
    announced: 'Could not copy. Select the text and copy it yourself.',
  },
};

/**
 * A "Copy" button. Its accessible name says what it copies ("Copy access key
 * ID"); the result is announced politely through a status region that is
 * always in the page, because screen readers ignore a live region that
 * appears together with its first message.
 */
export function CopyButton({
  text,
  what,
  className,
}: {
  /** The text to copy, or a function that reads it when the button is pressed (from the page, say). */
  text: string | ((button: HTMLButtonElement) => string);
  /** What is copied, for the accessible name: "Copy {what}". */
  what: string;
  className?: string;
}) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async (button: HTMLButtonElement) => {
    clearTimeout(timer.current);
    // Empty the status first, so a second copy in a row is announced again.
    setState('idle');
    const copied = await copyText(
      typeof text === 'string' ? text : text(button),
      browserClipboard(),
    );
    setState(copied ? 'copied' : 'failed');
    timer.current = setTimeout(
      () => setState('idle'),
      copied ? CONFIRMATION_MS : 3 * CONFIRMATION_MS,
    );
  };

  return (
    <>
      <button
        type="button"
        onClick={(event) => void copy(event.currentTarget)}
        data-copy-state={state}
        className={[
          'inline-flex shrink-0 items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800',
          className,
        ]
          .filter(Boolean)
          .join(' ')}
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 16 16"
          className="size-3.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          {state === 'copied' ? (
            <path d="M3 8.5l3.25 3.25L13 5" />
          ) : (
            <>
              <rect x="5.25" y="5.25" width="8" height="8.5" rx="1.5" />
              <path d="M10.75 5.25V3.75a1.5 1.5 0 0 0-1.5-1.5h-5a1.5 1.5 0 0 0-1.5 1.5v6a1.5 1.5 0 0 0 1.5 1.5h1.5" />
            </>
          )}
        </svg>
        {/* The visible word changes; the accessible name stays "Copy …" and the status region speaks. */}
        <span aria-hidden="true">{LABELS[state].visible}</span>
        <span className="sr-only">Copy {what}</span>
      </button>
      <span role="status" className="sr-only">
        {LABELS[state].announced}
      </span>
    </>
  );
}
