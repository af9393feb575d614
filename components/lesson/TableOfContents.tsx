import type { LessonHeading } from '@/lib/course';
import { TableOfContentsLinks } from './TableOfContentsLinks';

/**
 * "On this page": the lesson's sections, built from its headings at build
 * time. Only the list hydrates, to mark the section being read.
 */
export function TableOfContents({
  headings,
  idPrefix,
}: {
  headings: LessonHeading[];
  idPrefix: string;
}) {
  if (headings.length === 0) return null;
  return (
    <nav aria-labelledby={`${idPrefix}-toc-heading`} className="text-sm">
      <h2
        id={`${idPrefix}-toc-heading`}
        className="font-semibold text-slate-900 dark:text-slate-100"
      >
        On this page
      </h2>
      <TableOfContentsLinks headings={headings} />
    </nav>
  );
}
