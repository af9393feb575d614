import { readJsonBody } from '@/lib/http/json';
import { progressExportSchema } from '@/lib/learner/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Replaces the learner's progress with an exported file's contents. */
export function POST(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const file = await readJsonBody(request, progressExportSchema);
    return Response.json(await (await progress()).import(learnerId, file));
  });
}
