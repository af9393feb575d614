import { describe, expect, it } from 'vitest';
import { compileLesson, quizAnchorId } from './lesson-compiler';

const lesson = (body: string) => `---\ntitle: T\n---\n\n${body}\n`;
const problemsOf = async (body: string) =>
  (await compileLesson(lesson(body), 'x.mdx')).problems.map(
    (p) => `${p.line}:${p.column} ${p.message}`,
  );

describe('compileLesson', () => {
  it('rejects a single-choice quiz with two correct answers', async () => {
    const problems = await problemsOf(
      '<Quiz id="q" question="?">\n  <Choice correct>A</Choice>\n  <Choice correct>B</Choice>\n</Quiz>',
    );
    expect(problems).toEqual([expect.stringMatching(/^5:1 .*single-choice: add "multiple"/)]);
  });

  it('rejects duplicate quiz ids and quizzes with one choice', async () => {
    const body =
      '<Quiz id="q" question="?">\n  <Choice correct>A</Choice>\n</Quiz>\n\n<Quiz id="q" question="?">\n  <Choice correct>A</Choice>\n  <Choice>B</Choice>\n</Quiz>';
    const problems = await problemsOf(body);
    expect(problems).toContainEqual(expect.stringMatching(/^5:1 A quiz needs at least two/));
    expect(problems).toContainEqual(expect.stringMatching(/^9:1 Quiz id "q" is used twice/));
  });

  it('writes choice indexes and the anchor into the compiled quiz, and keeps the answer key out of it', async () => {
    const { code, analysis } = await compileLesson(
      lesson(
        '<Quiz id="q" question="?" multiple>\n  <Choice correct>A</Choice>\n  <Choice>B</Choice>\n  <Choice correct>C</Choice>\n</Quiz>',
      ),
      'x.mdx',
    );
    expect(analysis.quizzes).toEqual([
      { id: 'q', question: '?', multiple: true, choiceCount: 3, correct: [0, 2] },
    ]);
    expect(code).toContain('index: "2"');
    expect(code).toContain(`anchor: "${quizAnchorId('q')}"`);
    expect(code).not.toMatch(/correct|answer/);
  });

  it('rejects a quiz whose anchor is also a heading id, wherever the heading is', async () => {
    const problems = await problemsOf(
      '<Quiz id="recap" question="?">\n  <Choice correct>A</Choice>\n  <Choice>B</Choice>\n</Quiz>\n\n## Quiz recap',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^5:1 This quiz's anchor "#quiz-recap" is also a heading's id/),
    ]);
    expect(
      await problemsOf(
        '## Quiz recap\n\n<Quiz id="recap-2" question="?">\n  <Choice correct>A</Choice>\n  <Choice>B</Choice>\n</Quiz>',
      ),
    ).toEqual([]);
  });

  it('checks component attributes, placement and forbidden elements', async () => {
    const problems = await problemsOf(
      '<Callout type="danger">x</Callout>\n\n<Figure src="/a.svg" />\n\n<Choice>loose</Choice>\n\n<iframe src="https://example.com" />',
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^5:1 <Callout type="danger"> must be one of: "note", "tip", "warning"/,
      ),
      expect.stringMatching(/^7:1 <Figure> needs a "alt" attribute/),
      expect.stringMatching(/^9:1 <Choice> must be placed directly inside <Quiz>/),
      expect.stringMatching(/^11:1 <iframe> is not allowed/),
    ]);
  });

  it('rejects imports, h1 headings and unknown code languages', async () => {
    const problems = await problemsOf("import X from './x'\n\n# Title\n\n```cobol\nx\n```");
    expect(problems).toEqual([
      expect.stringMatching(/^5:1 Lessons cannot use import/),
      expect.stringMatching(/^7:1 Do not use a "#" heading/),
      expect.stringMatching(/^9:1 Unknown code language "cobol"/),
    ]);
  });

  it('gives headings the same ids rehype-slug puts in the page', async () => {
    const { analysis, code } = await compileLesson(
      lesson('## Cold `starts` & you\n\n## Cold starts & you'),
      'x.mdx',
    );
    expect(analysis.headings.map((h) => h.id)).toEqual(['cold-starts--you', 'cold-starts--you-1']);
    expect(code).toContain('id: "cold-starts--you-1"');
  });
});

describe('compileLesson and expressions', () => {
  it('rejects variables in prose and attributes, which would fail when the page renders', async () => {
    const problems = await problemsOf(
      'Hello {name}.\n\n<Comparison headers={headers} rows={[["a", "b"]]} />\n\n{/* a comment is fine */}\n\n{"a literal is fine"}',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^5:7 "\{name…\}" is a JavaScript expression/),
      expect.stringMatching(
        /^7:1 <Comparison> attributes must be plain values .* such as "headers"/,
      ),
    ]);
  });

  it('treats correct={false} as not correct and flags lower-case component names', async () => {
    const problems = await problemsOf(
      '<Quiz id="q" question="?">\n  <Choice correct={false}>A</Choice>\n  <Choice>B</Choice>\n</Quiz>\n\n<callout>x</callout>',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^5:1 This quiz has no correct answer/),
      expect.stringMatching(/^10:1 <callout> is treated as plain HTML: .*<Callout>/),
    ]);
  });
});
