import { readJsonBody } from '@/lib/http/json';
import { quizAnswerRequestSchema } from '@/lib/learner/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Grades and stores an answer: `{ "lessonId", "quizId", "selected": [1] }`. */
export function PUT(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const answer = await readJsonBody(request, quizAnswerRequestSchema);
    return Response.json(await (await progress()).answerQuiz(learnerId, answer));
  });
}
