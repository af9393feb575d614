/** A body that produces `totalBytes` in `chunkBytes` chunks only as they are read, and counts them. */
export interface CountingBody {
  stream: ReadableStream<Uint8Array>;
  /** Bytes the reader has pulled so far. */
  readonly pulledBytes: number;
  /** Whether the reader cancelled the stream. */
  readonly cancelled: boolean;
}

/**
 * A chunked upload of any size that costs nothing until it is read: the stream
 * has no queue (highWaterMark 0), so every byte counted was asked for.
 */
export function createCountingBody(totalBytes: number, chunkBytes = 64 * 1024): CountingBody {
  const chunk = new Uint8Array(chunkBytes).fill(0x61);
  let pulledBytes = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(chunkBytes, totalBytes - pulledBytes);
        if (size <= 0) {
          controller.close();
          return;
        }
        pulledBytes += size;
        controller.enqueue(size === chunkBytes ? chunk.slice() : chunk.slice(0, size));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    get pulledBytes() {
      return pulledBytes;
    },
    get cancelled() {
      return cancelled;
    },
  };
}
