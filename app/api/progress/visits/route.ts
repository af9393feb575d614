import { readJsonBody } from '@/lib/http/json';
import { visitRequestSchema } from '@/lib/learner/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Records the lesson the learner is on, for "resume where you left off". */
export function POST(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const { lessonId } = await readJsonBody(request, visitRequestSchema);
    await (await progress()).recordVisit(learnerId, lessonId);
    return new Response(null, { status: 204 });
  });
}
