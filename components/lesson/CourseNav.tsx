import Link from 'next/link';
import { CompletionMark } from '@/components/progress/CompletionMark';
import type { Course } from '@/lib/course';

/** The whole course, with completion marks and the current lesson highlighted. */
export function CourseNav({
  course,
  currentLessonId,
}: {
  course: Course;
  currentLessonId?: string;
}) {
  return (
    <nav aria-label="Course contents" className="text-sm">
      <ol className="space-y-5">
        {course.modules.map((courseModule, moduleIndex) => (
          <li key={courseModule.slug}>
            <Link
              href={courseModule.href}
              className="font-semibold text-slate-900 underline-offset-4 hover:underline dark:text-slate-100"
            >
              {moduleIndex + 1}. {courseModule.title}
            </Link>
            <ol className="mt-2 space-y-1 border-l border-slate-200 dark:border-slate-800">
              {courseModule.lessons.map((lesson) => {
                const current = lesson.id === currentLessonId;
                return (
                  <li key={lesson.id}>
                    <Link
                      href={lesson.href}
                      aria-current={current ? 'page' : undefined}
                      // The mark follows the title in reading order ("Title (completed)") but shows before it.
                      className={`-ml-px flex flex-row-reverse items-start justify-end gap-2 border-l-2 py-1 pr-2 pl-3 ${current ? 'border-brand-600 font-semibold text-brand-700 dark:border-brand-300 dark:text-brand-300' : 'border-transparent text-slate-700 hover:border-slate-400 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'}`}
                    >
                      <span>{lesson.title}</span>
                      <span className="mt-0.5">
                        <CompletionMark lessonId={lesson.id} />
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </nav>
  );
}
