import { run } from '@mdx-js/mdx';
import { createElement } from 'react';
import * as runtime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LESSON_COMPONENT_NAMES } from '@/lib/content/components';
import { compileLesson } from '@/lib/content/lesson-compiler';
import { lessonComponents } from './index';

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
});
