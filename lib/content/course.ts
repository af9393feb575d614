import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  compileLesson,
  type CompiledLesson,
  type LessonAnalysis,
  type LessonHeading,
  type QuizDefinition,
} from './lesson-compiler';
import { splitFrontmatter } from './frontmatter';
import type { ContentProblem } from '../authoring/problems';
import type { ShownLabSite } from '../authoring/shown-labs';
import { parseYamlWithSchema } from '../authoring/yaml-file';
import {
  courseFileSchema,
  lessonFrontmatterSchema,
  moduleFileSchema,
  type LessonFrontmatter,
} from './schema';

export interface Lesson extends LessonFrontmatter {
  /** Stable id used in progress: `<module>/<lesson>`. */
  id: string;
  moduleSlug: string;
  slug: string;
  /** Project-relative path of the .mdx file. */
  file: string;
  href: string;
  headings: LessonHeading[];
  quizzes: QuizDefinition[];
  /** Ids (`<module>/<lab>`) of the code labs the lesson shows, in page order. */
  labIds: string[];
  /** Compiled MDX function body; components/mdx/LessonContent runs it. */
  code: string;
}

export interface CourseModule {
  slug: string;
  title: string;
  summary: string;
  href: string;
  lessons: Lesson[];
}

/** The course's text: its modules and lessons, without the labs they show (lib/course joins those). */
export interface CourseContent {
  title: string;
  summary: string;
  modules: CourseModule[];
  /** Every lesson in reading order, across modules. */
  lessons: Lesson[];
}

/** Where a lesson shows a lab: `<CodeLab lab="target">` at this line and column. */
/** Where a lesson shows a lab (lib/authoring's ShownLabSite). */
export type LabSite = ShownLabSite;

export interface LoadedContent {
  content: CourseContent;
  /** Every `<CodeLab>` of every lesson, in module and page order. */
  labSites: LabSite[];
  /** Every `<PolicyLab>` of every lesson, in module and page order. */
  policyLabSites: LabSite[];
  problems: ContentProblem[];
}

export interface CourseLocation {
  /** The folder holding course.yaml. */
  contentDir: string;
  /** The folder `/images/...` URLs are served from. */
  publicDir: string;
  /** Problem paths are reported relative to this folder. */
  projectDir: string;
}

/** Routes a lesson may link to besides lessons and modules. */
const APP_PATHS = new Set(['/', '/progress', '/account']);
/** Element ids every lesson page has, besides its headings. */
const PAGE_ANCHORS = new Set(['main-content', 'objectives', 'references']);

/** Project-relative, forward-slashed: how problems name files on every platform. */
export function relativeTo(projectDir: string): (absolute: string) => string {
  return (absolute) => path.relative(projectDir, absolute).split(path.sep).join('/');
}

/**
 * Loads the course's text and checks it: schemas, MDX, components, quizzes,
 * ordering, slugs, internal links and anchors, images. Lessons with problems
 * that stop them rendering are left out of `content`; every problem is
 * returned. The labs the lessons show are read by lib/labs, not here.
 */
