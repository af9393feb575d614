import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, ROLE } from '../lambda/testing/service-harness';

/** Where bubblewrap is missing (macOS, some containers): plain processes, said loudly. */
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService({}, { sandbox: 'none' });
});
afterAll(() => harness.dispose());

describe('the runner without a sandbox', () => {
  it.each([
    [
      'nodejs24.x',
      'index.mjs',
      'let n = 0; export const handler = async () => ({ n: ++n, root: process.env.LAMBDA_TASK_ROOT !== undefined });',
    ],
    [
      'python3.11',
      'index.py',
      'n = 0\ndef handler(event, context):\n    global n\n    n += 1\n    return {"n": n, "root": True}\n',
    ],
  ])(
    'runs %s handlers with the same lifecycle, and every report says sandbox "none"',
    async (runtime, file, source) => {
      const name = `plain-${runtime.replace(/\W/g, '')}`;
      await harness.service.createFunction('plain', {
        FunctionName: name,
        Runtime: runtime,
        Handler: 'index.handler',
        Role: ROLE,
        Code: { Files: [{ path: file, content: source }] },
      });
      const first = await harness.service.invoke('plain', name, json({}));
      const second = await harness.service.invoke('plain', name, json({}));
      expect(JSON.parse(first.payload)).toEqual({ n: 1, root: true });
      expect(JSON.parse(second.payload)).toEqual({ n: 2, root: true });
      expect(first.record.report).toMatchObject({ sandbox: 'none', coldStart: true });
      expect(second.record.report).toMatchObject({ sandbox: 'none', coldStart: false });
    },
  );

  it("still starts from an empty environment: the server's variables do not leak", async () => {
    process.env.COURSE_TEST_LEAK_CHECK = 'secret';
    await harness.service.createFunction('plain', {
      FunctionName: 'env',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: {
        Files: [
          {
            path: 'index.mjs',
            content:
              'export const handler = async () => process.env.COURSE_TEST_LEAK_CHECK ?? null;',
          },
        ],
      },
    });
    expect((await harness.service.invoke('plain', 'env', json({}))).payload).toBe('null');
    delete process.env.COURSE_TEST_LEAK_CHECK;
  });
});
