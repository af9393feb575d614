import { readJsonBody } from '@/lib/http/json';
import { labBurstRequestSchema } from '@/lib/lambda/lambda-service';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * The code lab's Burst: deploys the learner's files like Run, then fires
 * `count` concurrent invocations (optionally under a reserved concurrency) and
 * answers how many environments served them, the cold starts and the throttles.
 */
export function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, services }) => {
    const { name } = await params;
    const body = await readJsonBody(request, labBurstRequestSchema, 8 * 1024 * 1024);
    return Response.json(await services.lambda.burst(learnerId, name, body));
  });
}
