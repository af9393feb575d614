import {
  CourseContentError,
  getProjectCourse,
  type Course,
  type Lesson,
  type LoadedCourse,
} from '../course';
import { toPolicyLabView } from '../iam';
import type { PolicyLabView } from '../iam/contract';
import { labFunctionName, toLabView } from '../labs';
import type { LabView } from '../labs/contract';
import { IS_DEVELOPMENT } from './services';

/**
 * The course as pages render it. A production build refuses content with any
 * problem (the error lists each as file:line:col). In development the site
 * stays up: only a page whose own file is broken fails, with the same message
 * in Next's error overlay.
 */
export async function getCourseForPages(): Promise<LoadedCourse> {
  const loaded = await getProjectCourse({ reload: IS_DEVELOPMENT });
  if (!IS_DEVELOPMENT && loaded.problems.length > 0) throw new CourseContentError(loaded.problems);
  return loaded;
}

export interface LessonPageData {
  course: Course;
  lesson: Lesson;
  previous: Lesson | undefined;
  next: Lesson | undefined;
  /** What the browser gets of each lab the lesson shows, by id. */
  labs: ReadonlyMap<string, LabView>;
  /** What the browser gets of each policy lab the lesson shows, by id (everything but the solution). */
  policyLabs: ReadonlyMap<string, PolicyLabView>;
}

/** The lesson at /learn/<module>/<lesson>, or undefined when there is none. */
export async function getLessonPage(
  moduleSlug: string,
  lessonSlug: string,
): Promise<LessonPageData | undefined> {
  const { course, problems } = await getCourseForPages();
  const file = `content/${moduleSlug}/${lessonSlug}.mdx`;
  const own = problems.filter((problem) => problem.file === file);
  if (own.length > 0) throw new CourseContentError(own);
  const index = course.lessons.findIndex(
    (l) => l.moduleSlug === moduleSlug && l.slug === lessonSlug,
  );
  const lesson = course.lessons[index];
  if (!lesson) return undefined;
  const labs = new Map<string, LabView>();
  for (const id of lesson.labIds) {
    const lab = course.labs.get(id);
    if (lab) labs.set(id, toLabView(lab, labFunctionName(lab)));
  }
  const policyLabs = new Map<string, PolicyLabView>();
  for (const [id, lab] of course.policyLabs) {
    if (lab.moduleSlug === lesson.moduleSlug) policyLabs.set(id, toPolicyLabView(lab));
  }
  return {
    course,
    lesson,
    previous: course.lessons[index - 1],
    next: course.lessons[index + 1],
    labs,
    policyLabs,
  };
}
