import { describe, expect, it } from 'vitest';
import type { PolicyProblem } from '@/lib/iam/contract';
import {
  lineCount,
  offsetOf,
  paragraphsOf,
  problemSummary,
  worstProblemByLine,
} from './policy-editor';

const problem = (severity: PolicyProblem['severity'], line: number): PolicyProblem => ({
  severity,
  code: 'x',
  message: 'm',
  path: '',
  line,
  column: 1,
});

describe('the policy editor helpers', () => {
  it('counts lines, a last line without a break included', () => {
    expect(lineCount('')).toBe(1);
    expect(lineCount('{\n}')).toBe(2);
    expect(lineCount('{\n}\n')).toBe(3);
  });

  it('finds the offset of a line and column, clamped to the line and the text', () => {
    const text = '{\n  "Version": 1\n}';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(4);
    expect(text[offsetOf(text, 2, 3)]).toBe('"');
    expect(offsetOf(text, 2, 99)).toBe(text.indexOf('\n}'));
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });

  it('marks each line with its most serious problem', () => {
    const marks = worstProblemByLine([
      problem('warning', 2),
      problem('error', 2),
      problem('unsupported', 3),
      problem('warning', 3),
    ]);
    expect([...marks]).toEqual([
      [2, 'error'],
      [3, 'unsupported'],
    ]);
  });

  it('sums the problems up in words', () => {
    expect(problemSummary([])).toBe('No problems');
    expect(
      problemSummary([problem('error', 1), problem('warning', 2), problem('warning', 3)]),
    ).toBe('1 error, 2 warnings');
    expect(problemSummary([problem('unsupported', 1)])).toBe('1 part not evaluated');
  });

  it('splits the scenario into paragraphs at blank lines', () => {
    expect(paragraphsOf('One line\nwrapped.\n\n  Two.  \n')).toEqual(['One line wrapped.', 'Two.']);
  });
});
