'use client';

import { useEffect, useState } from 'react';
import type { LessonHeading } from '@/lib/course';
import { currentSection, readingLine } from './current-section';

/**
 * How far below the viewport the headings' observer looks, in px: far enough
 * that every heading below the reading line counts as "below" it, so a jump
 * over several screens still reports each heading that crossed the line.
 */
const BELOW_EVERYTHING_PX = 1_000_000;

/** The id a URL's #fragment points at, if any. */
function fragment(hash: string): string | undefined {
  try {
    return decodeURIComponent(hash.slice(1)) || undefined;
  } catch {
    return undefined; // A malformed escape names no heading.
  }
}

/**
 * The id of the heading whose section is being read, kept up to date as the
 * reader scrolls, jumps or resizes the window. Undefined until the page has
 * been measured (and so in the static HTML) and before the first section.
 */
function useCurrentSection(ids: readonly string[]): string | undefined {
  const [current, setCurrent] = useState<string | undefined>(undefined);
  const key = ids.join(' ');

  useEffect(() => {
    const headings = key
      .split(' ')
      .map((id) => document.getElementById(id))
      .filter((heading) => heading !== null);
    if (headings.length === 0) return;

    const measure = () => {
      const root = document.documentElement;
      const viewportHeight = window.innerHeight;
      // Where a jump puts a heading: its scroll-margin-top (app/globals.css), which clears the sticky header.
      const anchorOffset = parseFloat(getComputedStyle(headings[0]!).scrollMarginTop) || 0;
      return {
        headings: headings.map((heading) => ({
          id: heading.id,
          top: heading.getBoundingClientRect().top,
        })),
        line: readingLine(anchorOffset, viewportHeight),
        viewportHeight,
        atEnd: window.scrollY + viewportHeight >= root.scrollHeight - 2,
        jumpedTo: fragment(window.location.hash),
      };
    };
    const update = () => setCurrent(currentSection(measure()));

    // The observers only say when to look again; `update` measures every heading each time.
    let observers: IntersectionObserver[] = [];
    const observe = () => {
      for (const observer of observers) observer.disconnect();
      const { line } = measure();
      // The root is everything below the reading line: a heading leaves it as it rises past
      // the line (ratio below 1) and is gone once wholly above it (ratio 0), in a scroll or a jump.
      const crossing = new IntersectionObserver(update, {
        rootMargin: `-${line}px 0px ${BELOW_EVERYTHING_PX}px 0px`,
        threshold: [0, 1],
      });
      for (const heading of headings) crossing.observe(heading);
      observers = [crossing];
      // The site footer is the page's last element: wholly in view exactly when the page is
      // scrolled to the end, where the last short sections may never reach the line.
      const footer = document.querySelector('body > footer');
      if (footer) {
        const end = new IntersectionObserver(update, { threshold: [0, 1] });
        end.observe(footer);
        observers.push(end);
      }
    };

    // The line depends on the viewport's height and on the header's offset, which changes with its width.
    let frame = 0;
    const onResize = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(observe);
    };
    observe();
    window.addEventListener('resize', onResize);
    // A jump to a heading already on screen scrolls nothing, so no observer reports it.
    window.addEventListener('hashchange', update);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('resize', onResize);
      window.removeEventListener('hashchange', update);
      for (const observer of observers) observer.disconnect();
    };
  }, [key]);

  return current;
}

/**
 * The links of "On this page", with the section being read marked for screen
 * readers (aria-current="location") and by eye, with a bar and bold type as
 * well as colour.
 */
export function TableOfContentsLinks({ headings }: { headings: LessonHeading[] }) {
  const current = useCurrentSection(headings.map((heading) => heading.id));
  return (
    <ol className="mt-2 space-y-1">
      {headings.map((heading) => {
        const isCurrent = heading.id === current;
        return (
          <li key={heading.id} className={heading.depth === 3 ? 'pl-3' : undefined}>
            <a
              href={`#${heading.id}`}
              aria-current={isCurrent ? 'location' : undefined}
              className={`block border-l-2 py-0.5 pl-2 underline-offset-4 hover:underline ${
                isCurrent
                  ? 'border-brand-600 font-semibold text-slate-900 dark:border-brand-300 dark:text-white'
                  : 'border-transparent text-slate-700 dark:text-slate-300'
              }`}
            >
              {heading.text}
            </a>
          </li>
        );
      })}
    </ol>
  );
}
