import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCourse, type Course } from '../course';
import { checkSchema } from '../labs/checks';
import type { LabDefinition } from '../labs/lab-loader';
import { openSqliteDatabase, openSqliteStore, ProgressStore } from '../store';
import {
  describeImport,
  parseProgressFile,
  PROGRESS_EXPORT_FORMAT,
  PROGRESS_FILE_LIMITS,
  PROGRESS_FILE_TOO_LARGE,
  progressExportSchema,
  type ImportSummary,
  type ProgressFile,
} from './contract';
import {
  InvalidProgressError,
  NotInCourseError,
  ProgressService,
  type ProgressCourse,
} from './progress-service';

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

    expect(await progress.import('b', file)).toMatchObject({
      imported: { completedLessons: 1, quizAnswers: 1, passedExercises: 0 },
      notInCourse: { completedLessons: 1 },
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
      sandboxNote: 'Timings come from the course server.',
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutS: 3,
      sweep: false,
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
    expect(await progress.import('b', file)).toMatchObject({
      imported: { completedLessons: 0, quizAnswers: 0, passedExercises: 1 },
      notInCourse: { passedExercises: 1 },
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
    const result = parseProgressFile(
      JSON.stringify({
        format: 'something-else',
        version: 1,
        exportedAt: NOW.toISOString(),
        progress: {},
      }),
    );
    expect(result).toEqual({
      success: false,
      message: 'This file is not a progress export from this course.',
    });
  });
});

describe('ProgressService quiz retries', () => {
  const pickMany = { lessonId: 'basics/first', quizId: 'pick-many' };
  const pickOne = { lessonId: 'basics/first', quizId: 'pick-one' };

  it('hides the correct choices after a first wrong answer and shows them after a second in a row', async () => {
    const progress = await service();
    const hidden = { correct: false, correctChoices: null, correctCount: 2 };
    const shown = { correct: false, correctChoices: [0, 2], correctCount: 2 };
    expect(await progress.answerQuiz('a', { ...pickMany, selected: [1] })).toEqual(hidden);
    expect(await progress.getQuizAnswer('a', pickMany)).toEqual(hidden);
    expect(await progress.answerQuiz('a', { ...pickMany, selected: [0] })).toEqual(shown);
    expect(await progress.getQuizAnswer('a', pickMany)).toEqual(shown);

    expect(await progress.answerQuiz('a', { ...pickMany, selected: [0, 2] })).toEqual({
      correct: true,
      correctChoices: [0, 2],
    });
    expect(await progress.getQuizAnswer('a', pickMany)).toEqual({
      correct: true,
      correctChoices: [0, 2],
    });
    // A wrong answer after a right one is a first miss again: the retry comes back.
    expect(await progress.answerQuiz('a', { ...pickMany, selected: [2] })).toEqual(hidden);
  });

  it('shows the correct choices on request after an answer, and remembers that it did', async () => {
    const progress = await service();
    await expect(progress.revealQuizAnswer('a', pickOne)).rejects.toThrow(
      /Answer quiz "pick-one" at least once/,
    );
    expect(await progress.getQuizAnswer('a', pickOne)).toBeNull();

    await progress.answerQuiz('a', { ...pickOne, selected: [0] });
    const shown = { correct: false, correctChoices: [1], correctCount: 1 };
    expect(await progress.revealQuizAnswer('a', pickOne)).toEqual(shown);
    expect(await progress.getQuizAnswer('a', pickOne)).toEqual(shown);
    expect(await progress.getQuizAnswer('b', pickOne)).toBeNull();

    // The stored answer keeps its shape: the reveal is not part of progress or its export.
    expect((await progress.get('a')).quizAnswers).toEqual([
      { ...pickOne, selected: [0], correct: false, answeredAt: NOW.toISOString() },
    ]);
  });

  it('refuses to grade or reveal quizzes the course does not have', async () => {
    const progress = await service();
    const missing = { lessonId: 'basics/first', quizId: 'nope' };
    await expect(progress.getQuizAnswer('a', missing)).rejects.toThrow(NotInCourseError);
    await expect(progress.revealQuizAnswer('a', missing)).rejects.toThrow(NotInCourseError);
    await expect(
      progress.revealQuizAnswer('a', { lessonId: 'basics/nope', quizId: 'pick-one' }),
    ).rejects.toThrow(NotInCourseError);
  });
});

