import type { Lesson, QuizDefinition } from '../content';
import type { LearnerProgress, ProgressStore } from '../store';
import {
  PROGRESS_EXPORT_FORMAT,
  PROGRESS_EXPORT_VERSION,
  type ProgressExport,
  type QuizAnswerRequest,
} from './contract';

/** A request that names something the course does not have. */
export class NotInCourseError extends Error {
  override name = 'NotInCourseError';
}

/** A request that is well-formed but cannot be accepted as it is. */
export class InvalidProgressError extends Error {
  override name = 'InvalidProgressError';
}

export interface ImportSummary {
  completedLessons: number;
  quizAnswers: number;
  passedExercises: number;
  /** Entries about lessons or quizzes this course no longer has, left out. */
  skipped: number;
}

/**
 * What progress is checked against: the course's lessons, and its labs (an
 * exercise is a lab with one). lib/course's Course is one.
 */
export interface ProgressCourse {
  lessons: readonly Lesson[];
  labs: ReadonlyMap<string, { exercise?: unknown }>;
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

  async answerQuiz(
    learnerId: string,
    request: QuizAnswerRequest,
  ): Promise<{ correct: boolean; correctChoices: number[] }> {
    const lesson = this.requireLesson(request.lessonId);
    const quiz = lesson.quizzes.find((q) => q.id === request.quizId);
    if (!quiz) throw new NotInCourseError(`Lesson "${lesson.id}" has no quiz "${request.quizId}".`);
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
    const now = this.clock();
    await this.store.saveQuizAnswer(
      learnerId,
      { lessonId: lesson.id, quizId: quiz.id, selected, correct, answeredAt: now.toISOString() },
      now,
    );
    return { correct, correctChoices: quiz.correct };
  }

  async export(learnerId: string): Promise<ProgressExport> {
    return {
      format: PROGRESS_EXPORT_FORMAT,
      version: PROGRESS_EXPORT_VERSION,
      exportedAt: this.clock().toISOString(),
      progress: await this.get(learnerId),
    };
  }

  /**
   * Replaces the learner's progress with an export's. Entries for lessons or
   * quizzes the course no longer has are skipped and counted; answers are
   * re-graded against the current quizzes.
   */
  async import(learnerId: string, file: ProgressExport): Promise<ImportSummary> {
    const { progress } = file;
    const completedLessons = dedupe(
      progress.completedLessons.filter((c) => this.findLesson(c.lessonId)),
      (c) => c.lessonId,
    );
    const quizAnswers = dedupe(
      progress.quizAnswers.flatMap((answer) => {
        const quiz = this.findLesson(answer.lessonId)?.quizzes.find((q) => q.id === answer.quizId);
        if (!quiz || answer.selected.some((i) => i >= quiz.choiceCount)) return [];
        return [{ ...answer, ...gradeAnswer(quiz, answer.selected) }];
      }),
      (a) => `${a.lessonId}#${a.quizId}`,
    );
    const passedExercises = dedupe(
      progress.passedExercises.filter((p) => this.course.labs.get(p.labId)?.exercise),
      (p) => p.labId,
    );
    const lastLesson =
      progress.lastLesson && this.findLesson(progress.lastLesson.lessonId)
        ? progress.lastLesson
        : null;
    await this.store.replaceProgress(
      learnerId,
      { completedLessons, quizAnswers, passedExercises, lastLesson },
      this.clock(),
    );
    const skipped =
      progress.completedLessons.length -
      completedLessons.length +
      (progress.quizAnswers.length - quizAnswers.length) +
      (progress.passedExercises.length - passedExercises.length);
    return {
      completedLessons: completedLessons.length,
      quizAnswers: quizAnswers.length,
      passedExercises: passedExercises.length,
      skipped,
    };
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

/** Keeps the last entry for each key, so a hand-edited file with repeats still imports. */
function dedupe<T>(items: T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}
