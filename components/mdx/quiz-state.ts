import type { QuizAnswer, QuizAnswerResult } from '@/lib/learner/contract';

/*
 * What a quiz shows, as plain functions of what happened: the Quiz component
 * keeps the state, these decide it. The correct choices are shown only once
 * the server has sent them (after a right answer, a second wrong answer in a
 * row, or "Show answer"); a first wrong answer gets a nudge and a retry.
 *
 * Messages that point at the marked answer say "above" and "below" because the
 * status line sits under the choices and over the explanation (Quiz.tsx); keep
 * them in step with the layout.
 */

export interface QuizView {
  /** The choices selected in the form. */
  selected: number[];
  /** The verdict on the last answer checked; undefined before one, or while the learner starts again after a right answer. */
  outcome: 'correct' | 'incorrect' | undefined;
  /** The correct choices once revealed; null while they are hidden. */
  correctChoices: number[] | null;
  /** The status line. */
  message: string;
}

/** What the messages need to know about the quiz itself. */
export interface QuizShape {
  multiple: boolean;
  hasExplanation: boolean;
}

export const EMPTY_VIEW: QuizView = {
  selected: [],
  outcome: undefined,
  correctChoices: null,
  message: '',
};

/** "The correct answer is marked above and explained below." */
function whereTheAnswerIs(shape: QuizShape, correctChoices: number[]): string {
  const marked = correctChoices.length > 1 ? 'correct answers are' : 'correct answer is';
  return `The ${marked} marked above${shape.hasExplanation ? ' and explained below' : ''}.`;
}

/** A multiple-answer quiz's hint for the retry: how many to pick. */
function howMany(shape: QuizShape, correctCount: number | undefined): string {
  if (!shape.multiple || correctCount === undefined) return '';
  return ` This question has ${correctCount} correct ${correctCount === 1 ? 'answer' : 'answers'}.`;
}

/** Whether the learner may ask to see the answer: after a wrong answer, while it is hidden. */
export function canReveal(view: QuizView): boolean {
  return view.outcome === 'incorrect' && view.correctChoices === null;
}

/** The message for "Check answer" with nothing selected. */
export function nothingSelected(view: QuizView, shape: QuizShape): QuizView {
  return {
    ...view,
    message: shape.multiple
      ? 'Select every answer you think is right, then check.'
      : 'Choose an answer first.',
  };
}

/** A click on a choice. After a wrong answer the nudge (or the revealed answer) stays while the learner tries again; after a right one, a new attempt starts clean. */
export function toggleChoice(view: QuizView, index: number, multiple: boolean): QuizView {
  const selected = multiple
    ? view.selected.includes(index)
      ? view.selected.filter((i) => i !== index)
      : [...view.selected, index]
    : [index];
  if (view.outcome === 'incorrect') return { ...view, selected };
  return { ...EMPTY_VIEW, selected };
}

/** The server's verdict on an answer just checked. */
export function answered(selected: number[], result: QuizAnswerResult, shape: QuizShape): QuizView {
  if (result.correct) {
    return {
      selected,
      outcome: 'correct',
      correctChoices: result.correctChoices,
      message: 'Correct!',
    };
  }
  const { correctChoices } = result;
  return {
    selected,
    outcome: 'incorrect',
    correctChoices,
    message: correctChoices
      ? `Not quite. ${whereTheAnswerIs(shape, correctChoices)}`
      : `Not quite — try again.${howMany(shape, result.correctCount)}`,
  };
}

/** The correct choices, shown because the learner pressed "Show answer". */
export function revealed(view: QuizView, result: QuizAnswerResult, shape: QuizShape): QuizView {
  const correctChoices = result.correctChoices ?? [];
  return {
    ...view,
    outcome: result.correct ? 'correct' : 'incorrect',
    correctChoices,
    message: whereTheAnswerIs(shape, correctChoices),
  };
}

/**
 * A returning learner's quiz, from their saved answer. For a wrong one the
 * server says whether the answer had been revealed: `remembered` is its reply,
 * undefined while it loads, and null when it has no answer on record or could
 * not be asked (the quiz then offers the retry, the safe default).
 */
export function returning(
  saved: QuizAnswer | undefined,
  remembered: QuizAnswerResult | null | undefined,
  shape: QuizShape,
): QuizView {
  if (!saved) return EMPTY_VIEW;
  if (saved.correct || remembered?.correct) {
    return {
      selected: saved.selected,
      outcome: 'correct',
      correctChoices: remembered?.correctChoices ?? saved.selected,
      message: 'You answered this correctly before.',
    };
  }
  // Until the server has said whether it was revealed, show the answer given and no verdict.
  if (remembered === undefined) return { ...EMPTY_VIEW, selected: saved.selected };
  const correctChoices = remembered?.correctChoices ?? null;
  return {
    selected: saved.selected,
    outcome: 'incorrect',
    correctChoices,
    message: correctChoices
      ? `You missed this one last time. ${whereTheAnswerIs(shape, correctChoices)}`
      : `You missed this one last time — try again.${howMany(shape, remembered?.correctCount)}`,
  };
}
