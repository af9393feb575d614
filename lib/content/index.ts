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

let loaded: Promise<LoadedCourse> | undefined;

/**
 * The project's course. With `reload` (development) it is re-read on every call,
 * so an edited lesson shows at once; lesson compilation is still cached per file.
 * Without it the course is loaded once per process.
 */
export function getProjectCourse({ reload }: { reload: boolean }): Promise<LoadedCourse> {
  if (reload || !loaded) {
    const next = loadCourse(projectCourseLocation());
    // A failed load must not stay cached: the next call tries again.
    next.catch(() => {
      if (loaded === next) loaded = undefined;
    });
    loaded = next;
  }
  return loaded;
}
