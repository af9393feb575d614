export { loadContent, relativeTo, type CourseContent, type CourseLocation, type CourseModule, type LabSite, type Lesson, type LoadedContent } from './course';
export type { LessonHeading, QuizDefinition } from './lesson-compiler';
