import type { MDXComponents } from 'mdx/types';
import type { ComponentProps } from 'react';
import type { LabView } from '@/lib/labs/contract';
import { Callout } from './Callout';
import { CodeBlock } from './CodeBlock';
import { CodeLab } from './CodeLab';
import { Comparison } from './Comparison';
import { CostCalculator } from './CostCalculator';
import { Figure } from './Figure';
import { KeyFacts } from './KeyFacts';
import { Choice, Explanation, Quiz } from './Quiz';
import { Tab, Tabs } from './Tabs';

/**
 * What a lesson's MDX can use without importing it. The capitalised names must
 * match LESSON_COMPONENTS in lib/content/components.ts, which the checker
 * enforces; the lower-case ones replace the HTML elements Markdown produces
 * (authors write a code fence, not a component, to get a CodeBlock).
 */
export function lessonComponents(
  lessonId: string,
  labs: ReadonlyMap<string, LabView> = new Map(),
): MDXComponents {
  const moduleSlug = lessonId.split('/')[0];
  return {
    Callout,
    Figure,
    Tabs,
    Tab,
    Comparison,
    KeyFacts,
    Quiz: (props: Omit<ComponentProps<typeof Quiz>, 'lessonId'>) => (
      <Quiz {...props} lessonId={lessonId} />
    ),
    Choice,
    Explanation,
    CostCalculator,
    CodeLab: ({ lab }: { lab: string }) => <CodeLab lab={labs.get(`${moduleSlug}/${lab}`)} />,
    pre: CodeBlock,
  };
}
