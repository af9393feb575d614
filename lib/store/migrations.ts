import type { Kysely, Migration } from 'kysely';

/**
 * Every schema change, in order. Add a new entry for a change; never edit one
 * that has shipped. Written with Kysely's schema builder so they run on SQLite
 * and PostgreSQL alike.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-learners-and-progress': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('learners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('last_lesson_id', 'text')
        .addColumn('last_lesson_at', 'text')
        .execute();
      await db.schema
        .createTable('lesson_progress')
        .addColumn('learner_id', 'text', (c) =>
          c.notNull().references('learners.id').onDelete('cascade'),
        )
        .addColumn('lesson_id', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lesson_progress_pk', ['learner_id', 'lesson_id'])
        .execute();
      await db.schema
        .createTable('quiz_answers')
        .addColumn('learner_id', 'text', (c) =>
          c.notNull().references('learners.id').onDelete('cascade'),
        )
        .addColumn('lesson_id', 'text', (c) => c.notNull())
        .addColumn('quiz_id', 'text', (c) => c.notNull())
        .addColumn('selected', 'text', (c) => c.notNull())
        .addColumn('correct', 'integer', (c) => c.notNull())
        .addColumn('answered_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('quiz_answers_pk', ['learner_id', 'lesson_id', 'quiz_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('quiz_answers').execute();
      await db.schema.dropTable('lesson_progress').execute();
      await db.schema.dropTable('learners').execute();
    },
  },
  '0002-lambda-functions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('lambda_functions')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lambda_functions_pk', ['workspace_id', 'name'])
        .execute();
      await db.schema
        .createTable('lambda_layer_versions')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lambda_layer_versions_pk', ['workspace_id', 'name', 'version'])
        .execute();
      await db.schema
        .createTable('workspace_credentials')
        .addColumn('workspace_id', 'text', (c) => c.primaryKey())
        .addColumn('access_key_id', 'text', (c) => c.notNull().unique())
        .addColumn('secret_access_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('lambda_invocations')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('function_name', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lambda_invocations_pk', [
          'workspace_id',
          'function_name',
          'request_id',
        ])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'lambda_invocations',
        'workspace_credentials',
        'lambda_layer_versions',
        'lambda_functions',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  '0003-code-labs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('lab_saves')
        .addColumn('learner_id', 'text', (c) =>
          c.notNull().references('learners.id').onDelete('cascade'),
        )
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('saved_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lab_saves_pk', ['learner_id', 'lab_id'])
        .execute();
      await db.schema
        .createTable('exercise_passes')
        .addColumn('learner_id', 'text', (c) =>
          c.notNull().references('learners.id').onDelete('cascade'),
        )
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('passed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('exercise_passes_pk', ['learner_id', 'lab_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('exercise_passes').execute();
      await db.schema.dropTable('lab_saves').execute();
    },
  },
  '0004-invocation-history-per-workspace': {
    // History is trimmed and paged per workspace and per function, newest first.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('lambda_invocations_workspace_created')
        .on('lambda_invocations')
        .columns(['workspace_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('lambda_invocations_function_created')
        .on('lambda_invocations')
        .columns(['workspace_id', 'function_name', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('lambda_invocations_function_created').execute();
      await db.schema.dropIndex('lambda_invocations_workspace_created').execute();
    },
  },
  '0005-quiz-answer-reveals': {
    // Quizzes keep the answer hidden through a retry; a reveal must survive a reload.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('quiz_answers').addColumn('revealed_answer_at', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('quiz_answers').dropColumn('revealed_answer_at').execute();
    },
  },
};
