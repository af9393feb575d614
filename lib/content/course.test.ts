import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../course';
import { formatProblem } from '../authoring/problems';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const locate = (name: string) => ({
  contentDir: path.join(fixtures, name, 'content'),
  publicDir: path.join(fixtures, name, 'public'),
  projectDir: path.join(fixtures, name),
});

describe('loadCourse on a valid course', () => {
  it('returns modules and lessons in the order the YAML gives, with no problems', async () => {
    const { course, problems } = await loadCourse(locate('valid'));
    expect(problems).toEqual([]);
    expect(course.title).toBe('Fixture course');
    expect(course.modules.map((m) => m.slug)).toEqual(['basics']);
    expect(course.lessons.map((l) => l.id)).toEqual(['basics/first', 'basics/second']);
    const first = course.lessons[0]!;
    expect(first).toMatchObject({
      href: '/learn/basics/first',
      minutes: 10,
      file: 'content/basics/first.mdx',
    });
    expect(first.headings).toEqual([{ depth: 2, text: 'Getting started', id: 'getting-started' }]);
  });

  it('records each quiz with its answer key for grading', async () => {
    const { course } = await loadCourse(locate('valid'));
    expect(course.lessons[0]!.quizzes).toEqual([
      { id: 'pick-one', question: 'Which?', multiple: false, choiceCount: 2, correct: [1] },
      { id: 'pick-many', question: 'Which ones?', multiple: true, choiceCount: 3, correct: [0, 2] },
    ]);
  });

  it('compiles code blocks to highlighted HTML at build time', async () => {
    const { course } = await loadCourse(locate('valid'));
    const code = course.lessons[1]!.code;
    expect(code).toContain('shiki');
    expect(code).toContain('--shiki-dark');
  });
});

describe('loadCourse on a broken course', () => {
  const load = () => loadCourse(locate('broken'));
  const find = async (file: string, text: string) => {
    const { problems } = await load();
    return problems.filter((p) => p.file === file && p.message.includes(text));
  };

  it.each([
    [
      'a schema error in frontmatter',
      'content/basics/bad-frontmatter.mdx',
      6,
      10,
      'Field "minutes" expected number',
    ],
    ['an MDX syntax error', 'content/basics/bad-syntax.mdx', 14, 1, 'MDX syntax error'],
    [
      'an unknown component',
      'content/basics/unknown-component.mdx',
      14,
      1,
      'Unknown component <Calout>',
    ],
    [
      'a broken internal link',
      'content/basics/broken-links.mdx',
      14,
      5,
      'Broken link "/learn/basics/nowhere"',
    ],
    [
      'a broken anchor',
      'content/basics/broken-links.mdx',
      16,
      5,
      'no heading with id "no-such-heading"',
    ],
    [
      'a missing image',
      'content/basics/missing-image.mdx',
      14,
      1,
      'Image "/images/absent.svg" not found',
    ],
    [
      'a quiz with no correct answer',
      'content/basics/quiz-without-answer.mdx',
      14,
      1,
      'no correct answer',
    ],
    ['a duplicate lesson slug', 'content/basics/module.yaml', 10, 5, 'listed twice'],
    ['a lesson listed without a file', 'content/basics/module.yaml', 11, 5, 'has no file'],
    ['a lesson file not listed', 'content/basics/stray.mdx', 1, 1, 'not listed in'],
    ['a duplicate module slug', 'content/course.yaml', 5, 5, 'listed twice'],
    ['a module without a folder', 'content/course.yaml', 6, 5, 'Module "missing-module" has no'],
  ])('reports %s at its file and line', async (_name, file, line, column, text) => {
    const matches = await find(file, text);
    expect(matches, `no problem in ${file} mentions ${text}`).toHaveLength(1);
    expect(matches[0]).toMatchObject({ line, column });
  });

  it('reports nothing else, and leaves broken lessons out of the course', async () => {
    const { course, problems } = await load();
    expect(problems).toHaveLength(12);
    expect(course.lessons.map((l) => l.slug)).toEqual([
      'unknown-component',
      'broken-links',
      'missing-image',
      'quiz-without-answer',
    ]);
  });

  it('formats each problem as file:line:col followed by the message', async () => {
    const matches = await find('content/basics/bad-syntax.mdx', 'MDX');
    expect(formatProblem(matches[0]!)).toMatch(
      /^content\/basics\/bad-syntax\.mdx:14:1 {2}MDX syntax error: /,
    );
  });
});
