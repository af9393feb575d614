import type {
  QuizAnswerLookup,
  QuizAnswerResult,
  QuizQuery,
  QuizRevealRequest,
} from '@/lib/learner/contract';
import { fetchJson } from '@/components/shared/fetch-json';

/*
 * The quiz's own calls to /api/progress/quiz-answers. Answering goes through
 * the ProgressProvider, because it changes the learner's progress; these two
 * only read or reveal the correct choices, which progress does not hold.
 */

const QUIZ_ANSWERS = '/api/progress/quiz-answers';

/** The learner's latest answer to a quiz, with the correct choices if they have seen them; null before their first answer. */
export async function fetchQuizAnswer(query: QuizQuery): Promise<QuizAnswerResult | null> {
  const params = new URLSearchParams({ lessonId: query.lessonId, quizId: query.quizId });
  const { answer } = await fetchJson<QuizAnswerLookup>(`${QUIZ_ANSWERS}?${params}`);
  return answer;
}

/** Shows the correct choices after a wrong answer; the server remembers that they were shown. */
export function revealQuizAnswer(query: QuizQuery): Promise<QuizAnswerResult> {
  const body: QuizRevealRequest = { ...query, revealed: true };
  return fetchJson<QuizAnswerResult>(QUIZ_ANSWERS, { method: 'PATCH', body: JSON.stringify(body) });
}
