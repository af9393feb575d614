import { readJsonBody } from '@/lib/http/json';
import { labBurstRequestSchema, MAX_LAB_REQUEST_BYTES } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * Burst: deploys the learner's files like Run, then fires `count` concurrent
 * invocations (optionally under a reserved concurrency) and answers how many
 * environments served them, the cold starts and the throttles.
 */
export function POST(
  request: Request,
  { params }: { params: Promise<{ module: string; lab: string }> },
) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    const body = await readJsonBody(request, labBurstRequestSchema, MAX_LAB_REQUEST_BYTES);
    return Response.json(await (await labs()).burst(learnerId, `${module}/${lab}`, body));
  });
}
