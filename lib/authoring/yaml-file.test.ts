import { describe, expect, it } from 'vitest';
import { lessonFrontmatterSchema, moduleFileSchema } from '../content/schema';
import { parseYamlWithSchema } from './yaml-file';

describe('parseYamlWithSchema', () => {
  it('accepts valid frontmatter and returns typed values', () => {
    const text =
      'title: T\nsummary: S\nobjectives: [do a thing]\nminutes: 12\nreferences:\n  - title: R\n    url: https://docs.aws.amazon.com/\n';
    const { value, problems } = parseYamlWithSchema(text, lessonFrontmatterSchema, 'l.mdx', 2);
    expect(problems).toEqual([]);
    expect(value?.minutes).toBe(12);
  });

  it('points each schema problem at the offending line, offset by where the YAML starts', () => {
    const text =
      'title: T\nsummary: S\nobjectives: []\nminutes: 2.5\nreferences:\n  - title: R\n    url: http://insecure.example\ncolour: blue\n';
    const { value, problems } = parseYamlWithSchema(text, lessonFrontmatterSchema, 'l.mdx', 2);
    expect(value).toBeUndefined();
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [4, expect.stringContaining('"objectives"')],
      [5, 'Field "minutes" must be a whole number of minutes.'],
      [8, 'Field "references.0.url" must be an https:// URL.'],
      [9, expect.stringContaining('Unknown field "colour"')],
    ]);
  });

  it('reports a missing field and a bad slug', () => {
    const { problems } = parseYamlWithSchema(
      'title: M\nlessons: [Bad_Slug]\n',
      moduleFileSchema,
      'module.yaml',
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      expect.stringMatching(/^1:1 Missing required field "summary"/),
      expect.stringMatching(/^2:11 Field "lessons.0" must be kebab-case/),
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const { problems } = parseYamlWithSchema(
      'title: M\nsummary: [unclosed\n',
      moduleFileSchema,
      'module.yaml',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^YAML syntax error: /);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
