/**
 * Which section of a lesson the reader is in, from where its headings are on
 * screen. Pure, so the rules can be tested without a browser; the table of
 * contents (TableOfContentsLinks) measures the page and asks.
 */

export interface SectionGeometry {
  /** Each `##`/`###` heading's distance from the top of the viewport, in px, in document order. */
  headings: readonly { id: string; top: number }[];
  /** How far down the viewport a heading must rise for its section to count as being read, in px. */
  line: number;
  viewportHeight: number;
  /** Whether the page is scrolled as far down as it goes. */
  atEnd: boolean;
  /** The heading the reader last jumped to (the URL's #fragment), if any. */
  jumpedTo?: string;
}

/**
 * Where the reading line sits: a quarter of the way down the part of the
 * viewport below the sticky header. `anchorOffset` is how far below the top
 * a jump puts a heading (its scroll-margin-top), so a heading jumped to is
 * always at or above the line.
 */
export function readingLine(anchorOffset: number, viewportHeight: number): number {
  return Math.round(anchorOffset + Math.max(0, viewportHeight - anchorOffset) / 4);
}

/**
 * The id of the section being read, or undefined before the first heading.
 *
 * - Normally it is the last heading at or above the reading line.
 * - A heading the reader has just jumped to wins while it is still near the
 *   top (between the top of the viewport and the line), even if a short
 *   section's next heading has also risen above the line.
 * - At the end of the page the last sections may be too short to rise to the
 *   line at all; there the last heading on screen counts, or the one jumped
 *   to if it is on screen.
 */
export function currentSection(geometry: SectionGeometry): string | undefined {
  const { headings, line, viewportHeight, atEnd, jumpedTo } = geometry;
  const reach = atEnd ? viewportHeight : line;
  const target = jumpedTo === undefined ? undefined : headings.find((h) => h.id === jumpedTo);
  // A jump can land a heading a fraction of a pixel above the top.
  if (target && target.top >= -1 && target.top <= reach) return target.id;
  return headings.findLast((h) => h.top <= (atEnd ? viewportHeight - 1 : line))?.id;
}
