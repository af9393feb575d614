import { run } from '@mdx-js/mdx';
import { createElement } from 'react';
import * as runtime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LESSON_COMPONENT_NAMES } from '@/lib/content/components';
import { compileLesson } from '@/lib/content/lesson-compiler';
import type { PolicyLabView } from '@/lib/iam/contract';
import { lessonComponents } from './index';

/** Renders a lesson body (MDX after the frontmatter) with the lesson components, as a page's server does. */
async function renderLesson(
  body: string,
  components: ReturnType<typeof lessonComponents>,
): Promise<string> {
  const { code, problems } = await compileLesson(`---\ntitle: T\n---\n\n${body}\n`, 'x.mdx');
  expect(problems).toEqual([]);
  const { default: Content } = await run(code!, { ...runtime, baseUrl: import.meta.url });
  return renderToStaticMarkup(createElement(Content, { components }));
}

const POLICY_LAB: PolicyLabView = {
  id: 'm/least-privilege',
  title: 'Narrow the role',
  scenario: 'The function reads one table.\n\nIt must not delete.',
  calls: [
    {
      title: 'Read one order',
      action: 'dynamodb:GetItem',
      resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
      needed: true,
      context: {},
    },
    {
      title: 'Delete an order',
      action: 'dynamodb:DeleteItem',
      resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
      needed: false,
      context: {},
    },
  ],
  starter:
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}',
};

describe('lessonComponents', () => {
  it('provides exactly the components the content checker allows', () => {
    // Capitalised names are what authors may write; lower-case ones restyle Markdown's own HTML.
    const authorFacing = Object.keys(lessonComponents('m/l')).filter((name) => /^[A-Z]/.test(name));
    expect(authorFacing.sort()).toEqual([...LESSON_COMPONENT_NAMES].sort());
  });

  it('replaces only the HTML elements it means to', () => {
    const elements = Object.keys(lessonComponents('m/l')).filter((name) => !/^[A-Z]/.test(name));
    expect(elements).toEqual(['pre']);
  });

  it('gives every highlighted code block a Copy button, with the code text intact', async () => {
    const source = '---\ntitle: T\n---\n\n```js\nconst a = 1;\n\nexport { a };\n```\n';
    const { code, problems } = await compileLesson(source, 'x.mdx');
    expect(problems).toEqual([]);
    const { default: Content } = await run(code!, { ...runtime, baseUrl: import.meta.url });
    const html = renderToStaticMarkup(
      createElement(Content, { components: lessonComponents('m/l') }),
    );

    expect(html).toMatch(/^<div data-code-block="" class="not-prose[^"]*">/);
    expect(html).toMatch(
      /<button type="button"[^>]*>.*<span class="sr-only">Copy code<\/span><\/button>/,
    );
    expect(html).toContain('<span role="status" class="sr-only"></span>');
    // The button copies the pre's text: Shiki's lines must keep their line breaks, blank line included.
    const pre = /<pre[^>]*>([\s\S]*)<\/pre>/.exec(html)![1]!;
    const text = pre.replace(/<[^>]+>/g, '').replaceAll('&#x27;', "'");
    expect(text).toBe('const a = 1;\n\nexport { a };');
    expect(/<pre[^>]*>/.exec(html)![0]).toContain('class="shiki');
  });

  it("shows a policy lab from the page's map, and says so when the lab is missing", async () => {
    const missing = await renderLesson(
      '<PolicyLab id="least-privilege" />',
      lessonComponents('m/l'),
    );
    expect(missing).toContain('role="alert"');
    expect(missing).toContain('This policy lab could not be loaded.');

    const html = await renderLesson(
      '<PolicyLab id="least-privilege" />',
      lessonComponents('m/l', new Map(), new Map([[POLICY_LAB.id, POLICY_LAB]])),
    );
    expect(html).toContain('data-policy-lab="m/least-privilege"');
    expect(html).toMatch(/<h3 id="[^"]+-heading"[^>]*>Narrow the role<\/h3>/);
    expect(html).toContain('<p>The function reads one table.</p><p>It must not delete.</p>');
    // The starter is in the editor, and the server's render already carries the decisions.
    expect(html).toMatch(/<textarea[^>]*aria-invalid="false"[^>]*>\{&quot;Version&quot;/);
    expect(html).toContain('<th scope="row" class="px-3 py-2 font-medium">Delete an order</th>');
    expect(html).toContain('Allowed by statement 1.');
    expect(html).toMatch(
      /role="status"[^>]*>✗ Goal not met: 1 call it must not make is not denied/,
    );
  });
});
