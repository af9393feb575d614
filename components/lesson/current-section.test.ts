import { describe, expect, it } from 'vitest';
import { currentSection, readingLine, type SectionGeometry } from './current-section';

/** Three sections; `scrolled` moves every heading up by that many px. */
const page = (scrolled: number, rest: Partial<SectionGeometry> = {}): SectionGeometry => ({
  headings: [
    { id: 'first', top: 400 - scrolled },
    { id: 'second', top: 1400 - scrolled },
    { id: 'third', top: 2400 - scrolled },
  ],
  line: 240,
  viewportHeight: 720,
  atEnd: false,
  ...rest,
});

describe('readingLine', () => {
  it('sits a quarter of the way down the viewport below the header', () => {
    expect(readingLine(80, 720)).toBe(240);
    expect(readingLine(120, 740)).toBe(275);
  });

  it('never sits above where a jump puts a heading', () => {
    expect(readingLine(80, 40)).toBe(80);
  });
});

describe('currentSection', () => {
  it('is none before the first heading reaches the reading line', () => {
    expect(currentSection(page(0))).toBeUndefined();
    expect(currentSection(page(159))).toBeUndefined();
  });

  it('is the last heading at or above the reading line', () => {
    expect(currentSection(page(160))).toBe('first');
    expect(currentSection(page(1000))).toBe('first');
    expect(currentSection(page(1160))).toBe('second');
    expect(currentSection(page(5000))).toBe('third');
  });

  it('goes back a section when the reader scrolls back up', () => {
    expect(currentSection(page(1159))).toBe('first');
  });

  it('keeps a heading the reader jumped to while it is near the top', () => {
    // "second" is a short section: "third" is above the line too.
    const short = page(0, {
      headings: [
        { id: 'first', top: -900 },
        { id: 'second', top: 80 },
        { id: 'third', top: 200 },
      ],
    });
    expect(currentSection(short)).toBe('third');
    expect(currentSection({ ...short, jumpedTo: 'second' })).toBe('second');
    // Once the reader scrolls on, the jump no longer decides.
    expect(currentSection(page(2200, { jumpedTo: 'second' }))).toBe('third');
    expect(currentSection(page(160, { jumpedTo: 'nowhere' }))).toBe('first');
  });

  it('at the end of the page, counts the last heading on screen', () => {
    // "third" stops at 600 px: the page cannot scroll it up to the line.
    const end = page(1800, { atEnd: true });
    expect(currentSection(end)).toBe('third');
    expect(currentSection({ ...end, atEnd: false })).toBe('second');
  });

  it('at the end of the page, prefers the heading jumped to if it is on screen', () => {
    const end = page(0, {
      atEnd: true,
      headings: [
        { id: 'first', top: -300 },
        { id: 'second', top: 300 },
        { id: 'third', top: 600 },
      ],
    });
    expect(currentSection({ ...end, jumpedTo: 'second' })).toBe('second');
    expect(currentSection({ ...end, jumpedTo: 'first' })).toBe('third');
  });
});