// Times of one day, for the tests of progress files below.
const T8 = '2026-11-30T08:00:00.000Z';
const T9 = '2026-11-30T09:00:00.000Z';
const T9_30 = '2026-11-30T09:30:00.000Z';
const T10 = '2026-11-30T10:00:00.000Z';
const T11 = '2026-11-30T11:00:00.000Z';
const T12 = '2026-11-30T12:00:00.000Z';

describe('ProgressService: everything moves to another browser (progress file version 2)', () => {
  const GREET = 'basics/greet';
  const NOTES = 'basics/notes';
  /** The fixture's lessons, with an exercise of two files and a lab of one. */
  const labsCourse = (): ProgressCourse => ({
    lessons: course.lessons,
    labs: new Map<string, { exercise?: unknown; files: { path: string }[] }>([
      [GREET, { exercise: {}, files: [{ path: 'index.mjs' }, { path: 'util.mjs' }] }],
      [NOTES, { files: [{ path: 'lambda_function.py' }] }],
    ]),
  });
  const SETTINGS = {
    memoryMb: 256,
    timeoutS: 5,
    environment: { GREETING: 'hi' },
    eventText: '{"name":"Ada"}',
  };
  const greetFiles = (code: string) => [
    { path: 'index.mjs', content: code },
    { path: 'util.mjs', content: '// util\n' },
  ];
  const notesFiles = (code: string) => [{ path: 'lambda_function.py', content: code }];

  /** A clock the test sets, so each thing happens at its own time. */
  function settableClock(start = NOW.toISOString()) {
    let now = Date.parse(start);
    return { now: () => new Date(now), set: (iso: string) => void (now = Date.parse(iso)) };
  }

  async function browser(clock: () => Date = () => NOW) {
    const store = await openSqliteStore(':memory:');
    return { store, progress: new ProgressService(store, labsCourse(), clock) };
  }

  /** A lab save as LabService writes one. */
  function saveLab(
    store: ProgressStore,
    learnerId: string,
    labId: string,
    files: { path: string; content: string }[],
    at: string,
  ) {
    return store.saveLab(
      learnerId,
      labId,
      { files: JSON.stringify(files), settings: JSON.stringify(SETTINGS) },
      new Date(at),
    );
  }

  /** What the learner downloads, read back as the import route reads it. */
  async function download(progress: ProgressService, learnerId: string): Promise<ProgressFile> {
    const { name, text } = await progress.exportFile(learnerId);
    expect(name).toBe('course-progress-2026-11-30.json');
    return parsed(text);
  }

  function parsed(text: string): ProgressFile {
    const result = parseProgressFile(text);
    if (!result.success) throw new Error(result.message);
    return result.file;
  }

  /** A version-2 file holding only the given entries. */
  const fileWith = (progress: Record<string, unknown>) =>
    parsed(
      JSON.stringify({
        format: PROGRESS_EXPORT_FORMAT,
        version: 2,
        exportedAt: NOW.toISOString(),
        progress: {
          completedLessons: [],
          quizAnswers: [],
          passedExercises: [],
          lastLesson: null,
          labSaves: [],
          ...progress,
        },
      }),
    );

  it('carries completions, passed exercises, quiz answers, the last visit and every lab save', async () => {
    const here = await browser();
    await here.progress.setCompleted('a', 'basics/first', true);
    await here.progress.recordExercisePassed('a', GREET);
    await here.progress.answerQuiz('a', {
      lessonId: 'basics/first',
      quizId: 'pick-many',
      selected: [0, 2],
    });
    await here.progress.recordVisit('a', 'basics/second');
    await saveLab(here.store, 'a', GREET, greetFiles('export const handler = () => 1;\n'), T9);
    await saveLab(here.store, 'a', NOTES, notesFiles('print("mine")\n'), T9_30);

    const file = await download(here.progress, 'a');
    expect(file.version).toBe(2);
    const there = await browser();
    const summary = await there.progress.import('b', file);

    expect(describeImport(summary)).toBe(
      'Imported 1 completed lesson, 1 passed exercise, 1 quiz answer and 2 saved labs.',
    );
    expect(await there.progress.get('b')).toEqual(await here.progress.get('a'));
    expect((await there.progress.export('b')).progress).toEqual(
      (await here.progress.export('a')).progress,
    );
    // Stored as LabService stores a save, so the lab shows it: files, settings and when.
    expect(await there.store.getLabSave('b', GREET)).toEqual(
      await here.store.getLabSave('a', GREET),
    );
  });

  it('exports only the saves a lab would show: not for a dropped lab, other files or a corrupt row', async () => {
    const { store, progress } = await browser();
    await saveLab(store, 'a', GREET, greetFiles('kept'), T9);
    await saveLab(store, 'a', 'basics/dropped', notesFiles(''), T9);
    await saveLab(store, 'a', NOTES, [{ path: 'old_name.py', content: '' }], T9);
    expect((await progress.export('a')).progress.labSaves.map((s) => s.labId)).toEqual([GREET]);

    await store.saveLab('a', NOTES, { files: '{not json', settings: '{}' }, NOW);
    expect((await progress.export('a')).progress.labSaves.map((s) => s.labId)).toEqual([GREET]);
  });

  it('imports a version-1 file, from before lab saves, re-grading its answers', async () => {
    const file = parsed(
      JSON.stringify({
        format: PROGRESS_EXPORT_FORMAT,
        version: 1,
        exportedAt: '2026-11-29T08:10:00Z',
        // Files from before code labs have no passedExercises either.
        progress: {
          completedLessons: [{ lessonId: 'basics/first', completedAt: '2026-11-29T08:00:00Z' }],
          quizAnswers: [
            {
              lessonId: 'basics/first',
              quizId: 'pick-one',
              selected: [1],
              correct: false,
              answeredAt: '2026-11-29T08:05:00+01:00',
            },
          ],
          lastLesson: { lessonId: 'basics/second', visitedAt: '2026-11-29T08:06:00Z' },
        },
      }),
    );
    const { progress } = await browser();

    expect(describeImport(await progress.import('b', file))).toBe(
      'Imported 1 completed lesson and 1 quiz answer.',
    );
    // Times are stored in one UTC form, and the answer is graded by this course, not the file.
    expect(await progress.get('b')).toEqual({
      completedLessons: [{ lessonId: 'basics/first', completedAt: '2026-11-29T08:00:00.000Z' }],
      quizAnswers: [
        {
          lessonId: 'basics/first',
          quizId: 'pick-one',
          selected: [1],
          correct: true,
          answeredAt: '2026-11-29T07:05:00.000Z',
        },
      ],
      passedExercises: [],
      lastLesson: { lessonId: 'basics/second', visitedAt: '2026-11-29T08:06:00.000Z' },
    });
  });

  it('merges into what the other browser has: the later save and answer win, the first completion stays', async () => {
    const clockA = settableClock();
    const a = await browser(clockA.now);
    clockA.set(T10);
    await a.progress.setCompleted('a', 'basics/first', true);
    clockA.set(T11);
    await a.progress.answerQuiz('a', {
      lessonId: 'basics/first',
      quizId: 'pick-one',
      selected: [1],
    });
    await saveLab(a.store, 'a', GREET, greetFiles('from A, older'), T9);
    await saveLab(a.store, 'a', NOTES, notesFiles('from A, newer'), T11);

    const clockB = settableClock();
    const b = await browser(clockB.now);
    clockB.set(T8);
    await b.progress.setCompleted('b', 'basics/first', true);
    clockB.set(T9);
    await b.progress.answerQuiz('b', {
      lessonId: 'basics/first',
      quizId: 'pick-one',
      selected: [0],
    });
    await b.progress.answerQuiz('b', {
      lessonId: 'basics/first',
      quizId: 'pick-many',
      selected: [1],
    });
    await saveLab(b.store, 'b', GREET, greetFiles('from B, newer'), T10);
    await saveLab(b.store, 'b', NOTES, notesFiles('from B, older'), T10);

    clockB.set(T12);
    const summary = await b.progress.import('b', await download(a.progress, 'a'));
    expect(describeImport(summary)).toBe(
      'Imported 1 quiz answer and 1 saved lab. Already in this browser, and kept as they were: 1 completed lesson and 1 saved lab.',
    );
    const merged = await b.progress.get('b');
    expect(merged.completedLessons).toEqual([{ lessonId: 'basics/first', completedAt: T8 }]);
    expect(merged.quizAnswers.map((q) => [q.quizId, q.selected, q.correct, q.answeredAt])).toEqual([
      ['pick-many', [1], false, T9],
      ['pick-one', [1], true, T11],
    ]);
    const code = async (labId: string) =>
      (JSON.parse((await b.store.getLabSave('b', labId))!.files) as { content: string }[])[0]!
        .content;
    expect(await code(GREET)).toBe('from B, newer');
    expect(await code(NOTES)).toBe('from A, newer');
    expect((await b.store.getLabSave('b', NOTES))!.savedAt).toBe(T11);

    // Importing the same file again changes nothing.
    expect(describeImport(await b.progress.import('b', await download(a.progress, 'a')))).toBe(
      'Nothing new was imported. Already in this browser, and kept as they were: 1 completed lesson, 1 quiz answer and 2 saved labs.',
    );
  });

  it('leaves out what the course no longer has or what has changed since, and says which', async () => {
    const { progress } = await browser();
    const summary = await progress.import(
      'b',
      fileWith({
        completedLessons: [{ lessonId: 'gone/lesson', completedAt: T9 }],
        quizAnswers: [
          {
            lessonId: 'basics/first',
            quizId: 'gone',
            selected: [0],
            correct: true,
            answeredAt: T9,
          },
          {
            lessonId: 'basics/first',
            quizId: 'pick-one',
            selected: [5],
            correct: true,
            answeredAt: T9,
          },
          {
            lessonId: 'basics/first',
            quizId: 'pick-one',
            selected: [0, 1],
            correct: false,
            answeredAt: T9,
          },
        ],
        passedExercises: [
          { labId: NOTES, passedAt: T9 },
          { labId: 'gone/lab', passedAt: T9 },
        ],
        labSaves: [
          { labId: 'gone/lab', files: notesFiles(''), settings: SETTINGS, savedAt: T9 },
          {
            labId: GREET,
            files: [{ path: 'index.mjs', content: '' }],
            settings: SETTINGS,
            savedAt: T9,
          },
          { labId: NOTES, files: notesFiles('fits'), settings: SETTINGS, savedAt: T9 },
        ],
        lastLesson: { lessonId: 'gone/lesson', visitedAt: T9 },
      }),
    );

    expect(summary).toEqual({
      imported: { completedLessons: 0, passedExercises: 0, quizAnswers: 0, labSaves: 1 },
      alreadyHere: { completedLessons: 0, passedExercises: 0, quizAnswers: 0, labSaves: 0 },
      notInCourse: { completedLessons: 1, passedExercises: 2, quizAnswers: 1, labSaves: 1 },
      changed: { completedLessons: 0, passedExercises: 0, quizAnswers: 2, labSaves: 1 },
    });
    expect(describeImport(summary)).toBe(
      'Imported 1 saved lab. Left out because this course no longer has them: 1 completed lesson, 2 passed exercises, 1 quiz answer and 1 saved lab. Left out because their quiz or lab has changed since the file was made: 2 quiz answers and 1 saved lab.',
    );
    expect((await progress.get('b')).lastLesson).toBeNull();
  });

  it('takes a time in the future as now, so a hand-edited date cannot win every merge to come', async () => {
    const { store, progress } = await browser();
    await progress.import(
      'b',
      fileWith({
        labSaves: [
          {
            labId: NOTES,
            files: notesFiles('edited'),
            settings: SETTINGS,
            savedAt: '2999-01-01T00:00:00Z',
          },
        ],
      }),
    );
    expect((await store.getLabSave('b', NOTES))!.savedAt).toBe(NOW.toISOString());
  });

  it('writes nothing when any entry cannot be stored: one transaction', async () => {
    const db = openSqliteDatabase(':memory:');
    const store = new ProgressStore(db);
    await store.migrate();
    const progress = new ProgressService(store, labsCourse(), () => NOW);
    await progress.setCompleted('b', 'basics/second', true);
    await saveLab(store, 'b', GREET, greetFiles('before'), T8);
    const before = await progress.export('b');
    // The database refuses the last save, as a full disk would.
    await sql`CREATE TRIGGER refuse_notes BEFORE INSERT ON lab_saves WHEN NEW.lab_id = 'basics/notes'
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(db);

    await expect(
      progress.import(
        'b',
        fileWith({
          completedLessons: [{ lessonId: 'basics/first', completedAt: T9 }],
          quizAnswers: [
            {
              lessonId: 'basics/first',
              quizId: 'pick-one',
              selected: [1],
              correct: true,
              answeredAt: T9,
            },
          ],
          passedExercises: [{ labId: GREET, passedAt: T9 }],
          lastLesson: { lessonId: 'basics/first', visitedAt: T9 },
          labSaves: [
            { labId: GREET, files: greetFiles('imported'), settings: SETTINGS, savedAt: T9 },
            { labId: NOTES, files: notesFiles('refused'), settings: SETTINGS, savedAt: T9 },
          ],
        }),
      ),
    ).rejects.toThrow(/disk full/);
    expect(await progress.export('b')).toEqual(before);
  });

  // Twenty megabytes of lab code written and read back: allowed more time than the rest.
  it('refuses to export more than a progress file may hold, rather than a file no browser could import', async () => {
    const labs = new Map(
      Array.from({ length: 20 }, (_, i) => [
        `basics/lab-${i}`,
        { files: [{ path: 'a.mjs' }, { path: 'b.mjs' }] },
      ]),
    );
    const store = await openSqliteStore(':memory:');
    const progress = new ProgressService(store, { lessons: course.lessons, labs }, () => NOW);
    const code = 'x'.repeat(500 * 1024);
    for (const labId of labs.keys()) {
      await saveLab(
        store,
        'a',
        labId,
        [
          { path: 'a.mjs', content: code },
          { path: 'b.mjs', content: code },
        ],
        T9,
      );
    }
    const error: unknown = await progress.exportFile('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidProgressError);
    expect((error as Error).message).toMatch(
      /^Your progress comes to 19\.5 MB, more than the 16 MB a progress file may hold\./,
    );
  }, 30_000);
});

describe('progress files: limits, and what a learner reads when one is wrong', () => {
  const F = PROGRESS_EXPORT_FORMAT;
  const SETTINGS = { memoryMb: 128, timeoutS: 3, environment: {}, eventText: '{}' };
  const fileText = (progress: Record<string, unknown>) =>
    JSON.stringify({
      format: F,
      version: 2,
      exportedAt: T9,
      progress: {
        completedLessons: [],
        quizAnswers: [],
        passedExercises: [],
        lastLesson: null,
        labSaves: [],
        ...progress,
      },
    });
  const completion = (lessonId = 'basics/first') => ({ lessonId, completedAt: T9 });
  const answer = (patch: Record<string, unknown> = {}) => ({
    lessonId: 'basics/first',
    quizId: 'pick-one',
    selected: [1],
    correct: true,
    answeredAt: T9,
    ...patch,
  });
  const labSave = (patch: Record<string, unknown> = {}) => ({
    labId: 'basics/greet',
    files: [{ path: 'index.mjs', content: '' }],
    settings: SETTINGS,
    savedAt: T9,
    ...patch,
  });
  const many = <T>(n: number, item: T) => Array.from({ length: n }, () => item);
  const message = (text: string) => {
    const result = parseProgressFile(text);
    return result.success ? 'accepted' : result.message;
  };

  it('says when a file is not a progress export, or comes from a version this course cannot read', () => {
    const notJson = 'This file is not a progress export: it is not valid JSON.';
    const notOurs = 'This file is not a progress export from this course.';
    expect(message('{oops')).toBe(notJson);
    expect(message('')).toBe(notJson);
    expect(message('[1, 2]')).toBe(notOurs);
    expect(message('{"format":"other"}')).toBe(notOurs);
    expect(message(JSON.stringify({ format: F, version: 3 }))).toBe(
      'This file comes from a newer version of the course (version 3); this course reads versions 1 and 2.',
    );
    expect(message(JSON.stringify({ format: F, version: 'two' }))).toBe(
      'This progress file has a version this course does not know ("two"); this course reads versions 1 and 2.',
    );
    expect(message(JSON.stringify({ format: F }))).toBe(
      'This progress file does not say which version of the course made it; this course reads versions 1 and 2.',
    );
    expect(message(fileText({}))).toBe('accepted');
  });

  it('names the entry at fault and the problem in plain words', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          completedLessons: [completion(), { lessonId: 'basics/first', completedAt: 'yesterday' }],
        },
        'Completed lesson 2 ("basics/first"): the completion date must be a date and time such as "2026-11-30T10:00:00.000Z".',
      ],
      [
        { completedLessons: [completion('Basics First')] },
        'Completed lesson 1 ("Basics First"): the lesson must be written as "<module>/<name>", for example "hosting/welcome".',
      ],
      [
        { quizAnswers: [answer({ answeredAt: undefined })] },
        'Quiz answer 1 (quiz "pick-one" of "basics/first"): the date it was answered is missing.',
      ],
      [
        { quizAnswers: [answer({ selected: 'one' })] },
        'Quiz answer 1 (quiz "pick-one" of "basics/first"): the chosen answers must be a list, not text.',
      ],
      [
        { passedExercises: [{ labId: 'basics/greet', passedAt: T9, note: 'mine' }] },
        'Passed exercise 1 ("basics/greet"): it has a field this course does not know: "note".',
      ],
      [
        { labSaves: [labSave({ settings: { ...SETTINGS, memoryMb: 64 } })] },
        'Saved lab 1 ("basics/greet"): memory is at least 128 MB.',
      ],
      [
        { labSaves: [labSave({ settings: { ...SETTINGS, timeoutS: 2.5 } })] },
        'Saved lab 1 ("basics/greet"): the timeout must be a whole number, not 2.5.',
      ],
      [
        { labSaves: [labSave({ settings: { ...SETTINGS, environment: { '1BAD': 'x' } } })] },
        'Saved lab 1 ("basics/greet"), environment variable "1BAD": environment variable names are letters, digits and _, starting with a letter.',
      ],
      [
        {
          labSaves: [
            labSave({ settings: { ...SETTINGS, environment: { ['A'.repeat(129)]: 'x' } } }),
          ],
        },
        `Saved lab 1 ("basics/greet"), environment variable "${'A'.repeat(57)}...": its name must be at most 128 characters long.`,
      ],
      [
        {
          labSaves: [labSave({ files: [{ path: 'index.mjs', content: 'x'.repeat(600 * 1024) }] })],
        },
        'Saved lab 1 ("basics/greet"), file "index.mjs": a file may hold at most 512 KB.',
      ],
      [
        { lastLesson: { lessonId: 'basics/first' } },
        'The last lesson visited: the date of the visit is missing.',
      ],
      [{ labSaves: undefined }, 'The list of saved labs is missing.'],
    ];
    for (const [progress, expected] of cases) expect(message(fileText(progress))).toBe(expected);
    expect(message(fileText({}).replace('"format"', '"extra":1,"format"'))).toBe(
      'The file has a field this course does not know: "extra".',
    );
  });

  it('holds every list, and the file, to a limit', () => {
    const L = PROGRESS_FILE_LIMITS;
    expect(message(fileText({ completedLessons: many(L.completedLessons, completion()) }))).toBe(
      'accepted',
    );
    expect(
      message(fileText({ completedLessons: many(L.completedLessons + 1, completion()) })),
    ).toBe('The file lists 1,001 completed lessons; a progress file holds at most 1,000.');
    expect(message(fileText({ quizAnswers: many(L.quizAnswers + 1, answer()) }))).toBe(
      'The file lists 5,001 quiz answers; a progress file holds at most 5,000.',
    );
    expect(
      message(
        fileText({ passedExercises: many(L.passedExercises + 1, { labId: 'a/b', passedAt: T9 }) }),
      ),
    ).toBe('The file lists 1,001 passed exercises; a progress file holds at most 1,000.');
    expect(message(fileText({ labSaves: many(L.labSaves + 1, labSave()) }))).toBe(
      'The file lists 201 saved labs; a progress file holds at most 200.',
    );
    // Inside an entry, the labs' own limits and the quizzes'.
    expect(
      message(
        fileText({ labSaves: [labSave({ files: many(21, { path: 'a.mjs', content: '' }) })] }),
      ),
    ).toBe('Saved lab 1 ("basics/greet"): the list of files must have at most 20 entries.');
    expect(message(fileText({ quizAnswers: [answer({ selected: many(51, 0) })] }))).toBe(
      'Quiz answer 1 (quiz "pick-one" of "basics/first"): the chosen answers must have at most 50 entries.',
    );
    expect(PROGRESS_FILE_TOO_LARGE).toBe(
      'This file is larger than 16 MB, the most a progress file may hold.',
    );
  });

  it('answers a hostile file with a message, however it is nested or however many fields it has', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(message(`{"format":"${F}","version":${deep}}`)).toBe(
      'This progress file has a version this course does not know (a list); this course reads versions 1 and 2.',
    );
    expect(
      message(
        fileText({}).replace('"completedLessons":[]', `"completedLessons":[{"lessonId":${deep}}]`),
      ),
    ).toBe('Completed lesson 1: the lesson must be text, not a list.');
    const fields = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, i]));
    expect(message(fileText({ completedLessons: [{ ...completion(), ...fields }] }))).toBe(
      'Completed lesson 1 ("basics/first"): it has fields this course does not know: "f0", "f1", "f2" and 9,997 more.',
    );
  });
});

describe('describeImport', () => {
  const counts = (completedLessons = 0, passedExercises = 0, quizAnswers = 0, labSaves = 0) => ({
    completedLessons,
    passedExercises,
    quizAnswers,
    labSaves,
  });
  const summary = (patch: Partial<ImportSummary>): ImportSummary => ({
    imported: counts(),
    alreadyHere: counts(),
    notInCourse: counts(),
    changed: counts(),
    ...patch,
  });

  it('counts each kind with its plural and leaves out the zeros', () => {
    expect(describeImport(summary({ imported: counts(3, 1, 2, 4) }))).toBe(
      'Imported 3 completed lessons, 1 passed exercise, 2 quiz answers and 4 saved labs.',
    );
    expect(describeImport(summary({ imported: counts(1, 0, 0, 2) }))).toBe(
      'Imported 1 completed lesson and 2 saved labs.',
    );
    expect(describeImport(summary({ imported: counts(0, 2, 1, 1) }))).toBe(
      'Imported 2 passed exercises, 1 quiz answer and 1 saved lab.',
    );
  });

  it('says when nothing was imported, and why', () => {
    expect(describeImport(summary({}))).toBe('The file holds no progress to import.');
    expect(describeImport(summary({ alreadyHere: counts(2) }))).toBe(
      'Nothing new was imported. Already in this browser, and kept as they were: 2 completed lessons.',
    );
    expect(
      describeImport(summary({ notInCourse: counts(0, 0, 0, 1), changed: counts(0, 0, 1) })),
    ).toBe(
      'Nothing new was imported. Left out because this course no longer has them: 1 saved lab. Left out because their quiz or lab has changed since the file was made: 1 quiz answer.',
    );
  });
});
