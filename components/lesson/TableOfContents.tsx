import type { LessonHeading } from '@/lib/course';

/** "On this page": the lesson's sections, built from its headings at build time. */
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
      <ol className="mt-2 space-y-1">
        {headings.map((heading) => (
          <li key={heading.id} className={heading.depth === 3 ? 'pl-4' : undefined}>
            <a
              href={`#${heading.id}`}
              className="text-slate-700 underline-offset-4 hover:underline dark:text-slate-300"
            >
              {heading.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
