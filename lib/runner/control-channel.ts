import { z } from 'zod';

/**
 * The runtime → runner half of the control channel: newline-delimited JSON on
 * descriptor 3. Learner code shares the runtime's process and can write
 * anything to that descriptor, so every line is untrusted: read up to a size
 * limit, parsed against a schema, and checked against what the environment's
 * state allows (ExecutionEnvironment does that). Anything else ends the
 * environment; nothing here may throw into the server.
 */

/** Lambda's limit on a synchronous response payload; the runtimes refuse larger ones themselves. */
export const MAX_RESPONSE_PAYLOAD_BYTES = 6 * 1024 * 1024;
/**
 * The longest line the runner reads: a full-size response with every byte
 * escaped once by JSON (a quote or backslash doubles), plus the envelope.
 * A runtime that keeps to the protocol never sends more.
 */
export const MAX_CONTROL_LINE_BYTES = 2 * MAX_RESPONSE_PAYLOAD_BYTES + 1024 * 1024;

const text = (max: number) => z.string().max(max);

const errorPayloadSchema = z
  .object({
    errorType: text(1024),
    errorMessage: text(MAX_CONTROL_LINE_BYTES),
    trace: z
      .array(text(64 * 1024))
      .max(1000)
      .optional(),
    stackTrace: z
      .array(text(64 * 1024))
      .max(1000)
      .optional(),
    requestId: text(128).optional(),
  })
  .strip();

/** A message from the runtime, as the runner accepts it. */
export const controlMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('init-error'), error: errorPayloadSchema }).strict(),
  z.object({ type: z.literal('result'), requestId: text(128), payload: z.string() }).strict(),
  z
    .object({
      type: z.literal('error'),
      requestId: text(128),
      error: errorPayloadSchema,
      fatal: z.boolean(),
    })
    .strict(),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** What a line turned out to be: a message, or why it is not one. */
export type ControlLine = { message: ControlMessage } | { violation: string };

/**
 * Splits a byte stream into lines of at most `maxLineBytes`, never holding
 * more than that: a longer line is a violation, reported once, after which the
 * splitter reads nothing more (the environment is being ended).
 */
export class ControlLineSplitter {
  private chunks: Buffer[] = [];
  private held = 0;
  private stopped = false;

  constructor(
    private readonly onLine: (line: ControlLine) => void,
    private readonly maxLineBytes = MAX_CONTROL_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let rest = chunk;
    while (!this.stopped && rest.length > 0) {
      const newline = rest.indexOf(0x0a);
      const part = newline === -1 ? rest : rest.subarray(0, newline);
      if (this.held + part.length > this.maxLineBytes) {
        this.stop();
        this.onLine({ violation: `a control message longer than ${this.maxLineBytes} bytes` });
        return;
      }
      if (newline === -1) {
        this.chunks.push(part);
        this.held += part.length;
        return;
      }
      const line = this.held === 0 ? part : Buffer.concat([...this.chunks, part]);
      this.chunks = [];
      this.held = 0;
      rest = rest.subarray(newline + 1);
      if (line.length > 0) this.onLine(parseControlLine(line));
    }
  }

  /** Drops what is held and ignores everything after. */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.held = 0;
  }
}

export function parseControlLine(line: Buffer): ControlLine {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return { violation: 'a control message that is not JSON' };
  }
  const parsed = controlMessageSchema.safeParse(value);
  if (!parsed.success) {
    const type =
      typeof value === 'object' && value !== null && 'type' in value
        ? String((value as { type: unknown }).type).slice(0, 40)
        : undefined;
    return {
      violation: type
        ? `a malformed "${type}" control message`
        : 'a control message of no known type',
    };
  }
  return { message: parsed.data };
}
