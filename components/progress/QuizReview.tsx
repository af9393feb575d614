'use client';

import Link from 'next/link';
import { useId } from 'react';
import { useProgress } from './ProgressProvider';

/** A quiz of the course, as the progress page lists it. */
export interface ReviewQuiz {
  lessonId: string;
  quizId: string;
  question: string;
  lessonTitle: string;
  lessonHref: string;
  /** The quiz itself: its lesson's address with the quiz's anchor. */
  href: string;
}

/**
 * The learner's quizzes: how many they have answered and got right, and the
 * ones whose last answer was wrong, each linked to the quiz in its lesson, so
 * they can retake them as the welcome lesson advises. Counts only quizzes the
 * course still has, in course order.
 */
export function QuizReview({ quizzes }: { quizzes: ReviewQuiz[] }) {
  const { status, progress } = useProgress();
  const headingId = useId();
  const missedHeadingId = useId();
  const key = (lessonId: string, quizId: string) => `${lessonId}#${quizId}`;
  const answers = new Map(progress?.quizAnswers.map((a) => [key(a.lessonId, a.quizId), a]));
  const answered = quizzes.filter((q) => answers.has(key(q.lessonId, q.quizId)));
  const missed = answered.filter((q) => !answers.get(key(q.lessonId, q.quizId))!.correct);
  const correct = answered.length - missed.length;
  const noun = quizzes.length === 1 ? 'quiz' : 'quizzes';

  return (
    <section aria-labelledby={headingId} className="mt-8">
      <h2 id={headingId} className="text-lg font-semibold">
        Quizzes
      </h2>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300" aria-live="polite">
        {status === 'loading'
          ? 'Loading your quiz answers…'
          : status === 'error'
            ? 'Your quiz answers could not be loaded.'
            : `${answered.length} of ${quizzes.length} ${noun} answered, ${correct} correct.`}
      </p>
      {status === 'ready' &&
        (missed.length > 0 ? (
          <>
            <h3 id={missedHeadingId} className="mt-4 font-semibold">
              Quizzes to retake
            </h3>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
              Your last answer to each of these was wrong. Each link opens the quiz in its lesson.
            </p>
            <ul aria-labelledby={missedHeadingId} className="mt-2 space-y-3">
              {missed.map((quiz) => (
                <li key={quiz.href} data-missed-quiz={`${quiz.lessonId}#${quiz.quizId}`}>
                  <Link
                    href={quiz.href}
                    className="font-medium text-brand-700 underline underline-offset-4 hover:no-underline dark:text-brand-300"
                  >
                    {quiz.question}
                  </Link>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    Lesson:{' '}
                    <Link
                      href={quiz.lessonHref}
                      className="underline underline-offset-4 hover:no-underline"
                    >
                      {quiz.lessonTitle}
                    </Link>
                  </p>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            {answered.length > 0
              ? 'Nothing to retake: your last answer to every quiz you tried was right.'
              : 'Quizzes you miss will be listed here, so you can come back and retake them.'}
          </p>
        ))}
    </section>
  );
}
