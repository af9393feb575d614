import { readJsonBody } from '@/lib/http/json';
import { completionRequestSchema } from '@/lib/learner/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Marks a lesson complete or not: `{ "lessonId": "hosting/welcome", "completed": true }`. */
export function PUT(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const { lessonId, completed } = await readJsonBody(request, completionRequestSchema);
    return Response.json(await (await progress()).setCompleted(learnerId, lessonId, completed));
  });
}
