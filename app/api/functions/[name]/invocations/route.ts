import { handleLearnerRequest } from '@/lib/server/learner-route';

/** The lab function's history under its old path: an alias of `/api/labs/<lab>/invocations` while the lab client moves. */
export function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { name } = await params;
    const service = await labs();
    return Response.json(await service.history(learnerId, service.labIdOfFunction(name), Object.fromEntries(new URL(request.url).searchParams)));
  });
}
