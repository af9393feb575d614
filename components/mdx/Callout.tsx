import type { ReactNode } from 'react';

const KINDS = {
  note: {
    label: 'Note',
    box: 'border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950/50',
    title: 'text-sky-900 dark:text-sky-200',
  },
  tip: {
    label: 'Tip',
    box: 'border-emerald-600 bg-emerald-50 dark:border-emerald-400 dark:bg-emerald-950/50',
    title: 'text-emerald-900 dark:text-emerald-200',
  },
  warning: {
    label: 'Warning',
    box: 'border-amber-600 bg-amber-50 dark:border-amber-400 dark:bg-amber-950/50',
    title: 'text-amber-900 dark:text-amber-200',
  },
} as const;

export interface CalloutProps {
  /** @default "note" */
  type?: keyof typeof KINDS;
  /** Replaces the kind's label ("Note", "Tip", "Warning") as the heading. */
  title?: string;
  children: ReactNode;
}

/** A note, tip or warning set apart from the lesson's prose. */
export function Callout({ type = 'note', title, children }: CalloutProps) {
  const kind = KINDS[type] ?? KINDS.note;
  return (
    <aside
      role="note"
      aria-label={title ?? kind.label}
      className={`my-6 rounded-r-lg border-l-4 px-4 py-3 ${kind.box}`}
    >
      <p className={`m-0! font-semibold ${kind.title}`}>{title ?? kind.label}</p>
      <div className="[&>*:first-child]:mt-1 [&>*:last-child]:mb-0">{children}</div>
    </aside>
  );
}
