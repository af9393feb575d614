import type { Lesson, QuizDefinition } from '../content';
import { labSaveRequestSchema } from '../labs/contract';
import type { LearnerProgress, ProgressStore } from '../store';
import {
  PROGRESS_EXPORT_FORMAT,
  PROGRESS_EXPORT_VERSION,
  PROGRESS_FILE_LIMITS,
  progressExportSchema,
  type ExportedLabSave,
  type ImportCounts,
  type ImportSummary,
  type ProgressExport,
  type ProgressFile,
  type QuizAnswerRequest,
  type QuizAnswerResult,
  type QuizQuery,
} from './contract';

export type { ImportCounts, ImportSummary } from './contract';

/** A request that names something the course does not have. */
export class NotInCourseError extends Error {
  override name = 'NotInCourseError';
}

/** A request that is well-formed but cannot be accepted as it is. */
export class InvalidProgressError extends Error {
  override name = 'InvalidProgressError';
}

/**
 * What progress is checked against: the course's lessons, and its labs (an
 * exercise is a lab with one; a save must have the lab's files). lib/course's
 * Course is one.
 */
export interface ProgressCourse {
  lessons: readonly Lesson[];
  labs: ReadonlyMap<string, { exercise?: unknown; files: readonly { path: string }[] }>;
}

/**
 * What learners can do with their progress, checked against the course: only
 * real lessons can be completed and only real quizzes answered, graded here
 * rather than trusted from the browser.
 */
