export {
  ProgressStore,
  type CompletedLesson,
  type LastLesson,
  type LearnerProgress,
  type QuizAnswer,
} from './progress-store';
export { openSqliteDatabase, openSqliteStore, DATABASE_FILE } from './sqlite';
export type { Database, LambdaInvocationsTable } from './schema';
