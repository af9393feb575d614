export { ProgressStore, type CompletedLesson, type LastLesson, type LearnerProgress, type QuizAnswer } from './progress-store';
export { openSqliteStore, DATABASE_FILE } from './sqlite';
