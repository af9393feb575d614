import Link from 'next/link';
import { CompletionMark } from '@/components/progress/CompletionMark';
import { CourseProgressSummary } from '@/components/progress/CourseProgressSummary';
import { ResumeLink } from '@/components/progress/ResumeLink';
import { getCourseForPages } from '@/lib/server/page-course';
import { formatMinutes } from '@/components/layout/format';

export default async function HomePage() {
  const { course } = await getCourseForPages();
  const totalMinutes = course.lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="mx-auto max-w-5xl px-4 py-10 focus:outline-none"
    >
      <section
        aria-labelledby="course-title"
        className="flex flex-col gap-6 border-b border-slate-200 pb-10 dark:border-slate-800"
      >
        <h1 id="course-title" className="text-3xl font-bold tracking-tight sm:text-4xl">
          {course.title}
        </h1>
        <p className="max-w-3xl text-lg text-slate-700 dark:text-slate-300">{course.summary}</p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {course.modules.length} {course.modules.length === 1 ? 'module' : 'modules'} ·{' '}
          {course.lessons.length} lessons · about {formatMinutes(totalMinutes)}
        </p>
        <div className="flex flex-wrap items-center gap-6">
          <ResumeLink
            lessons={course.lessons.map(({ id, title, href }) => ({ id, title, href }))}
          />
          <CourseProgressSummary
            lessonIds={course.lessons.map((l) => l.id)}
            label="Course progress"
          />
        </div>
      </section>

      <ol className="mt-10 space-y-10">
        {course.modules.map((courseModule, moduleIndex) => (
          <li key={courseModule.slug}>
            <section aria-labelledby={`module-${courseModule.slug}`}>
              <p className="text-sm font-semibold text-brand-700 dark:text-brand-300">
                Module {moduleIndex + 1}
              </p>
              <h2 id={`module-${courseModule.slug}`} className="text-2xl font-bold">
                <Link href={courseModule.href} className="underline-offset-4 hover:underline">
                  {courseModule.title}
                </Link>
              </h2>
              <p className="mt-1 text-slate-700 dark:text-slate-300">{courseModule.summary}</p>
              <ol className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
                {courseModule.lessons.map((lesson, lessonIndex) => (
                  <li key={lesson.id} className="flex items-start gap-3 px-4 py-3">
                    <span className="mt-1">
                      <CompletionMark lessonId={lesson.id} />
                    </span>
                    <div className="min-w-0 flex-1">
                      <Link
                        href={lesson.href}
                        className="font-medium underline-offset-4 hover:underline"
                      >
                        {moduleIndex + 1}.{lessonIndex + 1} {lesson.title}
                      </Link>
                      <p className="text-sm text-slate-600 dark:text-slate-400">{lesson.summary}</p>
                    </div>
                    <span className="shrink-0 text-sm text-slate-600 dark:text-slate-400">
                      {formatMinutes(lesson.minutes)}
                    </span>
                  </li>
                ))}
              </ol>
            </section>
          </li>
        ))}
      </ol>
    </main>
  );
}
