import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBodyWithLimit } from './body';
import { createCountingBody } from './testing/counting-body';

const CHUNK = 64 * 1024;

async function refusal(promise: Promise<unknown>): Promise<BodyTooLargeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof BodyTooLargeError))
    throw new Error(`expected BodyTooLargeError, got ${String(error)}`);
  return error;
}

describe('readBodyWithLimit', () => {
  it('returns a body under the limit byte for byte, across many chunks', async () => {
    const body = createCountingBody(3 * CHUNK + 123, CHUNK);
    const bytes = await readBodyWithLimit(body.stream, 1024 * 1024);
    expect(bytes.byteLength).toBe(3 * CHUNK + 123);
    expect(bytes.every((byte) => byte === 0x61)).toBe(true);
  });

  it('stops a chunked upload of 50 MB at the limit plus one chunk, and cancels it', async () => {
    const body = createCountingBody(50 * 1024 * 1024, CHUNK);
    const limit = 1024 * 1024;
    const error = await refusal(readBodyWithLimit(body.stream, limit));
    expect(body.pulledBytes).toBeLessThanOrEqual(limit + CHUNK);
    expect(body.cancelled).toBe(true);
    expect(error).toMatchObject({ maxBytes: limit, declared: false });
  });

  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    const body = createCountingBody(50 * 1024 * 1024, CHUNK);
    const error = await refusal(readBodyWithLimit(body.stream, 1024, String(50 * 1024 * 1024)));
    expect(body.pulledBytes).toBe(0);
    expect(error).toMatchObject({ declared: true, receivedBytes: 50 * 1024 * 1024 });
  });

  it('stops at the limit when Content-Length understates the body', async () => {
    const body = createCountingBody(10 * 1024 * 1024, CHUNK);
    await refusal(readBodyWithLimit(body.stream, 1024 * 1024, '10'));
    expect(body.pulledBytes).toBeLessThanOrEqual(1024 * 1024 + CHUNK);
  });

  it('accepts a body exactly at the limit, and an absent body as empty', async () => {
    const body = createCountingBody(4 * CHUNK, CHUNK);
    expect((await readBodyWithLimit(body.stream, 4 * CHUNK)).byteLength).toBe(4 * CHUNK);
    expect((await readBodyWithLimit(null, 10)).byteLength).toBe(0);
  });

  it('reads a body sent one byte at a time', async () => {
    const body = createCountingBody(200_000, 1);
    expect((await readBodyWithLimit(body.stream, 1024 * 1024)).byteLength).toBe(200_000);
  });
});
