import { handleLearnerRequest } from '@/lib/server/learner-route';

/** The learner's progress; the first call also creates their workspace. */
export function GET(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) =>
    Response.json(await (await progress()).get(learnerId)),
  );
}
