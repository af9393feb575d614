import type {
  QuizAnswerLookup,
  QuizAnswerResult,
  QuizQuery,
  QuizRevealRequest,
} from '@/lib/learner/contract';

/*
 * The quiz's own calls to /api/progress/quiz-answers. Answering goes through
 * the ProgressProvider, because it changes the learner's progress; these two
 * only read or reveal the correct choices, which progress does not hold.
 */

const QUIZ_ANSWERS = '/api/progress/quiz-answers';

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: init?.body ? { 'content-type': 'application/json' } : undefined,
    cache: 'no-store',
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  }
  return (await response.json()) as T;
}

/** The learner's latest answer to a quiz, with the correct choices if they have seen them; null before their first answer. */
export async function fetchQuizAnswer(query: QuizQuery): Promise<QuizAnswerResult | null> {
  const params = new URLSearchParams({ lessonId: query.lessonId, quizId: query.quizId });
  const { answer } = await call<QuizAnswerLookup>(`${QUIZ_ANSWERS}?${params}`);
  return answer;
}

/** Shows the correct choices after a wrong answer; the server remembers that they were shown. */
export function revealQuizAnswer(query: QuizQuery): Promise<QuizAnswerResult> {
  const body: QuizRevealRequest = { ...query, revealed: true };
  return call<QuizAnswerResult>(QUIZ_ANSWERS, { method: 'PATCH', body: JSON.stringify(body) });
}
