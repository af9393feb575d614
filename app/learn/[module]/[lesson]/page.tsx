import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatMinutes } from '@/components/layout/format';
import { Breadcrumbs } from '@/components/lesson/Breadcrumbs';
import { CourseNav } from '@/components/lesson/CourseNav';
import { TableOfContents } from '@/components/lesson/TableOfContents';
import { LessonContent } from '@/components/mdx/LessonContent';
import { MarkComplete } from '@/components/progress/MarkComplete';
import { VisitRecorder } from '@/components/progress/VisitRecorder';
import { getCourseForPages, getLessonPage } from '@/lib/server/page-course';

interface LessonRoute {
  params: Promise<{ module: string; lesson: string }>;
}

export async function generateStaticParams() {
  const { course } = await getCourseForPages();
  return course.lessons.map((lesson) => ({ module: lesson.moduleSlug, lesson: lesson.slug }));
}

export async function generateMetadata({ params }: LessonRoute): Promise<Metadata> {
  const { module, lesson } = await params;
  const page = await getLessonPage(module, lesson);
  return page ? { title: page.lesson.title, description: page.lesson.summary } : {};
}

export default async function LessonPage({ params }: LessonRoute) {
  const { module, lesson: lessonSlug } = await params;
  const page = await getLessonPage(module, lessonSlug);
  if (!page) notFound();
  const { course, lesson, previous, next, labs, policyLabs } = page;
  const courseModule = course.modules.find((m) => m.slug === lesson.moduleSlug)!;
  const moduleNumber = course.modules.indexOf(courseModule) + 1;
  const lessonNumber = courseModule.lessons.indexOf(lesson) + 1;

  return (
    <div className="mx-auto grid max-w-[112rem] gap-8 px-4 py-6 lg:grid-cols-[16rem_minmax(0,1fr)] 2xl:grid-cols-[16rem_minmax(0,1fr)_14rem]">
      <VisitRecorder lessonId={lesson.id} />
      <aside
        aria-label="Course"
        className="lg:sticky lg:top-20 lg:max-h-[calc(100vh-6rem)] lg:overflow-y-auto"
      >
        {/* Phones and tablets get the course list folded away; wider screens show it as a sidebar. */}
        <details className="rounded-lg border border-slate-200 p-3 lg:hidden dark:border-slate-800">
          <summary className="cursor-pointer font-semibold">Course contents</summary>
          <div className="mt-3">
            <CourseNav course={course} currentLessonId={lesson.id} />
          </div>
        </details>
        <div className="hidden lg:block">
          <CourseNav course={course} currentLessonId={lesson.id} />
        </div>
      </aside>

      <main id="main-content" tabIndex={-1} className="min-w-0 focus:outline-none">
        <Breadcrumbs
          crumbs={[
            { label: 'Course', href: '/' },
            { label: courseModule.title, href: courseModule.href },
            { label: lesson.title },
          ]}
        />
        <header className="mt-4 border-b border-slate-200 pb-6 dark:border-slate-800">
          <p className="text-sm font-semibold text-brand-700 dark:text-brand-300">
            Module {moduleNumber} · Lesson {lessonNumber} of {courseModule.lessons.length}
          </p>
          <h1 className="mt-1 text-3xl font-bold tracking-tight sm:text-4xl">{lesson.title}</h1>
          <p className="mt-3 text-lg text-slate-700 dark:text-slate-300">{lesson.summary}</p>
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
            <span className="inline-flex items-center gap-1.5">
              <svg
                aria-hidden="true"
                viewBox="0 0 16 16"
                className="size-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.5"
              >
                <circle cx="8" cy="8" r="6.25" />
                <path d="M8 4.5V8l2.5 1.5" />
              </svg>
              <span className="sr-only">Estimated time:</span>
              {formatMinutes(lesson.minutes)}
            </span>
          </p>
        </header>

        <section
          id="objectives"
          aria-labelledby="objectives-heading"
          className="mt-6 rounded-lg bg-slate-50 px-5 py-4 dark:bg-slate-900"
        >
          <h2 id="objectives-heading" className="font-semibold">
            By the end of this lesson you can
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-800 dark:text-slate-200">
            {lesson.objectives.map((objective) => (
              <li key={objective}>{objective}</li>
            ))}
          </ul>
        </section>

        <details className="mt-6 rounded-lg border border-slate-200 p-3 2xl:hidden dark:border-slate-800">
          <summary className="cursor-pointer font-semibold">On this page</summary>
          <div className="mt-2">
            <TableOfContents headings={lesson.headings} idPrefix="inline" />
          </div>
        </details>

        <article className="lesson-body prose prose-slate mt-8 max-w-none dark:prose-invert prose-a:text-brand-700 dark:prose-a:text-brand-300 prose-pre:bg-transparent prose-pre:p-0">
          <LessonContent lesson={lesson} labs={labs} policyLabs={policyLabs} />
        </article>

        <section
          id="references"
          aria-labelledby="references-heading"
          className="mt-10 border-t border-slate-200 pt-6 dark:border-slate-800"
        >
          <h2 id="references-heading" className="text-xl font-semibold">
            References
          </h2>
          <ul className="mt-3 list-disc space-y-1 pl-5">
            {lesson.references.map((reference) => (
              <li key={reference.url}>
                <a
                  href={reference.url}
                  className="text-brand-700 underline underline-offset-2 dark:text-brand-300"
                  rel="noreferrer"
                >
                  {reference.title}
                </a>
              </li>
            ))}
          </ul>
        </section>

        <div className="mt-10 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
          <MarkComplete lessonId={lesson.id} />
        </div>

        <nav aria-label="Previous and next lesson" className="mt-8 grid gap-4 sm:grid-cols-2">
          {previous ? (
            <Link
              href={previous.href}
              rel="prev"
              className="rounded-lg border border-slate-200 p-4 hover:border-slate-400 dark:border-slate-800 dark:hover:border-slate-600"
            >
              <span className="block text-sm text-slate-600 dark:text-slate-400">← Previous</span>
              <span className="font-medium">{previous.title}</span>
            </Link>
          ) : (
            <span />
          )}
          {next && (
            <Link
              href={next.href}
              rel="next"
              className="rounded-lg border border-slate-200 p-4 text-right hover:border-slate-400 sm:col-start-2 dark:border-slate-800 dark:hover:border-slate-600"
            >
              <span className="block text-sm text-slate-600 dark:text-slate-400">Next →</span>
              <span className="font-medium">{next.title}</span>
            </Link>
          )}
        </nav>
      </main>

      <aside aria-label="On this page" className="hidden 2xl:block">
        <div className="sticky top-20">
          <TableOfContents headings={lesson.headings} idPrefix="side" />
        </div>
      </aside>
    </div>
  );
}
