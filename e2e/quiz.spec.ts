import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

/*
 * Quizzes keep the answer hidden through a retry. These tests use the welcome
 * lesson's first quiz, "Which REPORT field appears only when an invocation
 * had a cold start?": its right answer is "Init Duration", and the other
 * three choices are wrong. Every test has a browser context, and so a
 * learner, of its own.
 */
const LESSON = '/learn/hosting/welcome';
const QUIZ_ID = 'which-field-only-on-cold-start';
const QUESTION = 'Which REPORT field appears only when an invocation had a cold start?';

function theQuiz(page: Page) {
  const quiz = page.locator(`[data-quiz="${QUIZ_ID}"]`);
  return {
    quiz,
    choice: (name: string) => quiz.getByRole('radio', { name }),
    check: () => quiz.getByRole('button', { name: 'Check answer' }).click(),
    showAnswer: quiz.getByRole('button', { name: 'Show answer' }),
    status: quiz.getByRole('status'),
    // The marks beside choices; "exact" keeps the status line's "The correct answer is…" out.
    correctMark: quiz.getByText('Correct answer', { exact: true }),
    yourChoiceMark: quiz.getByText('Your choice', { exact: true }),
    explanation: quiz.getByText('Explanation', { exact: true }),
  };
}

/**
 * Opens the lesson and waits for the learner's progress: "Mark complete" is
 * enabled once it has loaded, so the page is hydrated and the learner's
 * cookie is set before the first answer is sent.
 */
async function openLesson(page: Page) {
  await page.goto(LESSON);
  await expect(page.getByRole('button', { name: 'Mark complete' })).toBeEnabled();
}

/** Answers wrongly once: the nudge, with nothing revealed. */
async function missOnce(page: Page) {
  const q = theQuiz(page);
  await q.choice('Billed Duration').check();
  await q.check();
  await expect(q.status).toHaveText('Not quite — try again.');
  return q;
}

test('a wrong answer gets a nudge and a retry, without the answer; the retry can be right', async ({
  page,
}) => {
  await openLesson(page);
  const q = await missOnce(page);
  await expect(q.correctMark).toHaveCount(0);
  await expect(q.yourChoiceMark).toHaveCount(0);
  await expect(q.explanation).toHaveCount(0);
  await expect(q.showAnswer).toBeVisible();

  await q.choice('Init Duration').check();
  // The nudge stays while the learner tries again.
  await expect(q.status).toHaveText('Not quite — try again.');
  await q.check();
  await expect(q.status).toHaveText('Correct!');
  await expect(q.correctMark).toHaveCount(1);
  await expect(q.choice('Init Duration')).toHaveAccessibleName(/Correct answer/);
  await expect(q.explanation).toBeVisible();
  await expect(q.showAnswer).toHaveCount(0);
});

test('a second wrong answer in a row reveals the answer and its explanation', async ({ page }) => {
  await openLesson(page);
  const q = await missOnce(page);
  await q.choice('Max Memory Used').check();
  await q.check();
  await expect(q.status).toHaveText(
    'Not quite. The correct answer is marked above and explained below.',
  );
  // The status line is under the choices and over the explanation, as it says.
  const statusBox = (await q.status.boundingBox())!;
  expect((await q.choice('Init Duration').boundingBox())!.y).toBeLessThan(statusBox.y);
  expect((await q.explanation.boundingBox())!.y).toBeGreaterThan(statusBox.y);

  await expect(q.choice('Init Duration')).toHaveAccessibleName(/Correct answer/);
  await expect(q.choice('Max Memory Used')).toHaveAccessibleName(/Your choice/);
  await expect(q.explanation).toBeVisible();
  await expect(q.showAnswer).toHaveCount(0);
});

test('"Show answer" reveals the answer after a miss, and the reveal survives a reload', async ({
  page,
}) => {
  await openLesson(page);
  const q = await missOnce(page);
  await q.showAnswer.click();
  await expect(q.status).toHaveText('The correct answer is marked above and explained below.');
  await expect(q.choice('Init Duration')).toHaveAccessibleName(/Correct answer/);
  await expect(q.explanation).toBeVisible();
  // The button is gone, so focus moves on to what it revealed.
  await expect(q.quiz.locator('[data-quiz-explanation]')).toBeFocused();

  await page.reload();
  const again = theQuiz(page);
  await expect(again.status).toHaveText(
    'You missed this one last time. The correct answer is marked above and explained below.',
  );
  await expect(again.choice('Billed Duration')).toBeChecked();
  await expect(again.choice('Init Duration')).toHaveAccessibleName(/Correct answer/);
  await expect(again.explanation).toBeVisible();
  await expect(again.showAnswer).toHaveCount(0);
});