export async function loadContent(location: CourseLocation): Promise<LoadedContent> {
  const problems: ContentProblem[] = [];
  const labSites: LabSite[] = [];
  const policyLabSites: LabSite[] = [];
  const relative = relativeTo(location.projectDir);
  const courseFile = path.join(location.contentDir, 'course.yaml');
  const empty: CourseContent = { title: 'Course', summary: '', modules: [], lessons: [] };

  if (!existsSync(courseFile)) {
    problems.push({
      file: relative(courseFile),
      line: 1,
      column: 1,
      message:
        'course.yaml is missing: create it with title, summary and modules (see docs/authoring.md).',
    });
    return { content: empty, labSites, policyLabSites, problems };
  }
  const courseYaml = readYaml(courseFile, courseFileSchema, relative(courseFile), problems);
  if (!courseYaml) return { content: empty, labSites, policyLabSites, problems };

  const course: CourseContent = {
    title: courseYaml.value.title,
    summary: courseYaml.value.summary,
    modules: [],
    lessons: [],
  };
  const seenModules = new Set<string>();
  const analyses = new Map<Lesson, LessonAnalysis>();
  for (const [index, moduleSlug] of courseYaml.value.modules.entries()) {
    const at = courseYaml.positionOf(['modules', index]);
    if (seenModules.has(moduleSlug)) {
      problems.push({
        ...at,
        message: `Module "${moduleSlug}" is listed twice in modules; list each module once.`,
      });
      continue;
    }
    seenModules.add(moduleSlug);
    const moduleDir = path.join(location.contentDir, moduleSlug);
    const moduleFile = path.join(moduleDir, 'module.yaml');
    if (!existsSync(moduleFile)) {
      problems.push({
        ...at,
        message: `Module "${moduleSlug}" has no ${relative(moduleFile)}: create the folder and its module.yaml, or remove it from modules.`,
      });
      continue;
    }
    const moduleYaml = readYaml(moduleFile, moduleFileSchema, relative(moduleFile), problems);
    if (!moduleYaml) continue;
    const courseModule: CourseModule = {
      slug: moduleSlug,
      title: moduleYaml.value.title,
      summary: moduleYaml.value.summary,
      href: `/learn/${moduleSlug}`,
      lessons: [],
    };
    course.modules.push(courseModule);

    const listed = new Set<string>();
    for (const [lessonIndex, lessonSlug] of moduleYaml.value.lessons.entries()) {
      const lessonAt = moduleYaml.positionOf(['lessons', lessonIndex]);
      if (listed.has(lessonSlug)) {
        problems.push({
          ...lessonAt,
          message: `Lesson "${lessonSlug}" is listed twice; each lesson slug must be unique within its module.`,
        });
        continue;
      }
      listed.add(lessonSlug);
      const lessonFile = path.join(moduleDir, `${lessonSlug}.mdx`);
      if (!existsSync(lessonFile)) {
        problems.push({
          ...lessonAt,
          message: `Lesson "${lessonSlug}" has no file ${relative(lessonFile)}: create it or remove it from lessons.`,
        });
        continue;
      }
      const lesson = await readLesson(
        lessonFile,
        relative(lessonFile),
        moduleSlug,
        lessonSlug,
        problems,
        analyses,
      );
      if (lesson) courseModule.lessons.push(lesson);
    }
    for (const lesson of courseModule.lessons) {
      const analysis = analyses.get(lesson);
      const siteOf = (site: { target: string; line: number; column: number }): LabSite => ({
        moduleSlug,
        file: lesson.file,
        target: site.target,
        line: site.line,
        column: site.column,
      });
      labSites.push(...(analysis?.labs ?? []).map(siteOf));
      policyLabSites.push(...(analysis?.policyLabs ?? []).map(siteOf));
    }
    for (const entry of readdirSync(moduleDir)) {
      if (entry.endsWith('.mdx') && !listed.has(entry.slice(0, -'.mdx'.length))) {
        problems.push({
          file: relative(path.join(moduleDir, entry)),
          line: 1,
          column: 1,
          message: `This lesson is not listed in ${relative(moduleFile)}: add "${entry.slice(0, -4)}" to its lessons (in reading order) or delete the file.`,
        });
      }
    }
  }
  course.lessons = course.modules.flatMap((m) => m.lessons);
  problems.push(...checkReferences(course, analyses, location, relative));
  return { content: course, labSites, policyLabSites, problems };
}

interface ReadYaml<T> {
  value: T;
  positionOf(path: (string | number)[]): { file: string; line: number; column: number };
}

function readYaml<S extends z.ZodType>(
  absolute: string,
  schema: S,
  file: string,
  problems: ContentProblem[],
): ReadYaml<z.infer<S>> | undefined {
  const text = readFileSync(absolute, 'utf8');
  const parsed = parseYamlWithSchema(text, schema, file);
  problems.push(...parsed.problems);
  if (parsed.value === undefined) return undefined;
  return { value: parsed.value, positionOf: parsed.positionOf };
}

const compiledCache = new Map<string, { source: string; result: CompiledLesson }>();

/** Compiling is the slow part; a lesson is recompiled only when its file changes. */
async function compileCached(
  absolute: string,
  source: string,
  file: string,
): Promise<CompiledLesson> {
  const cached = compiledCache.get(absolute);
  if (cached?.source === source) return cached.result;
  const result = await compileLesson(source, file);
  compiledCache.set(absolute, { source, result });
  return result;
}

