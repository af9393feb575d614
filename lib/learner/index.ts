/*
 * A learner on the course: their session cookie and their progress, checked
 * against the course. The browser-safe half (requests, replies) is ./contract.
 */
export {
  InvalidProgressError,
  NotInCourseError,
  ProgressService,
  type ImportSummary,
  type ProgressCourse,
} from './progress-service';
export { learnerCookieHeader, resolveLearner } from './session';
