import { handleLearnerRequest } from '@/lib/server/learner-route';

/** The function's recent invocations, newest first, asynchronous ones included. */
export function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, services }) => {
    const { name } = await params;
    return Response.json({ invocations: await services.lambda.recentInvocations(learnerId, name) });
  });
}
