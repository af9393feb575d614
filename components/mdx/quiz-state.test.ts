import { describe, expect, it } from 'vitest';
import type { QuizAnswer } from '@/lib/learner/contract';
import {
  EMPTY_VIEW,
  answered,
  canReveal,
  nothingSelected,
  returning,
  revealed,
  toggleChoice,
  type QuizShape,
} from './quiz-state';

const single: QuizShape = { multiple: false, hasExplanation: true };
const several: QuizShape = { multiple: true, hasExplanation: true };
const savedAnswer = (correct: boolean, selected = [0]): QuizAnswer => ({
  lessonId: 'hosting/welcome',
  quizId: 'q',
  selected,
  correct,
  answeredAt: '2026-11-30T10:00:00.000Z',
});

describe('a quiz on this visit', () => {
  it('nudges after a first wrong answer, without the answer, and offers to show it', () => {
    const view = answered([0], { correct: false, correctChoices: null, correctCount: 1 }, single);
    expect(view).toEqual({
      selected: [0],
      outcome: 'incorrect',
      correctChoices: null,
      message: 'Not quite — try again.',
    });
    expect(canReveal(view)).toBe(true);
  });

  it('tells a multiple-answer quiz how many answers to pick', () => {
    expect(
      answered([1], { correct: false, correctChoices: null, correctCount: 3 }, several).message,
    ).toBe('Not quite — try again. This question has 3 correct answers.');
    expect(
      answered([1], { correct: false, correctChoices: null, correctCount: 1 }, several).message,
    ).toBe('Not quite — try again. This question has 1 correct answer.');
  });

  it('points at the revealed answer where it is: marked above, explained below', () => {
    const view = answered([0], { correct: false, correctChoices: [1], correctCount: 1 }, single);
    expect(view.message).toBe('Not quite. The correct answer is marked above and explained below.');
    expect(canReveal(view)).toBe(false);
    expect(
      answered(
        [1],
        { correct: false, correctChoices: [0, 2], correctCount: 2 },
        { multiple: true, hasExplanation: false },
      ).message,
    ).toBe('Not quite. The correct answers are marked above.');
  });

  it('says "Correct!" and keeps the key the server sent', () => {
    expect(answered([1], { correct: true, correctChoices: [1] }, single)).toEqual({
      selected: [1],
      outcome: 'correct',
      correctChoices: [1],
      message: 'Correct!',
    });
  });

  it('keeps the nudge through a retry, and starts clean after a right answer', () => {
    const wrong = answered([0], { correct: false, correctChoices: null, correctCount: 1 }, single);
    expect(toggleChoice(wrong, 2, false)).toEqual({ ...wrong, selected: [2] });
    const right = answered([1], { correct: true, correctChoices: [1] }, single);
    expect(toggleChoice(right, 0, false)).toEqual({ ...EMPTY_VIEW, selected: [0] });
    expect(toggleChoice({ ...EMPTY_VIEW, selected: [0, 2] }, 2, true).selected).toEqual([0]);
    expect(toggleChoice({ ...EMPTY_VIEW, selected: [0] }, 2, true).selected).toEqual([0, 2]);
  });

  it('shows the answer on request', () => {
    const wrong = answered([0], { correct: false, correctChoices: null, correctCount: 1 }, single);
    expect(
      revealed(wrong, { correct: false, correctChoices: [1], correctCount: 1 }, single),
    ).toEqual({
      selected: [0],
      outcome: 'incorrect',
      correctChoices: [1],
      message: 'The correct answer is marked above and explained below.',
    });
  });

  it('asks for a choice before checking', () => {
    expect(nothingSelected(EMPTY_VIEW, single).message).toBe('Choose an answer first.');
    expect(nothingSelected(EMPTY_VIEW, several).message).toBe(
      'Select every answer you think is right, then check.',
    );
  });
});

describe('a quiz the learner returns to', () => {
  it('shows nothing for a quiz never answered', () => {
    expect(returning(undefined, undefined, single)).toEqual(EMPTY_VIEW);
  });

  it('shows a right answer as right, with its explanation', () => {
    expect(returning(savedAnswer(true, [1]), undefined, single)).toEqual({
      selected: [1],
      outcome: 'correct',
      correctChoices: [1],
      message: 'You answered this correctly before.',
    });
  });

  it('shows a missed one without its answer once the server says it was not revealed, and offers the retry', () => {
    const saved = savedAnswer(false);
    expect(returning(saved, undefined, single)).toEqual({ ...EMPTY_VIEW, selected: [0] });
    const view = returning(
      saved,
      { correct: false, correctChoices: null, correctCount: 1 },
      single,
    );
    expect(view).toEqual({
      selected: [0],
      outcome: 'incorrect',
      correctChoices: null,
      message: 'You missed this one last time — try again.',
    });
    expect(canReveal(view)).toBe(true);
    expect(
      returning(saved, { correct: false, correctChoices: null, correctCount: 2 }, several).message,
    ).toBe('You missed this one last time — try again. This question has 2 correct answers.');
    // When the server could not be asked, the retry is the safe default.
    expect(returning(saved, null, single).message).toBe(
      'You missed this one last time — try again.',
    );
  });

  it('shows a missed one that had been revealed as revealed', () => {
    const view = returning(
      savedAnswer(false),
      { correct: false, correctChoices: [1], correctCount: 1 },
      single,
    );
    expect(view).toEqual({
      selected: [0],
      outcome: 'incorrect',
      correctChoices: [1],
      message:
        'You missed this one last time. The correct answer is marked above and explained below.',
    });
    expect(canReveal(view)).toBe(false);
  });
});
