import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { ProgressStore } from './progress-store';
import { openSqliteDatabase, openSqliteStore } from './sqlite';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const LATER = new Date('2026-11-30T11:00:00.000Z');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'store-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('migrations', () => {
  it('apply every migration on a new database, and none the second time', async () => {
    const dir = tempDir();
    const first = await openSqliteStore(dir);
    expect(await first.migrate()).toEqual([]);
    await first.close();
    const second = await openSqliteStore(dir);
    expect(await second.migrate()).toEqual([]);
    await second.close();
    expect(Object.keys(MIGRATIONS)).toEqual([
      '0001-learners-and-progress',
      '0002-lambda-functions',
      '0003-code-labs',
      '0004-invocation-history-per-workspace',
      '0005-quiz-answer-reveals',
    ]);
  });
});

describe('ProgressStore', () => {
  it('starts a new learner with empty progress', async () => {
    const store = await openSqliteStore(':memory:');
    await store.touchLearner('a', NOW);
    expect(await store.getProgress('a')).toEqual({
      completedLessons: [],
      quizAnswers: [],
      passedExercises: [],
      lastLesson: null,
    });
  });

  it('keeps completion, quiz answers and the last lesson across a reopen', async () => {
    const dir = tempDir();
    const store = await openSqliteStore(dir);
    await store.setLessonCompleted('a', 'hosting/welcome', true, NOW);
    await store.setLessonCompleted('a', 'hosting/welcome', true, LATER);
    await store.saveQuizAnswer(
      'a',
      {
        lessonId: 'hosting/welcome',
        quizId: 'q',
        selected: [0],
        correct: false,
        answeredAt: NOW.toISOString(),
      },
      NOW,
    );
    await store.saveQuizAnswer(
      'a',
      {
        lessonId: 'hosting/welcome',
        quizId: 'q',
        selected: [1, 2],
        correct: true,
        answeredAt: LATER.toISOString(),
      },
      LATER,
    );
    await store.recordVisit('a', 'hosting/where-code-runs', LATER);
    await store.recordExercisePassed('a', 'lambda/first-handler', NOW);
    await store.recordExercisePassed('a', 'lambda/first-handler', LATER);
    await store.saveLab('a', 'lambda/first-handler', { files: '[1]', settings: '{"a":1}' }, NOW);
    await store.saveLab('a', 'lambda/first-handler', { files: '[2]', settings: '{"a":2}' }, LATER);
    await store.close();

    const reopened = await openSqliteStore(dir);
    expect(await reopened.getProgress('a')).toEqual({
      completedLessons: [{ lessonId: 'hosting/welcome', completedAt: NOW.toISOString() }],
      quizAnswers: [
        {
          lessonId: 'hosting/welcome',
          quizId: 'q',
          selected: [1, 2],
          correct: true,
          answeredAt: LATER.toISOString(),
        },
      ],
      passedExercises: [{ labId: 'lambda/first-handler', passedAt: NOW.toISOString() }],
      lastLesson: { lessonId: 'hosting/where-code-runs', visitedAt: LATER.toISOString() },
    });
    expect(await reopened.getLabSave('a', 'lambda/first-handler')).toEqual({
      files: '[2]',
      settings: '{"a":2}',
      savedAt: LATER.toISOString(),
    });
    expect(await reopened.getLabSave('b', 'lambda/first-handler')).toBeUndefined();
    await reopened.deleteLabSave('a', 'lambda/first-handler');
    expect(await reopened.getLabSave('a', 'lambda/first-handler')).toBeUndefined();
    await reopened.close();
  });

  it('un-completes a lesson and keeps learners apart', async () => {
    const store = await openSqliteStore(':memory:');
    await store.setLessonCompleted('a', 'm/l', true, NOW);
    await store.setLessonCompleted('b', 'm/l', true, NOW);
    await store.setLessonCompleted('a', 'm/l', false, LATER);
    expect((await store.getProgress('a')).completedLessons).toEqual([]);
    expect((await store.getProgress('b')).completedLessons).toHaveLength(1);
  });
});

