import { CodeLabClient } from '@/components/lab/CodeLabClient';
import type { LabView } from '@/lib/labs/contract';

/**
 * `<CodeLab lab="first-handler" />`: the lab defined in the module's
 * labs/<lab>/ folder. The content checker guarantees the lab exists before a
 * page is built; the fallback only shows while an author is mid-edit.
 */
export function CodeLab({ lab }: { lab: LabView | undefined }) {
  if (!lab) {
    return (
      <p
        role="alert"
        className="not-prose my-6 rounded-md border border-red-300 p-4 text-red-800 dark:border-red-800 dark:text-red-300"
      >
        This lab could not be loaded. Run <code>npm run content:check</code> to see why.
      </p>
    );
  }
  return <CodeLabClient lab={lab} />;
}
