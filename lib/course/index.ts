import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  relativeTo,
  loadContent,
  type CourseContent,
  type CourseLocation,
  type LabSite,
} from '../content';
import type { ContentProblem } from '../authoring/problems';
import { POLICY_LAB_FILE, readModulePolicyLabs, type PolicyLabDefinition } from '../iam';
import { readModuleLabs, type LabDefinition } from '../labs';

/*
 * The course assembled from its parts: lib/content reads the lessons, lib/labs
 * reads the labs the lessons show, and this module joins them. Neither part
 * imports the other; pages, routes and content:check import this.
 */

export type { ContentProblem, SourcePosition } from '../authoring/problems';
export { CourseContentError, formatProblem, sortProblems } from '../authoring/problems';
export type {
  CourseLocation,
  CourseModule,
  Lesson,
  LessonHeading,
  QuizDefinition,
} from '../content';

export interface Course extends CourseContent {
  /** Every code lab a lesson shows, by id (`<module>/<lab>`). */
  labs: ReadonlyMap<string, LabDefinition>;
  /** Every policy lab a lesson shows, by id (`<module>/<lab>`). */
  policyLabs: ReadonlyMap<string, PolicyLabDefinition>;
}

export interface LoadedCourse {
  course: Course;
  problems: ContentProblem[];
}

/**
 * Loads and checks the whole course: its text, then the labs its lessons show.
 * Every problem of either is returned; a lesson or lab with a problem that
 * stops it rendering is left out.
 */
export async function loadCourse(location: CourseLocation): Promise<LoadedCourse> {
  const { content, labSites, policyLabSites, problems } = await loadContent(location);
  const relative = relativeTo(location.projectDir);
  const labs = new Map<string, LabDefinition>();
  const policyLabs = new Map<string, PolicyLabDefinition>();
  for (const courseModule of content.modules) {
    const moduleDir = path.join(location.contentDir, courseModule.slug);
    const isPolicyLab = (folder: string) =>
      existsSync(path.join(moduleDir, 'labs', folder, POLICY_LAB_FILE));
    const inModule = (site: LabSite) => site.moduleSlug === courseModule.slug;
    const read = readModuleLabs(moduleDir, labSites.filter(inModule), relative, isPolicyLab);
    problems.push(...read.problems);
    for (const lab of read.labs) labs.set(lab.id, lab);
    const policies = readModulePolicyLabs(moduleDir, policyLabSites.filter(inModule), relative);
    problems.push(...policies.problems);
    for (const lab of policies.labs) policyLabs.set(lab.id, lab);
  }
  return { course: { ...content, labs, policyLabs }, problems };
}

/** Where the course lives in this project. */
export function projectCourseLocation(projectDir: string = process.cwd()): CourseLocation {
  return {
    contentDir: path.join(projectDir, 'content'),
    publicDir: path.join(projectDir, 'public'),
    projectDir,
  };
}

/*
 * Kept on globalThis: Next.js bundles instrumentation (which loads the course
 * at start-up) and the routes separately, each with its own copy of this
 * module, and they must share one loaded course.
 */
const CACHE_KEY = Symbol.for('serverless-course.course');
type GlobalWithCourse = typeof globalThis & { [CACHE_KEY]?: Promise<LoadedCourse> };
const cache = globalThis as GlobalWithCourse;

/**
 * The project's course. With `reload` (development) it is re-read on every call,
 * so an edited lesson shows at once; lesson compilation is still cached per file.
 * Without it the course is loaded once per process.
 */
export function getProjectCourse({ reload }: { reload: boolean }): Promise<LoadedCourse> {
  const cached = cache[CACHE_KEY];
  if (!reload && cached) return cached;
  const next = loadCourse(projectCourseLocation());
  // A failed load must not stay cached: the next call tries again.
  next.catch(() => {
    if (cache[CACHE_KEY] === next) delete cache[CACHE_KEY];
  });
  cache[CACHE_KEY] = next;
  return next;
}