describe('ProgressStore.mergeProgress', () => {
  const T1 = '2026-11-30T09:00:00.000Z';
  const T2 = '2026-11-30T10:00:00.000Z';
  const T3 = '2026-11-30T11:00:00.000Z';
  const nothing = {
    completedLessons: [],
    passedExercises: [],
    quizAnswers: [],
    labSaves: [],
    lastLesson: null,
  };
  const answer = (answeredAt: string, selected: number[]) => ({
    lessonId: 'm/l',
    quizId: 'q',
    selected,
    correct: selected.length === 1,
    answeredAt,
  });
  const save = (labId: string, savedAt: string, code: string) => ({
    labId,
    files: JSON.stringify([{ path: 'index.mjs', content: code }]),
    settings: '{}',
    savedAt,
  });

  /** A learner who has worked in this browser: one of each kind, at T2. */
  async function storeWithProgress() {
    const store = await openSqliteStore(':memory:');
    await store.setLessonCompleted('a', 'm/l', true, new Date(T2));
    await store.recordExercisePassed('a', 'm/lab', new Date(T2));
    await store.saveQuizAnswer('a', answer(T2, [0]), new Date(T2));
    await store.saveLab('a', 'm/lab', { files: '"here"', settings: '{}' }, new Date(T2));
    await store.recordVisit('a', 'm/l', new Date(T2));
    return store;
  }

  it('keeps the earliest completion and pass, and the latest answer, save and visit', async () => {
    const store = await storeWithProgress();
    const result = await store.mergeProgress(
      'a',
      {
        completedLessons: [
          { lessonId: 'm/l', completedAt: T1 },
          { lessonId: 'm/new', completedAt: T3 },
        ],
        passedExercises: [{ labId: 'm/lab', passedAt: T3 }],
        quizAnswers: [answer(T3, [1, 2])],
        labSaves: [save('m/lab', T3, 'newer'), save('m/other', T1, 'other')],
        lastLesson: { lessonId: 'm/new', visitedAt: T1 },
      },
      new Date(T3),
    );

    expect(result).toEqual({
      written: { completedLessons: 2, passedExercises: 0, quizAnswers: 1, labSaves: 2 },
      kept: { completedLessons: 0, passedExercises: 1, quizAnswers: 0, labSaves: 0 },
    });
    expect(await store.getProgress('a')).toEqual({
      completedLessons: [
        { lessonId: 'm/l', completedAt: T1 },
        { lessonId: 'm/new', completedAt: T3 },
      ],
      passedExercises: [{ labId: 'm/lab', passedAt: T2 }],
      quizAnswers: [answer(T3, [1, 2])],
      // The visit in the file is older than this browser's: the last lesson stays.
      lastLesson: { lessonId: 'm/l', visitedAt: T2 },
    });
    expect(await store.listLabSaves('a')).toEqual([
      save('m/lab', T3, 'newer'),
      save('m/other', T1, 'other'),
    ]);
  });

  it('keeps what is stored on a tie or when it is newer, and picks among repeats by the same rule', async () => {
    const store = await storeWithProgress();
    const result = await store.mergeProgress(
      'a',
      {
        ...nothing,
        completedLessons: [{ lessonId: 'm/l', completedAt: T2 }],
        quizAnswers: [answer(T1, [1]), answer(T2, [2])],
        labSaves: [save('m/lab', T1, 'old'), save('m/new', T1, 'first'), save('m/new', T3, 'last')],
        lastLesson: { lessonId: 'm/new', visitedAt: T3 },
      },
      new Date(T3),
    );

    expect(result).toEqual({
      written: { completedLessons: 0, passedExercises: 0, quizAnswers: 0, labSaves: 1 },
      kept: { completedLessons: 1, passedExercises: 0, quizAnswers: 1, labSaves: 1 },
    });
    expect((await store.getProgress('a')).quizAnswers).toEqual([answer(T2, [0])]);
    expect(await store.getLabSave('a', 'm/lab')).toMatchObject({ files: '"here"', savedAt: T2 });
    expect(await store.getLabSave('a', 'm/new')).toMatchObject({ savedAt: T3 });
    expect(JSON.parse((await store.getLabSave('a', 'm/new'))!.files)).toEqual([
      { path: 'index.mjs', content: 'last' },
    ]);
    expect((await store.getProgress('a')).lastLesson).toEqual({ lessonId: 'm/new', visitedAt: T3 });
  });

  it('writes all of a merge or none of it: a row the database refuses leaves the progress as it was', async () => {
    const db = openSqliteDatabase(':memory:');
    const store = new ProgressStore(db);
    await store.migrate();
    await store.setLessonCompleted('a', 'm/kept', true, new Date(T2));
    await sql`CREATE TRIGGER refuse_lab BEFORE INSERT ON lab_saves WHEN NEW.lab_id = 'm/refused'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(db);
    const before = await store.getProgress('a');

    await expect(
      store.mergeProgress(
        'a',
        {
          completedLessons: [
            { lessonId: 'm/kept', completedAt: T1 },
            { lessonId: 'm/new', completedAt: T1 },
          ],
          passedExercises: [{ labId: 'm/lab', passedAt: T1 }],
          quizAnswers: [answer(T1, [0])],
          // Lab saves are written last: everything before them must be rolled back.
          labSaves: [save('m/fine', T1, 'ok'), save('m/refused', T1, 'no')],
          lastLesson: { lessonId: 'm/new', visitedAt: T3 },
        },
        new Date(T3),
      ),
    ).rejects.toThrow(/refused/);

    expect(await store.getProgress('a')).toEqual(before);
    expect(await store.listLabSaves('a')).toEqual([]);
  });

  it('merges thousands of entries, more than one statement may bind', async () => {
    const store = await openSqliteStore(':memory:');
    const quizAnswers = Array.from({ length: 5000 }, (_, i) => ({
      ...answer(T1, [0]),
      quizId: `q${i}`,
    }));
    const completedLessons = Array.from({ length: 1000 }, (_, i) => ({
      lessonId: `m/l${i}`,
      completedAt: T1,
    }));
    const result = await store.mergeProgress(
      'a',
      { ...nothing, quizAnswers, completedLessons },
      new Date(T3),
    );
    expect(result.written).toMatchObject({ quizAnswers: 5000, completedLessons: 1000 });
    const progress = await store.getProgress('a');
    expect(progress.quizAnswers).toHaveLength(5000);
    expect(progress.completedLessons).toHaveLength(1000);
  });
});

describe('ProgressStore quiz reveals', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute)).toISOString();
  const wrong = (answeredAt: string) => ({
    lessonId: 'hosting/welcome',
    quizId: 'q',
    selected: [0],
    correct: false,
    answeredAt,
  });

  it('remembers a reveal for the answer it was made after, and not for a newer one', async () => {
    const store = await openSqliteStore(':memory:');
    expect(await store.getQuizAnswer('a', 'hosting/welcome', 'q')).toBeUndefined();
    expect(await store.revealQuizAnswer('a', 'hosting/welcome', 'q', NOW)).toBe(false);

    await store.saveQuizAnswer('a', wrong(at(1)), NOW);
    expect(await store.getQuizAnswer('a', 'hosting/welcome', 'q')).toEqual({
      ...wrong(at(1)),
      revealed: false,
    });
    expect(await store.revealQuizAnswer('a', 'hosting/welcome', 'q', NOW)).toBe(true);
    expect(await store.getQuizAnswer('a', 'hosting/welcome', 'q')).toMatchObject({
      revealed: true,
    });

    await store.saveQuizAnswer('a', wrong(at(2)), LATER);
    expect(await store.getQuizAnswer('a', 'hosting/welcome', 'q')).toMatchObject({
      answeredAt: at(2),
      revealed: false,
    });
    await store.saveQuizAnswer('a', wrong(at(3)), LATER, { revealed: true });
    expect(await store.getQuizAnswer('a', 'hosting/welcome', 'q')).toMatchObject({
      answeredAt: at(3),
      revealed: true,
    });
    // Progress, and so its export, carries the answer alone.
    expect((await store.getProgress('a')).quizAnswers).toEqual([wrong(at(3))]);
  });
});
