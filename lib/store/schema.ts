/**
 * The database as Kysely sees it. Times are ISO 8601 strings and booleans are
 * 0/1 integers, so the same tables work on SQLite and PostgreSQL.
 */
export interface Database {
  learners: LearnersTable;
  lesson_progress: LessonProgressTable;
  quiz_answers: QuizAnswersTable;
  lambda_functions: LambdaFunctionsTable;
  lambda_layer_versions: LambdaLayerVersionsTable;
  workspace_credentials: WorkspaceCredentialsTable;
  lambda_invocations: LambdaInvocationsTable;
  lab_saves: LabSavesTable;
  exercise_passes: ExercisePassesTable;
}

/** A learner's own copy of a code lab: what comes back on reload. */
export interface LabSavesTable {
  learner_id: string;
  /** `<module>/<lab>`. */
  lab_id: string;
  /** The files as JSON: [{ path, content }]. */
  files: string;
  /** Memory, timeout, environment and the event, as JSON (lib/labs' LabSettings). */
  settings: string;
  saved_at: string;
}

export interface ExercisePassesTable {
  learner_id: string;
  lab_id: string;
  /** When every check first passed. */
  passed_at: string;
}

export interface LambdaFunctionsTable {
  workspace_id: string;
  name: string;
  /** The whole configuration as JSON (lib/lambda's FunctionDefinition). */
  definition: string;
  created_at: string;
  updated_at: string;
}

export interface LambdaLayerVersionsTable {
  workspace_id: string;
  name: string;
  version: number;
  /** LayerVersion as JSON. */
  definition: string;
  created_at: string;
}

export interface WorkspaceCredentialsTable {
  workspace_id: string;
  access_key_id: string;
  secret_access_key: string;
  created_at: string;
}

export interface LambdaInvocationsTable {
  workspace_id: string;
  function_name: string;
  request_id: string;
  /** The whole record as JSON (lib/lambda's InvocationRecord). */
  record: string;
  created_at: string;
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
  /**
   * The answered_at of the answer after which the learner was shown the
   * correct choices, or null. The reveal belongs to that one answer: a newer
   * answer, given or imported, does not match it and so is not revealed.
   */
  revealed_answer_at: string | null;
}
