import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContentProblem } from '../authoring/problems';
import { readShownLabs, type ShownLabSite } from '../authoring/shown-labs';
import { parseYamlWithSchema } from '../authoring/yaml-file';
import type { Check } from './checks';
import type { LabSourceFile } from './contract';
import { labEventValue, labFileSchema, LAYER_PREFIX, type LabFile } from './lab-schema';

/** A lab, read and checked, ready for a lesson page and for the check API. */
export interface LabDefinition {
  /** `<module>/<lab>`: where autosaves and exercise results are stored. */
  id: string;
  moduleSlug: string;
  slug: string;
  title: string;
  /** Where the course's sandbox differs from AWS for what this lab shows. */
  sandboxNote: string;
  runtime: LabFile['runtime'];
  handler: string;
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  /** The starter files, in tab order. */
  files: LabSourceFile[];
  /** The reference answer, same paths as `files`; undefined when the lab has none. */
  solution: LabSourceFile[] | undefined;
  events: { name: string; event: unknown }[];
  /** Whether the lab offers a memory sweep (lab.yaml's `sweep`). */
  sweep: boolean;
  exercise: { hints: string[]; checks: Check[] } | undefined;
  /** Project-relative path of lab.yaml, for problem reports. */
  file: string;
}

/** The largest starter or solution file an author may write; learners may grow a file up to the contract's MAX_LAB_FILE_BYTES. */
const MAX_AUTHORED_FILE_BYTES = 256 * 1024;

/** What each runtime's handler module may be called, in the order the runtime looks (lib/runner/runtimes/). */
const NODE_HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;
const HANDLER_EXTENSIONS: Record<LabFile['runtime'], readonly string[]> = {
  'nodejs24.x': NODE_HANDLER_EXTENSIONS,
  'nodejs22.x': NODE_HANDLER_EXTENSIONS,
  'python3.11': ['.py'],
};

/**
 * Reads the labs a module's lessons show, from `<moduleDir>/labs/<lab>/`. A lab
 * must be shown by exactly one lesson: its autosave and exercise result are
 * stored under its id, and a folder no lesson shows would never be seen.
 */
export function readModuleLabs(
  moduleDir: string,
  /** Where the module's lessons show a lab (`<CodeLab lab="target">`), as lib/content found them. */
  sites: readonly ShownLabSite[],
  relative: (absolute: string) => string,
  /** Folders of labs/ that hold another kind of lab (a policy lab), which its own loader reads. */
  otherKind: (folder: string) => boolean = () => false,
): { labs: LabDefinition[]; problems: ContentProblem[] } {
  return readShownLabs({
    moduleDir,
    sites,
    fileName: 'lab.yaml',
    tagOf: (target) => `<CodeLab lab="${target}">`,
    isKind: (folder) => !otherKind(folder),
    read: (labDir, site) => readLab(labDir, site.moduleSlug, site.target, relative),
    relative,
  });
}

/**
 * Reads `<labDir>/lab.yaml` with its starter/ and solution/ files and reports
 * every problem an author can fix there. `relative` turns absolute paths into
 * the paths problems are reported under.
 */
