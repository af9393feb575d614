import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from './migrations';
import type { Database } from './schema';

export interface CompletedLesson {
  lessonId: string;
  completedAt: string;
}

export interface QuizAnswer {
  lessonId: string;
  quizId: string;
  selected: number[];
  correct: boolean;
  answeredAt: string;
}

export interface LastLesson {
  lessonId: string;
  visitedAt: string;
}

export interface PassedExercise {
  /** The lab's id, `<module>/<lab>`. */
  labId: string;
  passedAt: string;
}

/** Everything the course remembers about one learner. */
export interface LearnerProgress {
  completedLessons: CompletedLesson[];
  quizAnswers: QuizAnswer[];
  passedExercises: PassedExercise[];
  lastLesson: LastLesson | null;
}

/** A learner's saved copy of a lab, as stored: the lab service validates what goes in. */
export interface LabSave {
  files: string;
  settings: string;
  savedAt: string;
}

/**
 * Persistence for learner workspaces and progress. Callers see only this
 * interface; the SQL underneath is Kysely's, so another dialect (PostgreSQL)
 * is a different `Kysely` instance, not a different store.
 */
export class ProgressStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Applies every pending migration; safe to call on every start. */
  async migrate(): Promise<string[]> {
    const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
    const { error, results } = await new Migrator({ db: this.db, provider }).migrateToLatest();
    if (error)
      throw new Error('Database migration failed; the data directory was left as it was.', {
        cause: error,
      });
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /** Creates the learner if new, and records that they were seen. */
  async touchLearner(learnerId: string, now: Date): Promise<void> {
    await touch(this.db, learnerId, now);
  }

  async getProgress(learnerId: string): Promise<LearnerProgress> {
    const [learner, completed, answers, passes] = await Promise.all([
      this.db
        .selectFrom('learners')
        .select(['last_lesson_id', 'last_lesson_at'])
        .where('id', '=', learnerId)
        .executeTakeFirst(),
      this.db
        .selectFrom('lesson_progress')
        .select(['lesson_id', 'completed_at'])
        .where('learner_id', '=', learnerId)
        .orderBy('completed_at')
        .orderBy('lesson_id')
        .execute(),
      this.db
        .selectFrom('quiz_answers')
        .selectAll()
        .where('learner_id', '=', learnerId)
        .orderBy('lesson_id')
        .orderBy('quiz_id')
        .execute(),
      this.db
        .selectFrom('exercise_passes')
        .select(['lab_id', 'passed_at'])
        .where('learner_id', '=', learnerId)
        .orderBy('passed_at')
        .orderBy('lab_id')
        .execute(),
    ]);
    return {
      completedLessons: completed.map((row) => ({
        lessonId: row.lesson_id,
        completedAt: row.completed_at,
      })),
      quizAnswers: answers.map((row) => ({
        lessonId: row.lesson_id,
        quizId: row.quiz_id,
        selected: JSON.parse(row.selected) as number[],
        correct: row.correct === 1,
        answeredAt: row.answered_at,
      })),
      passedExercises: passes.map((row) => ({ labId: row.lab_id, passedAt: row.passed_at })),
      lastLesson:
        learner?.last_lesson_id && learner.last_lesson_at
          ? { lessonId: learner.last_lesson_id, visitedAt: learner.last_lesson_at }
          : null,
    };
  }

  async setLessonCompleted(
    learnerId: string,
    lessonId: string,
    completed: boolean,
    now: Date,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      if (completed) {
        await trx
          .insertInto('lesson_progress')
          .values({ learner_id: learnerId, lesson_id: lessonId, completed_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing())
          .execute();
      } else {
        await trx
          .deleteFrom('lesson_progress')
          .where('learner_id', '=', learnerId)
          .where('lesson_id', '=', lessonId)
          .execute();
      }
    });
  }

  async recordVisit(learnerId: string, lessonId: string, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      await trx
        .updateTable('learners')
        .set({ last_lesson_id: lessonId, last_lesson_at: now.toISOString() })
        .where('id', '=', learnerId)
        .execute();
    });
  }

  async saveQuizAnswer(learnerId: string, answer: QuizAnswer, now: Date): Promise<void> {
    const row = {
      learner_id: learnerId,
      lesson_id: answer.lessonId,
      quiz_id: answer.quizId,
      selected: JSON.stringify(answer.selected),
      correct: answer.correct ? 1 : 0,
      answered_at: answer.answeredAt,
    };
    await this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      await trx
        .insertInto('quiz_answers')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['learner_id', 'lesson_id', 'quiz_id']).doUpdateSet({
            selected: row.selected,
            correct: row.correct,
            answered_at: row.answered_at,
          }),
        )
        .execute();
    });
  }

  /** Replaces a learner's whole progress in one transaction: all of it lands, or none. */
  async replaceProgress(learnerId: string, progress: LearnerProgress, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      await trx.deleteFrom('lesson_progress').where('learner_id', '=', learnerId).execute();
      await trx.deleteFrom('quiz_answers').where('learner_id', '=', learnerId).execute();
      await trx.deleteFrom('exercise_passes').where('learner_id', '=', learnerId).execute();
      if (progress.passedExercises.length > 0) {
        await trx
          .insertInto('exercise_passes')
          .values(
            progress.passedExercises.map((p) => ({
              learner_id: learnerId,
              lab_id: p.labId,
              passed_at: p.passedAt,
            })),
          )
          .execute();
      }
      if (progress.completedLessons.length > 0) {
        await trx
          .insertInto('lesson_progress')
          .values(
            progress.completedLessons.map((c) => ({
              learner_id: learnerId,
              lesson_id: c.lessonId,
              completed_at: c.completedAt,
            })),
          )
          .execute();
      }
      if (progress.quizAnswers.length > 0) {
        await trx
          .insertInto('quiz_answers')
          .values(
            progress.quizAnswers.map((a) => ({
              learner_id: learnerId,
              lesson_id: a.lessonId,
              quiz_id: a.quizId,
              selected: JSON.stringify(a.selected),
              correct: a.correct ? 1 : 0,
              answered_at: a.answeredAt,
            })),
          )
          .execute();
      }
      await trx
        .updateTable('learners')
        .set({
          last_lesson_id: progress.lastLesson?.lessonId ?? null,
          last_lesson_at: progress.lastLesson?.visitedAt ?? null,
        })
        .where('id', '=', learnerId)
        .execute();
    });
  }

  /** Records that the learner passed an exercise; the first pass is the one kept. */
  async recordExercisePassed(learnerId: string, labId: string, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      await trx
        .insertInto('exercise_passes')
        .values({ learner_id: learnerId, lab_id: labId, passed_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['learner_id', 'lab_id']).doNothing())
        .execute();
    });
  }

  async getLabSave(learnerId: string, labId: string): Promise<LabSave | undefined> {
    const row = await this.db
      .selectFrom('lab_saves')
      .select(['files', 'settings', 'saved_at'])
      .where('learner_id', '=', learnerId)
      .where('lab_id', '=', labId)
      .executeTakeFirst();
    return row && { files: row.files, settings: row.settings, savedAt: row.saved_at };
  }

  async saveLab(
    learnerId: string,
    labId: string,
    save: Omit<LabSave, 'savedAt'>,
    now: Date,
  ): Promise<void> {
    const row = {
      learner_id: learnerId,
      lab_id: labId,
      files: save.files,
      settings: save.settings,
      saved_at: now.toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      await trx
        .insertInto('lab_saves')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['learner_id', 'lab_id'])
            .doUpdateSet({ files: row.files, settings: row.settings, saved_at: row.saved_at }),
        )
        .execute();
    });
  }

  async deleteLabSave(learnerId: string, labId: string): Promise<void> {
    await this.db
      .deleteFrom('lab_saves')
      .where('learner_id', '=', learnerId)
      .where('lab_id', '=', labId)
      .execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

async function touch(db: Kysely<Database>, learnerId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('learners')
    .values({
      id: learnerId,
      created_at: at,
      last_seen_at: at,
      last_lesson_id: null,
      last_lesson_at: null,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_at: at }))
    .execute();
}
