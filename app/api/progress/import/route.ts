import { BodyTooLargeError, readBodyWithLimit } from '@/lib/http/body';
import { HttpError } from '@/lib/http/json';
import {
  parseProgressFile,
  PROGRESS_FILE_LIMITS,
  PROGRESS_FILE_TOO_LARGE,
  type ProgressFile,
} from '@/lib/learner/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Merges an exported progress file into the learner's progress; answers with what it did. */
export function POST(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const file = await readProgressFile(request);
    return Response.json(await (await progress()).import(learnerId, file));
  });
}

/**
 * The body as a progress file. Not readJsonBody: a learner chose this file, so
 * every problem is worded about the file and the entry at fault rather than a
 * request body's fields (parseProgressFile).
 */
async function readProgressFile(request: Request): Promise<ProgressFile> {
  // JSON only, as for every JSON route: a cross-site form cannot send it without the browser asking first.
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    throw new HttpError(
      415,
      'Send the progress file as JSON with "Content-Type: application/json".',
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBodyWithLimit(
      request.body,
      PROGRESS_FILE_LIMITS.bytes,
      request.headers.get('content-length'),
    );
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new HttpError(413, PROGRESS_FILE_TOO_LARGE, { cause: error });
    }
    throw error;
  }
  const parsed = parseProgressFile(new TextDecoder().decode(bytes));
  if (!parsed.success) throw new HttpError(400, parsed.message);
  return parsed.file;
}
