import { describe, expect, it } from 'vitest';
import { checkPythonSyntax } from './python-syntax';

describe('checkPythonSyntax', () => {
  it('finds nothing wrong with valid code, and does not run it', async () => {
    expect(
      await checkPythonSyntax(
        'import json\n\ndef handler(event, context):\n    return {"ok": True}\n\nraise SystemExit(3)\n',
      ),
    ).toEqual([]);
  });

  it('reports where Python finds a syntax error, as Python words it', async () => {
    const [problem, ...rest] = await checkPythonSyntax(
      'def handler(event, context):\n    return {"ok": True\n',
    );
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ line: 2, column: 12 });
    expect(problem!.message).toMatch(/never closed/);
  });

  it('reports what only compiling finds, such as return outside a function', async () => {
    const [problem] = await checkPythonSyntax('x = 1\nreturn x\n');
    expect(problem).toMatchObject({ line: 2, message: "'return' outside function" });
  });

  it('answers for code nested too deep to parse instead of failing', async () => {
    const [problem] = await checkPythonSyntax(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`);
    expect(problem?.line).toBe(1);
    expect(problem?.message).toMatch(/nested|too many/);
  });
});
