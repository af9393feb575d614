import type { ComponentProps } from 'react';
import { CopyCodeButton } from './CopyCodeButton';

/** The look of a block Shiki did not highlight (a fence it has no grammar for), matching the `.shiki` rule in app/globals.css. */
const PLAIN_BLOCK =
  'overflow-x-auto rounded-lg border border-slate-200 p-4 text-sm leading-relaxed dark:border-slate-700';

/**
 * A lesson's code block (Shiki's `<pre>`, highlighted at build time) with a
 * Copy button above it. This wrapper renders on the server, so the code stays
 * static HTML and only the button hydrates; the button reads the code from
 * the page when pressed. The button sits above the code rather than over it,
 * so it never hides the end of a long first line on a phone.
 */
export function CodeBlock({ className, ...props }: ComponentProps<'pre'>) {
  return (
    // not-prose: the `.shiki` rule styles the block; prose's own margins and code styles would fight it.
    <div data-code-block="" className="not-prose my-6">
      <div className="mb-1.5 flex justify-end">
        <CopyCodeButton />
      </div>
      <pre
        className={className?.split(' ').includes('shiki') ? className : PLAIN_BLOCK}
        {...props}
      />
    </div>
  );
}
