import { readJsonBody } from '@/lib/http/json';
import { labRunRequestSchema, MAX_LAB_REQUEST_BYTES } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * Run: deploys the learner's files and settings as the lab's function in their
 * workspace and invokes it, answering with the response, the log and the
 * structured report in one round trip.
 */
export function POST(
  request: Request,
  { params }: { params: Promise<{ module: string; lab: string }> },
) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    const body = await readJsonBody(request, labRunRequestSchema, MAX_LAB_REQUEST_BYTES);
    return Response.json(await (await labs()).run(learnerId, `${module}/${lab}`, body));
  });
}
