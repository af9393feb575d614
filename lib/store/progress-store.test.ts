import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { openSqliteStore } from './sqlite';

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

  it('replaces progress in one transaction: a failing import leaves the old progress intact', async () => {
    const store = await openSqliteStore(':memory:');
    await store.setLessonCompleted('a', 'm/kept', true, NOW);
    const duplicate = { lessonId: 'm/x', completedAt: NOW.toISOString() };
    await expect(
      store.replaceProgress(
        'a',
        {
          completedLessons: [duplicate, duplicate],
          quizAnswers: [],
          passedExercises: [],
          lastLesson: null,
        },
        LATER,
      ),
    ).rejects.toThrow();
    expect((await store.getProgress('a')).completedLessons.map((c) => c.lessonId)).toEqual([
      'm/kept',
    ]);

    await store.replaceProgress(
      'a',
      {
        completedLessons: [duplicate],
        quizAnswers: [],
        passedExercises: [],
        lastLesson: { lessonId: 'm/x', visitedAt: NOW.toISOString() },
      },
      LATER,
    );
    expect(await store.getProgress('a')).toMatchObject({
      completedLessons: [duplicate],
      lastLesson: { lessonId: 'm/x' },
    });
  });
});
