import { readJsonBody } from '@/lib/http/json';
import { legacyLabRunRequestSchema, MAX_LAB_REQUEST_BYTES } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Run under its old path, `/api/functions/<the lab's function>/run`: an alias of `/api/labs/<lab>/run` while the lab client moves. */
export function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { name } = await params;
    const { runtime, handler, ...body } = await readJsonBody(request, legacyLabRunRequestSchema, MAX_LAB_REQUEST_BYTES);
    const service = await labs();
    return Response.json(await service.run(learnerId, service.labIdOfFunction(name), body));
  });
}
