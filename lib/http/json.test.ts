import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, readJsonBody } from './json';

const schema = z.object({ lessonId: z.string().min(1), completed: z.boolean() }).strict();
const post = (
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => new Request('http://127.0.0.1/api', { method: 'POST', body, headers });
const statusOf = async (request: Request, maxBytes?: number) => {
  try {
    await readJsonBody(request, schema, maxBytes);
    return 'ok';
  } catch (error) {
    return error instanceof HttpError ? `${error.status} ${error.message}` : 'other';
  }
};

describe('readJsonBody', () => {
  it('returns the validated body', async () => {
    expect(await readJsonBody(post('{"lessonId":"a/b","completed":true}'), schema)).toEqual({
      lessonId: 'a/b',
      completed: true,
    });
  });

  it.each([
    ['the wrong content type', post('{}', { 'content-type': 'text/plain' }), /^415 /],
    ['broken JSON', post('{"lessonId":'), /^400 The body is not valid JSON/],
    [
      'a field of the wrong type',
      post('{"lessonId":"a/b","completed":"yes"}'),
      /^400 "completed": /,
    ],
    [
      'an unknown field',
      post('{"lessonId":"a/b","completed":true,"x":1}'),
      /^400 The body: Unrecognized key/,
    ],
  ])('answers %s with a specific error', async (_case, request, expected) => {
    expect(await statusOf(request)).toMatch(expected);
  });

  it('stops reading a body over the limit', async () => {
    expect(await statusOf(post(`{"lessonId":"${'a'.repeat(200)}","completed":true}`), 100)).toMatch(
      /^413 /,
    );
  });
});
