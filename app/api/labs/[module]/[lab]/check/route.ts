import { readJsonBody } from '@/lib/http/json';
import { labCheckRequestSchema, MAX_LAB_REQUEST_BYTES } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * Runs the exercise's checks on the learner's files (`{ files: [{ path, content }] }`)
 * and answers each check's result; passing them all marks the exercise done.
 */
export function POST(
  request: Request,
  { params }: { params: Promise<{ module: string; lab: string }> },
) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    const { files } = await readJsonBody(request, labCheckRequestSchema, MAX_LAB_REQUEST_BYTES);
    return Response.json(await (await labs()).check(learnerId, `${module}/${lab}`, files));
  });
}
