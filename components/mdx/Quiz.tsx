'use client';

import {
  Children,
  createContext,
  isValidElement,
  useContext,
  useId,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { useProgress } from '@/components/progress/ProgressProvider';

type Outcome = 'correct' | 'incorrect';

interface QuizView {
  selected: number[];
  outcome: Outcome | undefined;
  message: string;
}

const EMPTY_VIEW: QuizView = { selected: [], outcome: undefined, message: '' };

interface QuizState {
  name: string;
  multiple: boolean;
  selected: number[];
  correctChoices: number[];
  outcome: Outcome | undefined;
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
  /** The answer key, written in by the lesson compiler: correct choice indexes, "0,2". */
  answer?: string;
  /** The lesson the quiz belongs to, supplied by the lesson page. */
  lessonId: string;
  children: ReactNode;
}

/**
 * A question with single or multiple choices. The server grades and stores the
 * answer in the learner's progress; a returning learner sees their last answer.
 */
export function Quiz({
  id,
  question,
  multiple = false,
  answer = '',
  lessonId,
  children,
}: QuizProps) {
  const { progress, answerQuiz } = useProgress();
  const saved = progress?.quizAnswers.find((a) => a.lessonId === lessonId && a.quizId === id);
  const answerKey = answer === '' ? [] : answer.split(',').map(Number);
  const [draft, setDraft] = useState<QuizView | undefined>(undefined);
  const [pending, setPending] = useState(false);
  const headingId = useId();

  // Until the learner touches the quiz, it shows their saved answer, if any.
  const view: QuizView =
    draft ??
    (saved
      ? {
          selected: saved.selected,
          outcome: saved.correct ? 'correct' : 'incorrect',
          message: saved.correct
            ? 'You answered this correctly before.'
            : 'Your last answer was not right. Try again.',
        }
      : EMPTY_VIEW);
  const { selected, outcome, message } = view;

  const toggle = (index: number) => {
    const next = multiple
      ? selected.includes(index)
        ? selected.filter((i) => i !== index)
        : [...selected, index]
      : [index];
    setDraft({ selected: next, outcome: undefined, message: '' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (selected.length === 0) {
      setDraft({
        ...view,
        message: multiple
          ? 'Select every answer you think is right, then check.'
          : 'Choose an answer first.',
      });
      return;
    }
    setPending(true);
    try {
      const result = await answerQuiz(lessonId, id, selected);
      const verdict = result.correct
        ? 'Correct!'
        : multiple
          ? 'Not quite: the correct answers are marked below.'
          : 'Not quite: the correct answer is marked below.';
      setDraft({ selected, outcome: result.correct ? 'correct' : 'incorrect', message: verdict });
    } catch (error) {
      setDraft({ ...view, message: `Your answer could not be saved: ${(error as Error).message}` });
    } finally {
      setPending(false);
    }
  };

  const parts = Children.toArray(children);
  const isExplanation = (child: ReactNode) => isValidElement(child) && child.type === Explanation;
  const choices = parts.filter((child) => !isExplanation(child));
  const explanation = parts.filter(isExplanation);
  const state: QuizState = {
    name: `quiz-${lessonId}-${id}`,
    multiple,
    selected,
    correctChoices: outcome ? answerKey : [],
    outcome,
    toggle,
  };

  return (
    <section
      aria-labelledby={headingId}
      className="not-prose my-8 rounded-lg border border-slate-300 p-4 sm:p-5 dark:border-slate-600"
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
            {question}
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
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-white"
          >
            {pending ? 'Checking…' : 'Check answer'}
          </button>
          <p
            role="status"
            aria-live="polite"
            className={`text-sm font-medium ${outcome === 'correct' ? 'text-emerald-700 dark:text-emerald-400' : outcome === 'incorrect' ? 'text-red-700 dark:text-red-400' : 'text-slate-700 dark:text-slate-300'}`}
          >
            {message}
          </p>
        </div>
        <QuizContext.Provider value={state}>{explanation}</QuizContext.Provider>
      </form>
    </section>
  );
}

/** One answer of a <Quiz>; mark right answers with `correct`. */
export function Choice({
  index,
  children,
}: {
  index?: string;
  correct?: boolean;
  children: ReactNode;
}) {
  const quiz = useQuiz('Choice');
  const position = Number(index);
  const checked = quiz.selected.includes(position);
  const isAnswer = quiz.correctChoices.includes(position);
  const border = quiz.outcome
    ? isAnswer
      ? 'border-emerald-600 dark:border-emerald-400'
      : checked
        ? 'border-red-600 dark:border-red-400'
        : 'border-slate-200 dark:border-slate-700'
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
        {children}
        {quiz.outcome && isAnswer && (
          <span className="ml-2 text-sm font-semibold text-emerald-700 dark:text-emerald-400">
            Correct answer
          </span>
        )}
        {quiz.outcome && checked && !isAnswer && (
          <span className="ml-2 text-sm font-semibold text-red-700 dark:text-red-400">
            Your choice
          </span>
        )}
      </span>
    </label>
  );
}

/** Why the answer is what it is; shown once the learner has answered. */
export function Explanation({ children }: { children: ReactNode }) {
  const quiz = useQuiz('Explanation');
  if (!quiz.outcome) return null;
  return (
    <div className="mt-4 rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-800 dark:bg-slate-900 dark:text-slate-200 [&>p]:my-1">
      <p className="font-semibold">Explanation</p>
      {children}
    </div>
  );
}
