/** One thing wrong with the course, located in a file an author edits. */
export interface ContentProblem {
  /** Path relative to the project root, e.g. `content/hosting/welcome.mdx`. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** What is wrong and how to fix it. */
  message: string;
}

/** A place in an authored file. */
export type SourcePosition = Pick<ContentProblem, 'file' | 'line' | 'column'>;

/** The one format content:check, the build and the dev overlay all use. */
export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.message}`;
}

export function sortProblems(problems: readonly ContentProblem[]): ContentProblem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

/** Thrown when course content that must be valid (a build, a lesson page) is not. */
export class CourseContentError extends Error {
  readonly problems: readonly ContentProblem[];

  constructor(problems: readonly ContentProblem[]) {
    const sorted = sortProblems(problems);
    const noun = sorted.length === 1 ? 'problem' : 'problems';
    super(
      `The course content has ${sorted.length} ${noun}; run \`npm run content:check\` after fixing:\n` +
        sorted.map(formatProblem).join('\n'),
    );
    this.name = 'CourseContentError';
    this.problems = sorted;
  }
}
