import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCourse, type Course } from '../course';
import { checkSchema } from '../labs/checks';
import type { LabDefinition } from '../labs/lab-loader';
import { openSqliteStore } from '../store';
import { progressExportSchema } from './contract';
import { InvalidProgressError, NotInCourseError, ProgressService } from './progress-service';

const fixture = path.join(import.meta.dirname, '../content/fixtures/valid');
let course: Course;
beforeAll(async () => {
  course = (
    await loadCourse({
      contentDir: path.join(fixture, 'content'),
      publicDir: path.join(fixture, 'public'),
      projectDir: fixture,
    })
  ).course;
});
const NOW = new Date('2026-11-30T10:00:00.000Z');
const service = async () =>
  new ProgressService(await openSqliteStore(':memory:'), course, () => NOW);

describe('ProgressService', () => {
  it('completes only lessons the course has', async () => {
    const progress = await service();
    expect((await progress.setCompleted('a', 'basics/first', true)).completedLessons).toEqual([
      { lessonId: 'basics/first', completedAt: NOW.toISOString() },
    ]);
    await expect(progress.setCompleted('a', 'basics/nope', true)).rejects.toThrow(NotInCourseError);
  });

  it('grades quiz answers on the server', async () => {
    const progress = await service();
    expect(
      await progress.answerQuiz('a', {
        lessonId: 'basics/first',
        quizId: 'pick-many',
        selected: [2, 0],
      }),
    ).toEqual({ correct: true, correctChoices: [0, 2] });
    expect(
      await progress.answerQuiz('a', {
        lessonId: 'basics/first',
        quizId: 'pick-one',
        selected: [0],
      }),
    ).toMatchObject({ correct: false });
    expect(
      (await progress.get('a')).quizAnswers.map((a) => [a.quizId, a.selected, a.correct]),
    ).toEqual([
      ['pick-many', [0, 2], true],
      ['pick-one', [0], false],
    ]);
  });

  it('rejects answers to unknown quizzes, missing choices and several choices on a single-choice quiz', async () => {
    const progress = await service();
    await expect(
      progress.answerQuiz('a', { lessonId: 'basics/first', quizId: 'nope', selected: [0] }),
    ).rejects.toThrow(NotInCourseError);
    await expect(
      progress.answerQuiz('a', { lessonId: 'basics/first', quizId: 'pick-one', selected: [5] }),
    ).rejects.toThrow(/Choice 5 does not exist/);
    await expect(
      progress.answerQuiz('a', { lessonId: 'basics/first', quizId: 'pick-one', selected: [0, 1] }),
    ).rejects.toThrow(InvalidProgressError);
  });

  it('exports progress that imports into another workspace, skipping what the course lacks', async () => {
    const progress = await service();
    await progress.setCompleted('a', 'basics/first', true);
    await progress.recordVisit('a', 'basics/second');
    await progress.answerQuiz('a', { lessonId: 'basics/first', quizId: 'pick-one', selected: [1] });
    const file = progressExportSchema.parse(JSON.parse(JSON.stringify(await progress.export('a'))));
    file.progress.completedLessons.push({
      lessonId: 'gone/lesson',
      completedAt: NOW.toISOString(),
    });

    expect(await progress.import('b', file)).toEqual({
      completedLessons: 1,
      quizAnswers: 1,
      passedExercises: 0,
      skipped: 1,
    });
    const imported = await progress.get('b');
    expect(imported).toEqual(await progress.get('a'));
    expect(imported.lastLesson?.lessonId).toBe('basics/second');
  });

  it('records passed exercises once, exports them, and imports only those the course still has', async () => {
    const lab: LabDefinition = {
      id: 'basics/greet',
      moduleSlug: 'basics',
      slug: 'greet',
      title: 'Greet',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutS: 3,
      environment: {},
      files: [{ path: 'index.mjs', content: '' }],
      solution: [{ path: 'index.mjs', content: '' }],
      events: [{ name: 'Empty', event: {} }],
      exercise: {
        hints: ['Return something.'],
        checks: [checkSchema.parse({ title: 'succeeds', expect: [{ error: { absent: true } }] })],
      },
      file: 'content/basics/labs/greet/lab.yaml',
    };
    const withLab: Course = { ...course, labs: new Map([[lab.id, lab]]) };
    const progress = new ProgressService(await openSqliteStore(':memory:'), withLab, () => NOW);
    await progress.recordExercisePassed('a', 'basics/greet');
    await progress.recordExercisePassed('a', 'basics/greet');
    await expect(progress.recordExercisePassed('a', 'basics/nope')).rejects.toThrow(
      NotInCourseError,
    );
    expect((await progress.get('a')).passedExercises).toEqual([
      { labId: 'basics/greet', passedAt: NOW.toISOString() },
    ]);

    const file = progressExportSchema.parse(JSON.parse(JSON.stringify(await progress.export('a'))));
    file.progress.passedExercises.push({ labId: 'gone/lab', passedAt: NOW.toISOString() });
    expect(await progress.import('b', file)).toEqual({
      completedLessons: 0,
      quizAnswers: 0,
      passedExercises: 1,
      skipped: 1,
    });
    expect((await progress.get('b')).passedExercises).toEqual([
      { labId: 'basics/greet', passedAt: NOW.toISOString() },
    ]);

    // An export from before code labs has no passedExercises at all, and still imports.
    const { passedExercises: _dropped, ...older } = file.progress;
    expect(
      progressExportSchema.parse({ ...file, progress: older }).progress.passedExercises,
    ).toEqual([]);
  });

  it('refuses files that are not progress exports', () => {
    const result = progressExportSchema.safeParse({
      format: 'something-else',
      version: 1,
      exportedAt: NOW.toISOString(),
      progress: {},
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/is this a course progress file/);
  });
});
