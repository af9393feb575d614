'use client';

import {
  Children,
  createContext,
  isValidElement,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { useProgress } from '@/components/progress/ProgressProvider';
import type { QuizAnswerResult } from '@/lib/learner/contract';
import { fetchQuizAnswer, revealQuizAnswer } from './quiz-api';
import {
  answered,
  canReveal,
  nothingSelected,
  returning,
  revealed,
  toggleChoice,
  type QuizShape,
  type QuizView,
} from './quiz-state';

interface QuizState {
  name: string;
  multiple: boolean;
  selected: number[];
  /** The correct choices once the server has revealed them; null while hidden. */
  correctChoices: number[] | null;
  toggle(index: number): void;
}

const QuizContext = createContext<QuizState | undefined>(undefined);

function useQuiz(component: string): QuizState {
  const state = useContext(QuizContext);
  if (!state) throw new Error(`<${component}> must be placed inside <Quiz>.`);
  return state;
}

export interface QuizProps {
  id: string;
  question: string;
  /** Several choices may be correct; learners select all that apply. */
  multiple?: boolean;
  /** The quiz's element id, written in by the lesson compiler, so links can reach it. */
  anchor?: string;
  /** The lesson the quiz belongs to, supplied by the lesson page. */
  lessonId: string;
  children: ReactNode;
}

/**
 * A question with single or multiple choices. The server grades each answer
 * and keeps the answer key: a first wrong answer gets a nudge and a retry, and
 * the correct choices and the explanation appear after a right answer, a
 * second wrong one, or "Show answer". A returning learner sees their last
 * answer, and a missed quiz is offered again, revealed only if it had been.
 */
export function Quiz({ id, question, multiple = false, anchor, lessonId, children }: QuizProps) {
  const { progress, answerQuiz } = useProgress();
  const saved = progress?.quizAnswers.find((a) => a.lessonId === lessonId && a.quizId === id);
  // What the learner did on this visit; until they touch the quiz, it shows their saved answer.
  const [draft, setDraft] = useState<QuizView | undefined>(undefined);
  // The server's word on a saved wrong answer: was it revealed? undefined while unasked.
  const [remembered, setRemembered] = useState<QuizAnswerResult | null | undefined>(undefined);
  const [pending, setPending] = useState<'check' | 'reveal' | undefined>(undefined);
  const headingId = useId();
  const questionId = useId();
  const explanationRef = useRef<HTMLDivElement>(null);
  const checkRef = useRef<HTMLButtonElement>(null);
  const focusAfterReveal = useRef(false);

  // A Choice is known by the `index` the lesson compiler gives it, the position the server
  // grades. Not by its type: children rendered on the server reach this client component as
  // lazy references, never equal to Choice or Explanation themselves.
  const parts = Children.toArray(children);
  const isChoice = (child: ReactNode) =>
    isValidElement<{ index?: string }>(child) && child.props.index !== undefined;
  const choices = parts.filter(isChoice);
  const explanation = parts.filter((child) => !isChoice(child));
  const shape: QuizShape = { multiple, hasExplanation: explanation.length > 0 };

  const view = draft ?? returning(saved, remembered, shape);
  const { selected, outcome, correctChoices, message } = view;

  // Progress does not say whether a missed answer was revealed; the server does.
  const needsRemembered = draft === undefined && saved !== undefined && !saved.correct;
  useEffect(() => {
    if (!needsRemembered) return;
    let cancelled = false;
    fetchQuizAnswer({ lessonId, quizId: id }).then(
      (answer) => {
        if (!cancelled) setRemembered(answer);
      },
      () => {
        // Not knowing, offer the retry: the learner can still ask to see the answer.
        if (!cancelled) setRemembered(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [needsRemembered, lessonId, id]);

  // "Show answer" disappears once pressed: keyboard and screen reader users go on to what it revealed.
  useEffect(() => {
    if (!focusAfterReveal.current || correctChoices === null) return;
    focusAfterReveal.current = false;
    (explanationRef.current ?? checkRef.current)?.focus();
  }, [correctChoices]);

  const toggle = (index: number) => setDraft(toggleChoice(view, index, multiple));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (selected.length === 0) {
      setDraft(nothingSelected(view, shape));
      return;
    }
    setPending('check');
    try {
      setDraft(answered(selected, await answerQuiz(lessonId, id, selected), shape));
    } catch (error) {
      setDraft({ ...view, message: `Your answer could not be saved: ${(error as Error).message}` });
    } finally {
      setPending(undefined);
    }
  };

  const showAnswer = async () => {
    if (pending) return;
    setPending('reveal');
    try {
      const result = await revealQuizAnswer({ lessonId, quizId: id });
      focusAfterReveal.current = true;
      setDraft(revealed(view, result, shape));
    } catch (error) {
      setDraft({ ...view, message: `The answer could not be shown: ${(error as Error).message}` });
    } finally {
      setPending(undefined);
    }
  };

  const state: QuizState = {
    name: `quiz-${lessonId}-${id}`,
    multiple,
    selected,
    correctChoices,
    toggle,
  };

  return (
    <section
      id={anchor}
      // Named by its question too, so each quiz is its own region in a screen reader's list.
      aria-labelledby={`${headingId} ${questionId}`}
      className="not-prose my-8 rounded-lg border border-slate-300 p-4 target:ring-2 target:ring-brand-600 sm:p-5 dark:border-slate-600 dark:target:ring-brand-300"
      data-quiz={id}
    >
      <p
        id={headingId}
        className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400"
      >
        Check your understanding
      </p>
      <form onSubmit={submit}>
        <fieldset>
          <legend className="mt-1 mb-3 font-semibold text-slate-900 dark:text-slate-100">
            <span id={questionId}>{question}</span>
            {multiple && (
              <span className="ml-1 font-normal text-slate-600 dark:text-slate-400">
                (select all that apply)
              </span>
            )}
          </legend>
          <QuizContext.Provider value={state}>
            <div className="space-y-2">{choices}</div>
          </QuizContext.Provider>
        </fieldset>
        {/* The status line sits below the choices and above the explanation: its messages say so. */}
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <button
            ref={checkRef}
            type="submit"
            aria-disabled={pending !== undefined}
            className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 aria-disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-white"
          >
            {pending === 'check' ? 'Checking…' : 'Check answer'}
          </button>
          {canReveal(view) && (
            <button
              type="button"
              onClick={showAnswer}
              aria-disabled={pending !== undefined}
              className="rounded-md border border-slate-400 px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 aria-disabled:opacity-60 dark:border-slate-500 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              {pending === 'reveal' ? 'Showing…' : 'Show answer'}
            </button>
          )}
          <p
            role="status"
            aria-live="polite"
            className={`text-sm font-medium ${outcome === 'correct' ? 'text-emerald-700 dark:text-emerald-400' : outcome === 'incorrect' ? 'text-red-700 dark:text-red-400' : 'text-slate-700 dark:text-slate-300'}`}
          >
            {message}
          </p>
        </div>
        {correctChoices !== null && explanation.length > 0 && (
          <div ref={explanationRef} tabIndex={-1} data-quiz-explanation>
            <QuizContext.Provider value={state}>{explanation}</QuizContext.Provider>
          </div>
        )}
      </form>
    </section>
  );
}

/**
 * One answer of a <Quiz>. Authors mark right answers with `correct`; the
 * lesson compiler records those for the server and leaves them out of the page.
 */
export function Choice({ index, children }: { index?: string; children: ReactNode }) {
  const quiz = useQuiz('Choice');
  const position = Number(index);
  const checked = quiz.selected.includes(position);
  const isAnswer = quiz.correctChoices?.includes(position) ?? false;
  const wrongPick = quiz.correctChoices !== null && checked && !isAnswer;
  const border = isAnswer
    ? 'border-emerald-600 dark:border-emerald-400'
    : wrongPick
      ? 'border-red-600 dark:border-red-400'
      : 'border-slate-200 dark:border-slate-700';
  return (
    <label
      className={`flex cursor-pointer items-start gap-3 rounded-md border px-3 py-2 text-slate-800 hover:bg-slate-50 dark:text-slate-200 dark:hover:bg-slate-900 ${border}`}
    >
      <input
        type={quiz.multiple ? 'checkbox' : 'radio'}
        name={quiz.name}
        value={position}
        checked={checked}
        onChange={() => quiz.toggle(position)}
        className="mt-1 size-4 shrink-0 accent-brand-600"
      />
      <span className="[&>p]:m-0">
        {children}{' '}
        {isAnswer && (
          <span className="ml-1 text-sm font-semibold text-emerald-700 dark:text-emerald-400">
            Correct answer
          </span>
        )}
        {wrongPick && (
          <span className="ml-1 text-sm font-semibold text-red-700 dark:text-red-400">
            Your choice
          </span>
        )}
      </span>
    </label>
  );
}

/** Why the answer is what it is; shown with the correct choices. */
export function Explanation({ children }: { children: ReactNode }) {
  const quiz = useQuiz('Explanation');
  if (quiz.correctChoices === null) return null;
  return (
    <div className="mt-4 rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-800 dark:bg-slate-900 dark:text-slate-200 [&>p]:my-1">
      <p className="font-semibold">Explanation</p>
      {children}
    </div>
  );
}
