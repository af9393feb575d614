export interface SplitFrontmatter {
  /** The YAML between the fences. */
  yaml: string;
  /** The file line the YAML starts on, for problem positions. */
  firstLine: number;
}

/** Finds the `---` fenced YAML block a lesson must start with. */
export function splitFrontmatter(source: string): SplitFrontmatter | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---\s*(?:\r?\n|$)/.exec(source);
  if (!match) return undefined;
  return { yaml: match[1] ?? '', firstLine: 2 };
}
