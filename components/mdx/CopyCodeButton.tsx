'use client';

import { CopyButton } from '@/components/clipboard/CopyButton';

/** The text of the code block this button belongs to (see CodeBlock), without the fence's last line break. */
function codeOf(button: HTMLButtonElement): string {
  const text = button.closest('[data-code-block]')?.querySelector('pre')?.textContent ?? '';
  return text.replace(/\n$/, '');
}

/** CodeBlock's Copy button: a client component of its own, because a function cannot be passed from the server. */
export function CopyCodeButton() {
  return <CopyButton text={codeOf} what="code" />;
}
