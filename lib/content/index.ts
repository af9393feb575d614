import path from 'node:path';
import { loadCourse, type CourseLocation, type LoadedCourse } from './course';

export * from './course';
export { formatProblem, sortProblems, CourseContentError, type ContentProblem } from './problems';
export type { LessonHeading, QuizDefinition } from './lesson-compiler';

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
