/** The first buffer's size when a body declares no length; it doubles as the body grows. */
const INITIAL_BUFFER_BYTES = 64 * 1024;

/** The most allocated ahead of the bytes themselves, whatever Content-Length promises. */
const MAX_PREALLOCATED_BYTES = 1024 * 1024;

/** A body over its limit: refused on its Content-Length, or cut off at the chunk that passed it. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(
    /** The limit that was passed, in bytes. */
    readonly maxBytes: number,
    /** How many bytes had arrived when reading stopped (at most the limit plus one chunk). */
    readonly receivedBytes: number,
    /** Whether Content-Length alone gave it away, before any byte was read. */
    readonly declared: boolean,
  ) {
    super(
      declared
        ? `The body declares ${receivedBytes} bytes; the limit is ${maxBytes}.`
        : `The body is larger than the limit of ${maxBytes} bytes.`,
    );
  }
}

/**
 * Reads a request body of at most maxBytes. A Content-Length over the limit is
 * refused before any byte is read; otherwise reading stops, and the stream is
 * cancelled (behind Node's server this closes the connection), with the chunk
 * that passes the limit, so a chunked upload of any
 * size costs at most the limit plus one chunk. Bytes are copied into one buffer
 * that doubles when full, so the cost is linear in the body's size; a promised
 * Content-Length sizes the first buffer only up to MAX_PREALLOCATED_BYTES, so a
 * client cannot reserve memory it never sends.
 */
export async function readBodyWithLimit(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  declaredLength: string | null = null,
): Promise<Uint8Array> {
  const declared = parseContentLength(declaredLength);
  if (declared !== undefined && declared > maxBytes) {
    // Left unread rather than cancelled: Node's server then discards the bytes as
    // they come and the client, which said what it was sending, still reads the answer.
    throw new BodyTooLargeError(maxBytes, declared, true);
  }
  if (!body) return new Uint8Array(0);

  let buffer = new Uint8Array(Math.min(declared ?? INITIAL_BUFFER_BYTES, MAX_PREALLOCATED_BYTES));
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes, size + value.byteLength, false);
      }
      if (size + value.byteLength > buffer.byteLength) {
        const grown = new Uint8Array(
          Math.min(maxBytes, Math.max(buffer.byteLength * 2, size + value.byteLength)),
        );
        grown.set(buffer.subarray(0, size));
        buffer = grown;
      }
      buffer.set(value, size);
      size += value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  return buffer.subarray(0, size);
}

/** Content-Length as a number, or undefined when absent or not a plain count. */
function parseContentLength(value: string | null): number | undefined {
  if (value === null || !/^\d{1,16}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
