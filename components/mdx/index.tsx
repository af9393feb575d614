import type { MDXComponents } from 'mdx/types';
import type { ComponentProps } from 'react';
import { Callout } from './Callout';
import { Comparison } from './Comparison';
import { Figure } from './Figure';
import { KeyFacts } from './KeyFacts';
import { Choice, Explanation, Quiz } from './Quiz';
import { Tab, Tabs } from './Tabs';

/**
 * What a lesson's MDX can use without importing it. The names must match
 * LESSON_COMPONENTS in lib/content/components.ts, which the checker enforces.
 */
export function lessonComponents(lessonId: string): MDXComponents {
  return {
    Callout,
    Figure,
    Tabs,
    Tab,
    Comparison,
    KeyFacts,
    Quiz: (props: Omit<ComponentProps<typeof Quiz>, 'lessonId'>) => <Quiz {...props} lessonId={lessonId} />,
    Choice,
    Explanation,
  };
}