export class ProgressService {
  constructor(
    private readonly store: ProgressStore,
    private readonly course: ProgressCourse,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(learnerId: string): Promise<LearnerProgress> {
    await this.store.touchLearner(learnerId, this.clock());
    return this.withoutRemovedLessons(await this.store.getProgress(learnerId));
  }

  async setCompleted(
    learnerId: string,
    lessonId: string,
    completed: boolean,
  ): Promise<LearnerProgress> {
    this.requireLesson(lessonId);
    await this.store.setLessonCompleted(learnerId, lessonId, completed, this.clock());
    return this.get(learnerId);
  }

  async recordVisit(learnerId: string, lessonId: string): Promise<void> {
    this.requireLesson(lessonId);
    await this.store.recordVisit(learnerId, lessonId, this.clock());
  }

  /**
   * Grades an answer on the server and stores it as the learner's latest. A
   * first wrong answer keeps the correct choices hidden and gets only how many
   * there are, so the learner can try again; a right answer, or a second wrong
   * answer in a row (the retry used up), reveals them, and the reveal is
   * stored with the answer so the quiz shows the same after a reload.
   */
  async answerQuiz(learnerId: string, request: QuizAnswerRequest): Promise<QuizAnswerResult> {
    const { lesson, quiz } = this.requireQuiz(request);
    const { selected, correct } = gradeAnswer(quiz, request.selected);
    const outOfRange = selected.find((index) => index >= quiz.choiceCount);
    if (outOfRange !== undefined) {
      throw new InvalidProgressError(
        `Choice ${outOfRange} does not exist: quiz "${quiz.id}" has choices 0 to ${quiz.choiceCount - 1}.`,
      );
    }
    if (!quiz.multiple && selected.length > 1) {
      throw new InvalidProgressError(
        `Quiz "${quiz.id}" takes a single answer; ${selected.length} were selected.`,
      );
    }
    const previous = await this.store.getQuizAnswer(learnerId, lesson.id, quiz.id);
    const revealed = correct || previous?.correct === false;
    const now = this.clock();
    await this.store.saveQuizAnswer(
      learnerId,
      { lessonId: lesson.id, quizId: quiz.id, selected, correct, answeredAt: now.toISOString() },
      now,
      { revealed },
    );
    return quizResult(quiz, correct, revealed);
  }

  /** The learner's latest answer to a quiz as the quiz shows it when they return; null before their first. */
  async getQuizAnswer(learnerId: string, query: QuizQuery): Promise<QuizAnswerResult | null> {
    const { lesson, quiz } = this.requireQuiz(query);
    const stored = await this.store.getQuizAnswer(learnerId, lesson.id, quiz.id);
    return stored ? quizResult(quiz, stored.correct, stored.correct || stored.revealed) : null;
  }

  /**
   * Shows the correct choices after a wrong answer, when the learner asks
   * rather than retries, and remembers that they were shown. Only a learner who
   * has answered may ask: the answer is for checking against, not for skipping.
   */
  async revealQuizAnswer(learnerId: string, query: QuizQuery): Promise<QuizAnswerResult> {
    const { lesson, quiz } = this.requireQuiz(query);
    const stored = await this.store.getQuizAnswer(learnerId, lesson.id, quiz.id);
    if (!stored) {
      throw new InvalidProgressError(
        `Answer quiz "${quiz.id}" at least once before asking to see its answer.`,
      );
    }
    if (!stored.correct && !stored.revealed)
      await this.store.revealQuizAnswer(learnerId, lesson.id, quiz.id, this.clock());
    return quizResult(quiz, stored.correct, true);
  }

  private requireQuiz({ lessonId, quizId }: QuizQuery): { lesson: Lesson; quiz: QuizDefinition } {
    const lesson = this.requireLesson(lessonId);
    const quiz = lesson.quizzes.find((q) => q.id === quizId);
    if (!quiz) throw new NotInCourseError(`Lesson "${lesson.id}" has no quiz "${quizId}".`);
    return { lesson, quiz };
  }

  /** Everything the learner has, as a progress file: their progress and every lab they saved. */
  async export(learnerId: string): Promise<ProgressExport> {
    return {
      format: PROGRESS_EXPORT_FORMAT,
      version: PROGRESS_EXPORT_VERSION,
      exportedAt: this.clock().toISOString(),
      progress: { ...(await this.get(learnerId)), labSaves: await this.labSaves(learnerId) },
    };
  }

  /**
   * The export as the file the learner downloads. Refuses, rather than hand
   * over a file no browser could import, when it is over the file limits.
   */
  async exportFile(learnerId: string): Promise<{ name: string; text: string }> {
    const file = await this.export(learnerId);
    const text = `${JSON.stringify(file, null, 2)}\n`;
    const bytes = new TextEncoder().encode(text).byteLength;
    if (bytes > PROGRESS_FILE_LIMITS.bytes) {
      throw new InvalidProgressError(
        `Your progress comes to ${megabytes(bytes)} MB, more than the ${megabytes(PROGRESS_FILE_LIMITS.bytes)} MB a progress file may hold. Reset the labs you no longer need to their starter code, then download it again.`,
      );
    }
    // The file this course reads back, checked as an import checks it: failing here means the
    // course outgrew the lists' limits, or the progress gained a field the file does not have.
    const checked = progressExportSchema.safeParse(file);
    if (!checked.success)
      throw new Error('The progress export does not fit its own schema.', { cause: checked.error });
    return { name: `course-progress-${file.exportedAt.slice(0, 10)}.json`, text };
  }

  /**
   * Merges a progress file into the learner's progress, in one transaction
   * (ProgressStore.mergeProgress): nothing here is lost, and where both have
   * the same lesson, exercise, quiz or lab the more recent work is kept.
   * Entries for lessons, quizzes or labs the course no longer has, or whose
   * quiz or lab has changed since, are left out and counted; answers are
   * re-graded against the current quizzes.
   */
  async import(learnerId: string, file: ProgressFile): Promise<ImportSummary> {
    const now = this.clock();
    // Times in the UTC form the store compares as text (the schema lets through only times
    // Date.parse reads); a time after now is taken as now, so a hand-edited date cannot win
    // every merge to come.
    const time = (iso: string) => new Date(Math.min(Date.parse(iso), now.getTime())).toISOString();
    const notInCourse = noCounts();
    const changed = noCounts();
    const { progress } = file;

    const completedLessons = progress.completedLessons.flatMap((c) => {
      if (!this.findLesson(c.lessonId)) return leftOut(notInCourse, 'completedLessons');
      return [{ lessonId: c.lessonId, completedAt: time(c.completedAt) }];
    });
    const passedExercises = progress.passedExercises.flatMap((p) => {
      if (!this.course.labs.get(p.labId)?.exercise) return leftOut(notInCourse, 'passedExercises');
      return [{ labId: p.labId, passedAt: time(p.passedAt) }];
    });
    const quizAnswers = progress.quizAnswers.flatMap((answer) => {
      const quiz = this.findLesson(answer.lessonId)?.quizzes.find((q) => q.id === answer.quizId);
      if (!quiz) return leftOut(notInCourse, 'quizAnswers');
      const { selected, correct } = gradeAnswer(quiz, answer.selected);
      if (selected.some((i) => i >= quiz.choiceCount) || (!quiz.multiple && selected.length > 1))
        return leftOut(changed, 'quizAnswers');
      return [{ ...answer, selected, correct, answeredAt: time(answer.answeredAt) }];
    });
    // A version-1 file has no lab saves.
    const labSaves = ('labSaves' in progress ? progress.labSaves : []).flatMap((save) => {
      const lab = this.course.labs.get(save.labId);
      if (!lab) return leftOut(notInCourse, 'labSaves');
      // The lab service would not show a save whose files are not the lab's (nor accept one).
      if (!sameFileSet(save.files, lab.files)) return leftOut(changed, 'labSaves');
      return [
        {
          labId: save.labId,
          files: JSON.stringify(save.files),
          settings: JSON.stringify(save.settings),
          savedAt: time(save.savedAt),
        },
      ];
    });
    const visit = progress.lastLesson;
    const lastLesson =
      visit && this.findLesson(visit.lessonId)
        ? { lessonId: visit.lessonId, visitedAt: time(visit.visitedAt) }
        : null;

    const { written, kept } = await this.store.mergeProgress(
      learnerId,
      { completedLessons, passedExercises, quizAnswers, labSaves, lastLesson },
      now,
    );
    return { imported: written, alreadyHere: kept, notInCourse, changed };
  }

  /** Marks an exercise done: called when every check passed on the server, never on the browser's word. */
  async recordExercisePassed(learnerId: string, labId: string): Promise<void> {
    if (!this.course.labs.get(labId)?.exercise)
      throw new NotInCourseError(`The course has no exercise "${labId}".`);
    await this.store.recordExercisePassed(learnerId, labId, this.clock());
  }

  private findLesson(lessonId: string): Lesson | undefined {
    return this.course.lessons.find((lesson) => lesson.id === lessonId);
  }

  private requireLesson(lessonId: string): Lesson {
    const lesson = this.findLesson(lessonId);
    if (!lesson) throw new NotInCourseError(`The course has no lesson "${lessonId}".`);
    return lesson;
  }

  /** The learner's lab saves that the course's labs would show: the lab is still there, with the same files. */
  private async labSaves(learnerId: string): Promise<ExportedLabSave[]> {
    return (await this.store.listLabSaves(learnerId)).flatMap((stored) => {
      const lab = this.course.labs.get(stored.labId);
      const parsed = labSaveRequestSchema.safeParse(parseJson(stored.files, stored.settings));
      if (!lab || !parsed.success || !sameFileSet(parsed.data.files, lab.files)) return [];
      return [{ labId: stored.labId, ...parsed.data, savedAt: stored.savedAt }];
    });
  }

  /** A lesson removed from the course since the learner finished it is not shown as progress. */
  private withoutRemovedLessons(progress: LearnerProgress): LearnerProgress {
    const known = (lessonId: string) => this.findLesson(lessonId) !== undefined;
    return {
      completedLessons: progress.completedLessons.filter((c) => known(c.lessonId)),
      quizAnswers: progress.quizAnswers.filter((a) => known(a.lessonId)),
      passedExercises: progress.passedExercises.filter(
        (p) => this.course.labs.get(p.labId)?.exercise !== undefined,
      ),
      lastLesson:
        progress.lastLesson && known(progress.lastLesson.lessonId) ? progress.lastLesson : null,
    };
  }
}

/** Normalises a selection (sorted, no repeats) and says whether it is exactly the correct set. */
function gradeAnswer(
  quiz: QuizDefinition,
  chosen: number[],
): { selected: number[]; correct: boolean } {
  const selected = [...new Set(chosen)].sort((a, b) => a - b);
  const correct =
    selected.length === quiz.correct.length &&
    selected.every((index, i) => index === quiz.correct[i]);
  return { selected, correct };
}

/** What the browser may know of an answer: the correct choices only once they are revealed. */
function quizResult(quiz: QuizDefinition, correct: boolean, revealed: boolean): QuizAnswerResult {
  if (correct) return { correct: true, correctChoices: quiz.correct };
  return {
    correct: false,
    correctChoices: revealed ? quiz.correct : null,
    correctCount: quiz.correct.length,
  };
}

function noCounts(): ImportCounts {
  return { completedLessons: 0, passedExercises: 0, quizAnswers: 0, labSaves: 0 };
}

/** Counts an entry left out, and leaves it out (for flatMap). */
function leftOut(counts: ImportCounts, kind: keyof ImportCounts): [] {
  counts[kind] += 1;
  return [];
}

/** Whether a save has exactly the lab's files, as LabService requires of every save. */
function sameFileSet(a: readonly { path: string }[], b: readonly { path: string }[]): boolean {
  const paths = new Set(a.map((f) => f.path));
  return paths.size === a.length && a.length === b.length && b.every((f) => paths.has(f.path));
}

/** A stored save's JSON; a corrupt row reads as nothing, and is left out of the export. */
function parseJson(files: string, settings: string): unknown {
  try {
    return { files: JSON.parse(files) as unknown, settings: JSON.parse(settings) as unknown };
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
