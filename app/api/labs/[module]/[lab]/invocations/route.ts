import { handleLearnerRequest } from '@/lib/server/learner-route';

/** The lab function's recent invocations, newest first, paged (`?limit=`, `?cursor=`); none before its first run. */
export function GET(
  request: Request,
  { params }: { params: Promise<{ module: string; lab: string }> },
) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    return Response.json(
      await (
        await labs()
      ).history(
        learnerId,
        `${module}/${lab}`,
        Object.fromEntries(new URL(request.url).searchParams),
      ),
    );
  });
}
