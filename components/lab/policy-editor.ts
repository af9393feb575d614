import type { Decision, PolicyProblem, ProblemSeverity } from '@/lib/iam/contract';

/*
 * The policy lab's editor and results, as plain functions: where a line and
 * column sit in the text, which lines carry a problem, and the words the table
 * and the problem list use.
 */

/** Lines in the text, counting a last line without a line break. */
export function lineCount(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return lines;
}

/** The offset of a 1-based line and column, clamped to the text: where "go to line 3, column 5" puts the caret. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + Math.max(column - 1, 0), end);
}

const SEVERITY_ORDER: readonly ProblemSeverity[] = ['error', 'unsupported', 'warning'];

/** The most serious problem on each line that has one, for the markers beside the line numbers. */
export function worstProblemByLine(
  problems: readonly PolicyProblem[],
): Map<number, ProblemSeverity> {
  const byLine = new Map<number, ProblemSeverity>();
  for (const problem of problems) {
    const current = byLine.get(problem.line);
    if (
      current === undefined ||
      SEVERITY_ORDER.indexOf(problem.severity) < SEVERITY_ORDER.indexOf(current)
    )
      byLine.set(problem.line, problem.severity);
  }
  return byLine;
}

/** How each kind of problem is labelled, in words, so colour never carries the meaning alone. */
export const SEVERITY_LABELS: Readonly<Record<ProblemSeverity, string>> = {
  error: 'Error',
  warning: 'Warning',
  unsupported: 'Not evaluated',
};

/** A glyph for the line-number gutter; the problem list says the same in words. */
export const SEVERITY_MARKS: Readonly<Record<ProblemSeverity, string>> = {
  error: '✕',
  warning: '!',
  unsupported: '?',
};

/** The decision column's words, as IAM's policy simulator names its outcomes. */
export const DECISION_LABELS: Readonly<Record<Decision, string>> = {
  allowed: 'Allowed',
  explicitDeny: 'Denied explicitly',
  implicitDeny: 'Denied: nothing allows it',
  unsupported: 'Cannot tell',
  invalid: 'Not evaluated',
};

/** "2 errors, 1 warning": the problem list's summary; "No problems" when there are none. */
export function problemSummary(problems: readonly PolicyProblem[]): string {
  const count = (severity: ProblemSeverity) =>
    problems.filter((p) => p.severity === severity).length;
  const parts = [
    [count('error'), 'error', 'errors'],
    [count('warning'), 'warning', 'warnings'],
    [count('unsupported'), 'part not evaluated', 'parts not evaluated'],
  ] as const;
  const shown = parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return shown.length === 0 ? 'No problems' : shown.join(', ');
}

/** The scenario's paragraphs: authors separate them with a blank line. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .filter((paragraph) => paragraph !== '');
}
