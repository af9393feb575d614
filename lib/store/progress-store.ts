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

/** A quiz answer as stored, with whether the learner was shown the correct choices after it. */
export interface StoredQuizAnswer extends QuizAnswer {
  revealed: boolean;
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

/** A lab save with the lab it belongs to. */
export interface LabSaveEntry extends LabSave {
  labId: string;
}

/** Progress from elsewhere (an imported file), to merge into a learner's. */
export interface ProgressMerge extends LearnerProgress {
  labSaves: LabSaveEntry[];
}

/** A number for each kind of progress a merge takes. */
export interface MergeCounts {
  completedLessons: number;
  passedExercises: number;
  quizAnswers: number;
  labSaves: number;
}

export interface MergeResult {
  /** Lessons, exercises, quizzes and labs written: new to the learner, or won over what was stored. */
  written: MergeCounts;
  /** Those the learner already had and kept, because what was stored won. */
  kept: MergeCounts;
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

  /**
   * Stores an answer as the learner's latest to its quiz. `revealed` records
   * that the learner is shown the correct choices with this answer; a new
   * answer without it is not revealed, whatever the one it replaces was.
   */
  async saveQuizAnswer(
    learnerId: string,
    answer: QuizAnswer,
    now: Date,
    { revealed = false }: { revealed?: boolean } = {},
  ): Promise<void> {
    const row = {
      learner_id: learnerId,
      lesson_id: answer.lessonId,
      quiz_id: answer.quizId,
      selected: JSON.stringify(answer.selected),
      correct: answer.correct ? 1 : 0,
      answered_at: answer.answeredAt,
      revealed_answer_at: revealed ? answer.answeredAt : null,
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
            revealed_answer_at: row.revealed_answer_at,
          }),
        )
        .execute();
    });
  }

  /** The learner's latest answer to one quiz, and whether its correct choices were shown; undefined before their first. */
  async getQuizAnswer(
    learnerId: string,
    lessonId: string,
    quizId: string,
  ): Promise<StoredQuizAnswer | undefined> {
    const row = await this.db
      .selectFrom('quiz_answers')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('lesson_id', '=', lessonId)
      .where('quiz_id', '=', quizId)
      .executeTakeFirst();
    return (
      row && {
        lessonId: row.lesson_id,
        quizId: row.quiz_id,
        selected: JSON.parse(row.selected) as number[],
        correct: row.correct === 1,
        answeredAt: row.answered_at,
        revealed: row.revealed_answer_at !== null && row.revealed_answer_at === row.answered_at,
      }
    );
  }

  /**
   * Records that the learner was shown the correct choices after their latest
   * answer to a quiz. False when they have not answered it, so there is nothing to reveal.
   */
  async revealQuizAnswer(
    learnerId: string,
    lessonId: string,
    quizId: string,
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      const result = await trx
        .updateTable('quiz_answers')
        .set((eb) => ({ revealed_answer_at: eb.ref('answered_at') }))
        .where('learner_id', '=', learnerId)
        .where('lesson_id', '=', lessonId)
        .where('quiz_id', '=', quizId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  /**
   * Merges progress from elsewhere (an imported file) into a learner's, in one
   * transaction: all of it lands, or none. Nothing stored is lost: for each
   * lesson, exercise, quiz or lab the one kept is the earliest completion or
   * pass, and the latest answer, save or visit; a tie keeps what is stored, and
   * the same rule picks among repeats in `incoming`. Times must be
   * Date.toISOString() strings, which compare correctly as text.
   */
  async mergeProgress(learnerId: string, incoming: ProgressMerge, now: Date): Promise<MergeResult> {
    return this.db.transaction().execute(async (trx) => {
      await touch(trx, learnerId, now);
      const [learner, completed, passes, answers, saves] = await Promise.all([
        trx
          .selectFrom('learners')
          .select('last_lesson_at')
          .where('id', '=', learnerId)
          .executeTakeFirstOrThrow(),
        trx
          .selectFrom('lesson_progress')
          .select(['lesson_id', 'completed_at'])
          .where('learner_id', '=', learnerId)
          .execute(),
        trx
          .selectFrom('exercise_passes')
          .select(['lab_id', 'passed_at'])
          .where('learner_id', '=', learnerId)
          .execute(),
        trx
          .selectFrom('quiz_answers')
          .select(['lesson_id', 'quiz_id', 'answered_at'])
          .where('learner_id', '=', learnerId)
          .execute(),
        trx
          .selectFrom('lab_saves')
          .select(['lab_id', 'saved_at'])
          .where('learner_id', '=', learnerId)
          .execute(),
      ]);

      const completions = pickWinners(
        incoming.completedLessons,
        (c) => [c.lessonId, c.completedAt],
        completed.map((r) => [r.lesson_id, r.completed_at]),
        earlier,
      );
      for (const rows of chunks(completions.written)) {
        await trx
          .insertInto('lesson_progress')
          .values(
            rows.map((c) => ({
              learner_id: learnerId,
              lesson_id: c.lessonId,
              completed_at: c.completedAt,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['learner_id', 'lesson_id'])
              .doUpdateSet((eb) => ({ completed_at: eb.ref('excluded.completed_at') })),
          )
          .execute();
      }

      const exercises = pickWinners(
        incoming.passedExercises,
        (p) => [p.labId, p.passedAt],
        passes.map((r) => [r.lab_id, r.passed_at]),
        earlier,
      );
      for (const rows of chunks(exercises.written)) {
        await trx
          .insertInto('exercise_passes')
          .values(
            rows.map((p) => ({ learner_id: learnerId, lab_id: p.labId, passed_at: p.passedAt })),
          )
          .onConflict((oc) =>
            oc
              .columns(['learner_id', 'lab_id'])
              .doUpdateSet((eb) => ({ passed_at: eb.ref('excluded.passed_at') })),
          )
          .execute();
      }

      const quizKey = (lessonId: string, quizId: string) => JSON.stringify([lessonId, quizId]);
      const quizzes = pickWinners(
        incoming.quizAnswers,
        (a) => [quizKey(a.lessonId, a.quizId), a.answeredAt],
        answers.map((r) => [quizKey(r.lesson_id, r.quiz_id), r.answered_at]),
        later,
      );
      for (const rows of chunks(quizzes.written)) {
        await trx
          .insertInto('quiz_answers')
          .values(
            rows.map((a) => ({
              learner_id: learnerId,
              lesson_id: a.lessonId,
              quiz_id: a.quizId,
              selected: JSON.stringify(a.selected),
              correct: a.correct ? 1 : 0,
              answered_at: a.answeredAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['learner_id', 'lesson_id', 'quiz_id']).doUpdateSet((eb) => ({
              selected: eb.ref('excluded.selected'),
              correct: eb.ref('excluded.correct'),
              answered_at: eb.ref('excluded.answered_at'),
            })),
          )
          .execute();
      }

      const labs = pickWinners(
        incoming.labSaves,
        (save) => [save.labId, save.savedAt],
        saves.map((r) => [r.lab_id, r.saved_at]),
        later,
      );
      // Few at a time: a lab save may be megabytes of code, and a statement holds all its values at once.
      for (const rows of chunks(labs.written, 10)) {
        await trx
          .insertInto('lab_saves')
          .values(
            rows.map((save) => ({
              learner_id: learnerId,
              lab_id: save.labId,
              files: save.files,
              settings: save.settings,
              saved_at: save.savedAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['learner_id', 'lab_id']).doUpdateSet((eb) => ({
              files: eb.ref('excluded.files'),
              settings: eb.ref('excluded.settings'),
              saved_at: eb.ref('excluded.saved_at'),
            })),
          )
          .execute();
      }

      const visit = incoming.lastLesson;
      if (visit && later(visit.visitedAt, learner.last_lesson_at ?? undefined)) {
        await trx
          .updateTable('learners')
          .set({ last_lesson_id: visit.lessonId, last_lesson_at: visit.visitedAt })
          .where('id', '=', learnerId)
          .execute();
      }

      return {
        written: {
          completedLessons: completions.written.length,
          passedExercises: exercises.written.length,
          quizAnswers: quizzes.written.length,
          labSaves: labs.written.length,
        },
        kept: {
          completedLessons: completions.kept,
          passedExercises: exercises.kept,
          quizAnswers: quizzes.kept,
          labSaves: labs.kept,
        },
      };
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

  /** Every lab the learner has saved, by lab id: what an export carries. */
  async listLabSaves(learnerId: string): Promise<LabSaveEntry[]> {
    const rows = await this.db
      .selectFrom('lab_saves')
      .select(['lab_id', 'files', 'settings', 'saved_at'])
      .where('learner_id', '=', learnerId)
      .orderBy('lab_id')
      .execute();
    return rows.map((row) => ({
      labId: row.lab_id,
      files: row.files,
      settings: row.settings,
      savedAt: row.saved_at,
    }));
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

/**
 * The incoming entries to write: for each key, the one that wins over what is
 * stored and over the other incoming entries with that key. `kept` counts the
 * keys where the stored entry won.
 */
function pickWinners<T>(
  incoming: readonly T[],
  keyAndTime: (entry: T) => [string, string],
  stored: [string, string][],
  wins: (time: string, current: string | undefined) => boolean,
): { written: T[]; kept: number } {
  const current = new Map(stored);
  const written = new Map<string, T>();
  const keys = new Set<string>();
  for (const entry of incoming) {
    const [key, time] = keyAndTime(entry);
    keys.add(key);
    if (wins(time, current.get(key))) {
      current.set(key, time);
      written.set(key, entry);
    }
  }
  return { written: [...written.values()], kept: keys.size - written.size };
}

/** Whether `time` comes before what is stored: an earlier completion or pass wins. */
function earlier(time: string, stored: string | undefined): boolean {
  return stored === undefined || time < stored;
}

/** Whether `time` comes after what is stored: a later answer, save or visit wins. */
function later(time: string, stored: string | undefined): boolean {
  return stored === undefined || time > stored;
}

/** Rows in batches, so no statement binds more values than SQLite allows (32,766). */
function* chunks<T>(rows: readonly T[], size = 500): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
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
