import { run } from '@mdx-js/mdx';
import * as runtime from 'react/jsx-runtime';
import type { Lesson } from '@/lib/course';
import type { PolicyLabView } from '@/lib/iam/contract';
import type { LabView } from '@/lib/labs/contract';
import { lessonComponents } from './index';

/** Renders a lesson's compiled MDX on the server; only the interactive components hydrate. */
export async function LessonContent({
  lesson,
  labs,
  policyLabs,
}: {
  lesson: Lesson;
  labs: ReadonlyMap<string, LabView>;
  policyLabs: ReadonlyMap<string, PolicyLabView>;
}) {
  const { default: Content } = await run(lesson.code, { ...runtime, baseUrl: import.meta.url });
  return <Content components={lessonComponents(lesson.id, labs, policyLabs)} />;
}
