import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ContentProblem, SourcePosition } from './problems';

/** Where a lesson shows a lab: `<CodeLab lab="target">` or `<PolicyLab id="target">`, at this position. */
export interface ShownLabSite extends SourcePosition {
  moduleSlug: string;
  target: string;
}

export interface ShownLabsOptions<T> {
  /** The module's folder; its labs are in labs/<target>/. */
  moduleDir: string;
  sites: readonly ShownLabSite[];
  /** The file that makes a folder a lab of this kind, e.g. lab.yaml. */
  fileName: string;
  /** How the lesson shows one, for messages: `<CodeLab lab="x">`. */
  tagOf(target: string): string;
  /** Whether a folder of labs/ is of this kind (a folder of another kind is its own loader's business). */
  isKind(folder: string): boolean;
  read(labDir: string, site: ShownLabSite): { lab: T | undefined; problems: ContentProblem[] };
  relative(absolute: string): string;
}

/**
 * Reads the labs of one kind that a module's lessons show. A lab is shown by
 * exactly one lesson (its saves and results are stored under its id), must
 * exist, and a folder no lesson shows is reported: it would never be seen.
 * Code labs and policy labs share these rules; each kind reads its own file.
 */
export function readShownLabs<T>(options: ShownLabsOptions<T>): {
  labs: T[];
  problems: ContentProblem[];
} {
  const { moduleDir, sites, fileName, tagOf, isKind, read, relative } = options;
  const labs: T[] = [];
  const problems: ContentProblem[] = [];
  const shownBy = new Map<string, string>();
  for (const site of sites) {
    const at = { file: site.file, line: site.line, column: site.column };
    const other = shownBy.get(site.target);
    if (other) {
      problems.push({
        ...at,
        message: `The lab "${site.target}" is already shown in ${other}; a lab belongs to one lesson (copy it under a new name to reuse it).`,
      });
      continue;
    }
    shownBy.set(site.target, site.file);
    const labDir = path.join(moduleDir, 'labs', site.target);
    if (!existsSync(path.join(labDir, fileName))) {
      problems.push({
        ...at,
        message: `${tagOf(site.target)} has no ${relative(path.join(labDir, fileName))}: create the lab (see docs/authoring.md) or fix the name.`,
      });
      continue;
    }
    const result = read(labDir, site);
    problems.push(...result.problems);
    if (result.lab) labs.push(result.lab);
  }
  const labsDir = path.join(moduleDir, 'labs');
  if (existsSync(labsDir)) {
    for (const entry of readdirSync(labsDir, { withFileTypes: true })) {
      if (entry.isDirectory() && !shownBy.has(entry.name) && isKind(entry.name)) {
        problems.push({
          file: relative(path.join(labsDir, entry.name)),
          line: 1,
          column: 1,
          message: `No lesson shows this lab: add ${tagOf(entry.name).replace(/>$/, ' />')} to a lesson of this module, or delete the folder.`,
        });
      }
    }
  }
  return { labs, problems };
}
