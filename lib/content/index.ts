export {
  loadContent,
  relativeTo,
  type CourseContent,
  type CourseLocation,
  type CourseModule,
  type LabSite,
  type Lesson,
  type LoadedContent,
} from './course';
export { quizAnchorId, type LessonHeading, type QuizDefinition } from './lesson-compiler';
