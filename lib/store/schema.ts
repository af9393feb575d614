/**
 * The database as Kysely sees it. Times are ISO 8601 strings and booleans are
 * 0/1 integers, so the same tables work on SQLite and PostgreSQL.
 */
export interface Database {
  learners: LearnersTable;
  lesson_progress: LessonProgressTable;
  quiz_answers: QuizAnswersTable;
}

export interface LearnersTable {
  id: string;
  created_at: string;
  last_seen_at: string;
  last_lesson_id: string | null;
  last_lesson_at: string | null;
}

export interface LessonProgressTable {
  learner_id: string;
  lesson_id: string;
  completed_at: string;
}

export interface QuizAnswersTable {
  learner_id: string;
  lesson_id: string;
  quiz_id: string;
  /** JSON array of the selected choice indexes. */
  selected: string;
  correct: number;
  answered_at: string;
}