test('a quiz missed last time offers a retry after a reload, with nothing revealed', async ({
  page,
}) => {
  await openLesson(page);
  await missOnce(page);

  await page.reload();
  const q = theQuiz(page);
  await expect(q.status).toHaveText('You missed this one last time — try again.');
  await expect(q.choice('Billed Duration')).toBeChecked();
  await expect(q.correctMark).toHaveCount(0);
  await expect(q.explanation).toHaveCount(0);
  await expect(q.showAnswer).toBeVisible();

  await q.choice('Init Duration').check();
  await q.check();
  await expect(q.status).toHaveText('Correct!');
  await expect(q.explanation).toBeVisible();

  await page.reload();
  await expect(theQuiz(page).status).toHaveText('You answered this correctly before.');
  await expect(theQuiz(page).explanation).toBeVisible();
});

test('the progress page lists a missed quiz with a link to it, and drops it once right', async ({
  page,
}) => {
  await page.goto('/progress');
  await expect(page.getByText(/^0 of \d+ quizzes answered, 0 correct\.$/)).toBeVisible();
  await expect(page.getByText(/^Quizzes you miss will be listed here/)).toBeVisible();

  await openLesson(page);
  await missOnce(page);

  await page.goto('/progress');
  await expect(page.getByText(/^1 of \d+ quizzes answered, 0 correct\.$/)).toBeVisible();
  const toRetake = page.getByRole('list', { name: 'Quizzes to retake' });
  await expect(toRetake.getByRole('listitem')).toHaveCount(1);
  await expect(
    toRetake.getByRole('link', { name: 'Welcome to Serverless on AWS' }),
  ).toHaveAttribute('href', LESSON);
  await toRetake.getByRole('link', { name: QUESTION }).click();

  await expect(page).toHaveURL(new RegExp(`${LESSON}#quiz-${QUIZ_ID}$`));
  const q = theQuiz(page);
  await expect(q.quiz).toBeInViewport();
  await expect(q.status).toHaveText('You missed this one last time — try again.');
  await q.choice('Init Duration').check();
  await q.check();
  await expect(q.status).toHaveText('Correct!');

  await page.goto('/progress');
  await expect(page.getByText(/^1 of \d+ quizzes answered, 1 correct\.$/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Quizzes to retake' })).toHaveCount(0);
  await expect(page.getByText(/^Nothing to retake/)).toBeVisible();
});

test('the quiz API keeps the answer until the learner may see it, and says what is wrong with a request', async ({
  request,
}) => {
  const quiz = { lessonId: 'hosting/welcome', quizId: QUIZ_ID };
  const before = await request.patch('/api/progress/quiz-answers', {
    data: { ...quiz, revealed: true },
  });
  expect(before.status()).toBe(400);
  expect((await before.json()).error.message).toMatch(/at least once before asking/);

  const first = await request.put('/api/progress/quiz-answers', {
    data: { ...quiz, selected: [0] },
  });
  expect(await first.json()).toEqual({ correct: false, correctChoices: null, correctCount: 1 });
  const lookup = await request.get(
    `/api/progress/quiz-answers?lessonId=hosting/welcome&quizId=${QUIZ_ID}`,
  );
  expect(await lookup.json()).toEqual({
    answer: { correct: false, correctChoices: null, correctCount: 1 },
  });
  const shown = await request.patch('/api/progress/quiz-answers', {
    data: { ...quiz, revealed: true },
  });
  expect(await shown.json()).toEqual({ correct: false, correctChoices: [1], correctCount: 1 });

  const bad = await request.patch('/api/progress/quiz-answers', {
    data: { ...quiz, revealed: false },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/^"revealed": must be true/);
  const noQuiz = await request.get('/api/progress/quiz-answers?lessonId=hosting/welcome');
  expect(noQuiz.status()).toBe(400);
  expect((await noQuiz.json()).error.message).toMatch(/^"quizId": is missing/);
});
