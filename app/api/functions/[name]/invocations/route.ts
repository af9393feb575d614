import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * A page of the function's invocation history, newest first, asynchronous ones included:
 * `?limit=` (at most MAX_HISTORY_PAGE_SIZE) and `?cursor=` (the nextCursor of the page before).
 */
export function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, services }) => {
    const { name } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await services.lambda.invocationHistory(learnerId, name, query));
  });
}
