import type { ReactNode } from 'react';

export interface KeyFactsProps {
  /** @default "Key facts" */
  title?: string;
  children: ReactNode;
}

/** The numbers and rules worth remembering from a section, in one box. */
export function KeyFacts({ title = 'Key facts', children }: KeyFactsProps) {
  return (
    <aside
      aria-label={title}
      className="my-6 rounded-lg border border-brand-600/40 bg-brand-50 px-5 py-4 dark:border-brand-400/40 dark:bg-slate-900"
    >
      <p className="m-0! text-sm font-bold tracking-wide text-brand-700 uppercase dark:text-brand-300">
        {title}
      </p>
      <div className="[&>*:last-child]:mb-0 [&_ul]:mt-2">{children}</div>
    </aside>
  );
}
