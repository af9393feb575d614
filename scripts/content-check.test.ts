import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectDir = path.join(import.meta.dirname, '..');
const fixture = (name: string) => path.join('lib/content/fixtures', name);

async function contentCheck(target: string) {
  try {
    const { stdout, stderr } = await run(
      path.join(projectDir, 'node_modules/.bin/tsx'),
      ['scripts/content-check.ts', target],
      { cwd: projectDir },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run content:check', () => {
  it('passes a valid course and says what it checked', async () => {
    const result = await contentCheck(fixture('valid'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /✓ 1 modules, 2 lessons, 2 quizzes, 0 labs, 0 exercises proved: no problems/,
    );
  });

  it('prints every problem as path:line:col and exits 1', async () => {
    const result = await contentCheck(fixture('broken'));
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('lib/'));
    expect(lines).toHaveLength(12);
    for (const line of lines)
      expect(line).toMatch(
        /^lib\/content\/fixtures\/broken\/content\/\S+\.(mdx|yaml):\d+:\d+ {2}\S/,
      );
    expect(lines).toContain(
      'lib/content/fixtures/broken/content/basics/unknown-component.mdx:14:1  Unknown component <Calout>. Lessons can use <Callout>, <Figure>, <Tabs>, <Tab>, <Comparison>, <KeyFacts>, <Quiz>, <Choice>, <Explanation>, <CodeLab>, <PolicyLab>, <CostCalculator>; check the spelling or see docs/authoring.md.',
    );
    expect(result.stderr).toMatch(/✗ 12 problems in the course content/);
  });
});
