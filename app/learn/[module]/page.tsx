import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatMinutes } from '@/components/layout/format';
import { Breadcrumbs } from '@/components/lesson/Breadcrumbs';
import { CompletionMark } from '@/components/progress/CompletionMark';
import { CourseProgressSummary } from '@/components/progress/CourseProgressSummary';
import { getCourseForPages } from '@/lib/server/page-course';

interface ModuleRoute {
  params: Promise<{ module: string }>;
}

export async function generateStaticParams() {
  const { course } = await getCourseForPages();
  return course.modules.map((courseModule) => ({ module: courseModule.slug }));
}

async function findModule(params: ModuleRoute['params']) {
  const { module } = await params;
  const { course } = await getCourseForPages();
  const index = course.modules.findIndex((m) => m.slug === module);
  return index === -1 ? undefined : { courseModule: course.modules[index]!, number: index + 1 };
}

export async function generateMetadata({ params }: ModuleRoute): Promise<Metadata> {
  const found = await findModule(params);
  return found ? { title: found.courseModule.title, description: found.courseModule.summary } : {};
}

export default async function ModulePage({ params }: ModuleRoute) {
  const found = await findModule(params);
  if (!found) notFound();
  const { courseModule, number } = found;
  const minutes = courseModule.lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="mx-auto max-w-4xl px-4 py-8 focus:outline-none"
    >
      <Breadcrumbs crumbs={[{ label: 'Course', href: '/' }, { label: courseModule.title }]} />
      <p className="mt-6 text-sm font-semibold text-brand-700 dark:text-brand-300">
        Module {number}
      </p>
      <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">{courseModule.title}</h1>
      <p className="mt-3 text-lg text-slate-700 dark:text-slate-300">{courseModule.summary}</p>
      <div className="mt-4 flex flex-wrap items-center gap-6 text-sm text-slate-600 dark:text-slate-400">
        <span>
          {courseModule.lessons.length} lessons · about {formatMinutes(minutes)}
        </span>
        <CourseProgressSummary
          lessonIds={courseModule.lessons.map((l) => l.id)}
          label={`${courseModule.title} progress`}
        />
      </div>
      <ol className="mt-8 space-y-4">
        {courseModule.lessons.map((lesson, index) => (
          <li
            key={lesson.id}
            className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
          >
            <div className="flex items-start gap-3">
              <span className="mt-1.5">
                <CompletionMark lessonId={lesson.id} />
              </span>
              <div className="min-w-0 flex-1">
                <h2 className="text-lg font-semibold">
                  <Link href={lesson.href} className="underline-offset-4 hover:underline">
                    {number}.{index + 1} {lesson.title}
                  </Link>
                </h2>
                <p className="text-slate-700 dark:text-slate-300">{lesson.summary}</p>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                  {formatMinutes(lesson.minutes)}
                </p>
              </div>
            </div>
          </li>
        ))}
      </ol>
    </main>
  );
}
