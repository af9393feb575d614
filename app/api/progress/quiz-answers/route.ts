import { HttpError, readJsonBody } from '@/lib/http/json';
import {
  quizAnswerRequestSchema,
  quizQuerySchema,
  quizRevealRequestSchema,
  type QuizAnswerLookup,
} from '@/lib/learner/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * The learner's latest answer to one quiz, as the quiz shows it when they
 * return: `?lessonId=hosting/welcome&quizId=pick-one`. The correct choices
 * come only if the learner has already seen them.
 */
export function GET(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const query = quizQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) {
      // Worded as readJsonBody words a body's problems, so every progress route reads alike.
      const issue = query.error.issues[0];
      const where =
        issue && issue.path.length > 0 ? `"${issue.path.map(String).join('.')}"` : 'The query';
      throw new HttpError(400, `${where}: ${issue?.message ?? 'is not valid'}.`);
    }
    const reply: QuizAnswerLookup = {
      answer: await (await progress()).getQuizAnswer(learnerId, query.data),
    };
    return Response.json(reply);
  });
}

/**
 * Grades and stores an answer: `{ "lessonId", "quizId", "selected": [1] }`.
 * The reply carries the correct choices only once the learner may see them.
 */
export function PUT(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const answer = await readJsonBody(request, quizAnswerRequestSchema);
    return Response.json(await (await progress()).answerQuiz(learnerId, answer));
  });
}

/**
 * Shows the correct choices after a wrong answer, without answering again:
 * `{ "lessonId", "quizId", "revealed": true }`.
 */
export function PATCH(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const { lessonId, quizId } = await readJsonBody(request, quizRevealRequestSchema);
    return Response.json(
      await (await progress()).revealQuizAnswer(learnerId, { lessonId, quizId }),
    );
  });
}
