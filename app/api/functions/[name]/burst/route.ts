import { readJsonBody } from '@/lib/http/json';
import { legacyLabBurstRequestSchema, MAX_LAB_REQUEST_BYTES } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Burst under its old path: an alias of `/api/labs/<lab>/burst` while the lab client moves. */
export function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { name } = await params;
    const { runtime, handler, ...body } = await readJsonBody(request, legacyLabBurstRequestSchema, MAX_LAB_REQUEST_BYTES);
    const service = await labs();
    return Response.json(await service.burst(learnerId, service.labIdOfFunction(name), body));
  });
}