async function readLesson(
  absolute: string,
  file: string,
  moduleSlug: string,
  slug: string,
  problems: ContentProblem[],
  referenceSites: Map<Lesson, LessonAnalysis>,
): Promise<Lesson | undefined> {
  const source = readFileSync(absolute, 'utf8');
  const split = splitFrontmatter(source);
  if (!split) {
    problems.push({
      file,
      line: 1,
      column: 1,
      message:
        'A lesson must start with YAML frontmatter between two "---" lines (title, summary, objectives, minutes, references).',
    });
    return undefined;
  }
  const frontmatter = parseYamlWithSchema(
    split.yaml,
    lessonFrontmatterSchema,
    file,
    split.firstLine,
  );
  problems.push(...frontmatter.problems);
  const compiled = await compileCached(absolute, source, file);
  problems.push(...compiled.problems);
  if (!frontmatter.value || compiled.code === undefined) return undefined;
  const lesson: Lesson = {
    ...frontmatter.value,
    id: `${moduleSlug}/${slug}`,
    moduleSlug,
    slug,
    file,
    href: `/learn/${moduleSlug}/${slug}`,
    headings: compiled.analysis.headings,
    quizzes: compiled.analysis.quizzes,
    labIds: compiled.analysis.labs.map((site) => `${moduleSlug}/${site.target}`),
    code: compiled.code,
  };
  referenceSites.set(lesson, compiled.analysis);
  return lesson;
}

function checkReferences(
  course: CourseContent,
  analyses: Map<Lesson, LessonAnalysis>,
  location: CourseLocation,
  relative: (p: string) => string,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const lessonsByHref = new Map(course.lessons.map((l) => [l.href, l]));
  const moduleHrefs = new Set(course.modules.map((m) => m.href));

  for (const lesson of course.lessons) {
    const { links, images } = analyses.get(lesson) ?? { links: [], images: [] };
    const report = (site: { line: number; column: number }, message: string) =>
      problems.push({ file: lesson.file, line: site.line, column: site.column, message });

    for (const link of links) {
      const problem = checkLink(link.target, lesson, lessonsByHref, moduleHrefs);
      if (problem) report(link, problem);
    }
    for (const image of images) {
      if (/^[a-z]+:\/\//i.test(image.target) || image.target.startsWith('//')) {
        report(
          image,
          `Image "${image.target}" is loaded from another site; the course must work offline: save it under public/images/ and use "/images/…".`,
        );
      } else if (!image.target.startsWith('/')) {
        report(
          image,
          `Image "${image.target}" must be an absolute path such as "/images/${lesson.moduleSlug}/diagram.svg" (files live under public/).`,
        );
      } else if (
        !existsSync(path.join(location.publicDir, decodeURI(image.target.split(/[?#]/)[0] ?? '')))
      ) {
        report(
          image,
          `Image "${image.target}" not found: add ${relative(path.join(location.publicDir, image.target))} or fix the path.`,
        );
      }
    }
  }
  return problems;
}

/** Returns what is wrong with a link, or undefined when it resolves. */
function checkLink(
  target: string,
  from: Lesson,
  lessonsByHref: Map<string, Lesson>,
  moduleHrefs: Set<string>,
): string | undefined {
  if (/^(https?:|mailto:)/i.test(target)) return undefined;
  const hashIndex = target.indexOf('#');
  const pathname = hashIndex === -1 ? target : target.slice(0, hashIndex);
  const anchor = hashIndex === -1 ? undefined : decodeURIComponent(target.slice(hashIndex + 1));

  if (pathname === '') return checkAnchor(from, anchor, target);
  if (!pathname.startsWith('/')) {
    return `Link "${target}" is relative; write internal links from the site root, e.g. "/learn/${from.moduleSlug}/${from.slug}".`;
  }
  const normalised = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  const lesson = lessonsByHref.get(normalised);
  if (lesson) return checkAnchor(lesson, anchor, target);
  if (moduleHrefs.has(normalised) || APP_PATHS.has(normalised)) {
    return anchor === undefined
      ? undefined
      : `Link "${target}" has an anchor, but only lesson pages have section anchors.`;
  }
  return `Broken link "${target}": no page has that path. Lesson links look like "/learn/<module>/<lesson>"; check content/<module>/module.yaml for the slugs.`;
}

function checkAnchor(
  lesson: Lesson,
  anchor: string | undefined,
  target: string,
): string | undefined {
  if (anchor === undefined || anchor === '' || PAGE_ANCHORS.has(anchor)) return undefined;
  if (lesson.headings.some((h) => h.id === anchor)) return undefined;
  const known = lesson.headings.map((h) => `#${h.id}`).join(', ') || 'none';
  return `Broken anchor in "${target}": ${lesson.file} has no heading with id "${anchor}". Its anchors: ${known}.`;
}