export function readLab(
  labDir: string,
  moduleSlug: string,
  slug: string,
  relative: (absolute: string) => string,
): { lab: LabDefinition | undefined; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const yamlPath = path.join(labDir, 'lab.yaml');
  const file = relative(yamlPath);
  const parsed = parseYamlWithSchema(readFileSync(yamlPath, 'utf8'), labFileSchema, file);
  problems.push(...parsed.problems);
  const spec = parsed.value;
  if (!spec) return { lab: undefined, problems };

  const starterDir = path.join(labDir, 'starter');
  const solutionDir = path.join(labDir, 'solution');
  const files = readListedFiles(
    starterDir,
    spec.files,
    (index) => parsed.positionOf(['files', index]),
    relative,
    problems,
  );
  problems.push(...unlistedFiles(starterDir, spec.files, file, relative));

  const handlerModule = spec.handler.slice(0, spec.handler.lastIndexOf('.'));
  const candidates = HANDLER_EXTENSIONS[spec.runtime].map((extension) => handlerModule + extension);
  if (!candidates.some((candidate) => spec.files.includes(candidate))) {
    problems.push({
      ...parsed.positionOf(['handler']),
      message: `The handler "${spec.handler}" needs one of ${candidates.map((c) => `"${c}"`).join(', ')} in files.`,
    });
  }
  if (spec.files.every((name) => name.startsWith(LAYER_PREFIX))) {
    problems.push({
      ...parsed.positionOf(['files']),
      message: `Every file is under ${LAYER_PREFIX}; the function needs its own code too.`,
    });
  }
  const duplicateEvent = spec.events.find(
    (event, index) => spec.events.findIndex((other) => other.name === event.name) !== index,
  );
  if (duplicateEvent)
    problems.push({
      ...parsed.positionOf(['events']),
      message: `Two events are named "${duplicateEvent.name}"; give each its own name.`,
    });

  let solution: LabSourceFile[] | undefined;
  if (existsSync(solutionDir)) {
    solution = readListedFiles(
      solutionDir,
      spec.files,
      () => ({ file: relative(solutionDir), line: 1, column: 1 }),
      relative,
      problems,
    );
    problems.push(...unlistedFiles(solutionDir, spec.files, file, relative));
  } else if (spec.exercise) {
    problems.push({
      ...parsed.positionOf(['exercise']),
      message: `An exercise needs its reference answer: create ${relative(solutionDir)}/ with the same files as starter/.`,
    });
  }

  const lab: LabDefinition = {
    id: `${moduleSlug}/${slug}`,
    moduleSlug,
    slug,
    title: spec.title,
    sandboxNote: spec.sandboxNote,
    runtime: spec.runtime,
    handler: spec.handler,
    memoryMb: spec.memoryMb,
    timeoutS: spec.timeoutS,
    environment: spec.environment,
    files,
    solution,
    sweep: spec.sweep,
    events: spec.events.map((event) => ({ name: event.name, event: labEventValue(event) ?? {} })),
    exercise: spec.exercise,
    file,
  };
  return { lab: problems.length === 0 ? lab : undefined, problems };
}

function readListedFiles(
  dir: string,
  names: readonly string[],
  positionOf: (index: number) => Pick<ContentProblem, 'file' | 'line' | 'column'>,
  relative: (absolute: string) => string,
  problems: ContentProblem[],
): LabSourceFile[] {
  const files: LabSourceFile[] = [];
  for (const [index, name] of names.entries()) {
    const absolute = path.join(dir, name);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      problems.push({
        ...positionOf(index),
        message: `"${name}" is listed in files but ${relative(absolute)} does not exist.`,
      });
      continue;
    }
    if (statSync(absolute).size > MAX_AUTHORED_FILE_BYTES) {
      problems.push({
        ...positionOf(index),
        message: `${relative(absolute)} is larger than ${MAX_AUTHORED_FILE_BYTES / 1024} KB; lab files are for reading and editing.`,
      });
      continue;
    }
    files.push({ path: name, content: readFileSync(absolute, 'utf8') });
  }
  return files;
}

/** Files present in a lab folder that lab.yaml does not list: they would silently never reach the learner. */
function unlistedFiles(
  dir: string,
  names: readonly string[],
  yamlFile: string,
  relative: (absolute: string) => string,
): ContentProblem[] {
  if (!existsSync(dir)) return [];
  const listed = new Set(names);
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) =>
    entry.isFile(),
  );
  return entries
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .filter((name) => !listed.has(name))
    .map((name) => ({
      file: relative(path.join(dir, name)),
      line: 1,
      column: 1,
      message: `This file is not listed in files in ${yamlFile}: list it or delete it.`,
    }));
}
