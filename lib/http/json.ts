import type { z } from 'zod';
import { BodyTooLargeError, readBodyWithLimit } from './body';

/** The body size the JSON API accepts; a progress export is far below it. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** A problem with a request that maps to an HTTP status, raised inside route handlers. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `{ "error": { "message": … } }` with the given status. */
export function jsonError(status: number, message: string, init?: ResponseInit): Response {
  return Response.json({ error: { status, message } }, { ...init, status });
}

/**
 * Reads a JSON body and validates it. Anything wrong — the wrong content type,
 * too large, not JSON, not the expected shape — becomes an HttpError whose
 * message names the field and what it must be.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.infer<S>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new HttpError(415, 'Send the body as JSON with "Content-Type: application/json".');
  }
  const text = await readLimited(request, maxBytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where =
      issue && issue.path.length > 0 ? `"${issue.path.map(String).join('.')}"` : 'The body';
    throw new HttpError(400, `${where}: ${issue?.message ?? 'is not valid'}.`);
  }
  return result.data;
}

/** Reads at most maxBytes, so a body without Content-Length cannot exhaust memory. */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  try {
    const bytes = await readBodyWithLimit(
      request.body,
      maxBytes,
      request.headers.get('content-length'),
    );
    return new TextDecoder().decode(bytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new HttpError(413, error.message, { cause: error });
    throw error;
  }
}

/**
 * The origin the client used, from its Host header: behind Next.js, request.url
 * may name "localhost" where the browser asked for 127.0.0.1.
 */
export function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? url.host;
  const protocol = request.headers.get('x-forwarded-proto') ?? url.protocol.replace(/:$/, '');
  return `${protocol}://${host}`;
}
