import type { MDXComponents } from 'mdx/types';
import type { ComponentProps } from 'react';
import { PolicyLab } from '@/components/lab/PolicyLab';
import type { PolicyLabView } from '@/lib/iam/contract';
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
  /** The policy labs the lesson shows, by id (`<module>/<lab>`), as the page loaded them. */
  policyLabs: ReadonlyMap<string, PolicyLabView> = new Map(),
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
    PolicyLab: ({ id }: { id: string }) => (
      <PolicyLab lab={policyLabs.get(`${moduleSlug}/${id}`)} />
    ),
    pre: CodeBlock,
  };
}
