import type { Metadata } from 'next';
import Link from 'next/link';
import { CompletionMark } from '@/components/progress/CompletionMark';
import { CourseProgressSummary } from '@/components/progress/CourseProgressSummary';
import { ExerciseMarks } from '@/components/progress/ExerciseMarks';
import { ProgressTransfer } from '@/components/progress/ProgressTransfer';
import { QuizReview, type ReviewQuiz } from '@/components/progress/QuizReview';
import { ResumeLink } from '@/components/progress/ResumeLink';
import { quizAnchorId } from '@/lib/content';
import { getCourseForPages } from '@/lib/server/page-course';

export const metadata: Metadata = { title: 'Your progress' };

export default async function ProgressPage() {
  const { course } = await getCourseForPages();
  // Only what the list shows: the answer key stays on the server.
  const quizzes: ReviewQuiz[] = course.lessons.flatMap((lesson) =>
    lesson.quizzes.map((quiz) => ({
      lessonId: lesson.id,
      quizId: quiz.id,
      question: quiz.question,
      lessonTitle: lesson.title,
      lessonHref: lesson.href,
      href: `${lesson.href}#${quizAnchorId(quiz.id)}`,
    })),
  );
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="mx-auto max-w-3xl px-4 py-10 focus:outline-none"
    >
      <h1 className="text-3xl font-bold tracking-tight">Your progress</h1>
      <div className="mt-6 flex flex-wrap items-center gap-6">
        <ResumeLink lessons={course.lessons.map(({ id, title, href }) => ({ id, title, href }))} />
        <CourseProgressSummary
          lessonIds={course.lessons.map((l) => l.id)}
          label="Course progress"
        />
      </div>
      <QuizReview quizzes={quizzes} />
      {course.modules.map((courseModule) => (
        <section
          key={courseModule.slug}
          aria-labelledby={`progress-${courseModule.slug}`}
          className="mt-8"
        >
          <h2 id={`progress-${courseModule.slug}`} className="text-lg font-semibold">
            {courseModule.title}
          </h2>
          <ul className="mt-2 space-y-1">
            {courseModule.lessons.map((lesson) => (
              <li key={lesson.id}>
                <div className="flex items-center gap-2">
                  <CompletionMark lessonId={lesson.id} />
                  <Link href={lesson.href} className="underline-offset-4 hover:underline">
                    {lesson.title}
                  </Link>
                </div>
                <ExerciseMarks
                  exercises={lesson.labIds.flatMap((id) => {
                    const lab = course.labs.get(id);
                    return lab?.exercise ? [{ id, title: lab.title }] : [];
                  })}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section className="mt-12 border-t border-slate-200 pt-8 dark:border-slate-800">
        <ProgressTransfer />
      </section>
    </main>
  );
}
