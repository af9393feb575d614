'use client';

import {
  useDeferredValue,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type UIEvent,
} from 'react';
import {
  checkPolicyLab,
  MAX_POLICY_TEXT_CHARS,
  ROLE_POLICY_QUOTA_CHARS,
  type PolicyLabOutcome,
  type PolicyLabView,
  type PolicyProblem,
  type ProblemSeverity,
} from '@/lib/iam/contract';
import { SECONDARY_BUTTON } from './controls';
import {
  DECISION_LABELS,
  lineCount,
  offsetOf,
  paragraphsOf,
  problemSummary,
  SEVERITY_LABELS,
  SEVERITY_MARKS,
  worstProblemByLine,
} from './policy-editor';
import { readSavedPolicy, writeSavedPolicy } from './policy-storage';

/** The editor's line height in pixels (Tailwind's leading-5): the gutter's numbers line up with it. */
const LINE_HEIGHT_PX = 20;
/** Quiet time before the goal's status changes, so a screen reader is not told about every keystroke. */
const STATUS_SETTLE_MS = 700;
const RESET_QUESTION =
  'Replace your policy with the starter? Your changes to this lab will be lost.';

const SEVERITY_STYLES: Readonly<Record<ProblemSeverity, string>> = {
  error: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  warning: 'bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-200',
  unsupported: 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-slate-100',
};

type SaveState = 'idle' | 'saved' | 'refused';

function subscribeToStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

/** A value that follows `value` once it has stopped changing for `delayMs`. */
function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * `<PolicyLab id="…" />`: the learner narrows an execution role's policy until
 * the function's calls get the decisions the goal asks for. The lesson page
 * passes the lab; without it (an author mid-edit) the lab says it could not be loaded.
 */
export function PolicyLab({ lab }: { lab: PolicyLabView | undefined }) {
  if (!lab) {
    return (
      <p
        role="alert"
        className="not-prose my-6 rounded-md border border-red-300 p-4 text-red-800 dark:border-red-800 dark:text-red-300"
      >
        This policy lab could not be loaded. Run <code>npm run content:check</code> to see why.
      </p>
    );
  }
  return <PolicyLabClient lab={lab} />;
}

/**
 * The lab itself: a JSON editor with line numbers, evaluated in the browser as
 * the learner types by the course's IAM simulator (lib/iam/contract), the
 * calls' decisions against the goal, and the policy's problems at their lines.
 * The policy is kept in this browser's localStorage.
 */
function PolicyLabClient({ lab }: { lab: PolicyLabView }) {
  const baseId = useId();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const stored = useSyncExternalStore(
    subscribeToStorage,
    () => readSavedPolicy(lab.id),
    () => undefined,
  );
  const [edited, setEdited] = useState<string>();
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const text = edited ?? stored ?? lab.starter;

  // Typing stays smooth on a long policy: the report follows the text a frame behind when it must.
  const evaluated = useDeferredValue(text);
  const report = useMemo(() => checkPolicyLab(lab, evaluated), [lab, evaluated]);
  const goal = useSettled(report.goal, STATUS_SETTLE_MS);
  const lines = lineCount(text);
  // The gutter is rebuilt when a line is added or removed or a marker moves, not on every keystroke.
  const marksKey = JSON.stringify([...worstProblemByLine(report.problems)]);
  const gutter = useMemo(
    () => gutterRows(lines, new Map(JSON.parse(marksKey) as [number, ProblemSeverity][])),
    [lines, marksKey],
  );
  const nonWhitespace = text.replace(/[ \t\r\n]/g, '').length;

  const edit = (next: string) => {
    setEdited(next);
    setSaveState(writeSavedPolicy(lab.id, next) ? 'saved' : 'refused');
  };

  const reset = () => {
    if (!window.confirm(RESET_QUESTION)) return;
    writeSavedPolicy(lab.id, undefined);
    setEdited(undefined);
    setSaveState('idle');
  };

  const reveal = (line: number, column: number) => {
    const editor = editorRef.current;
    if (!editor) return;
    const offset = offsetOf(text, line, column);
    editor.focus();
    editor.setSelectionRange(offset, offset);
    editor.scrollTop = Math.max(0, (line - 3) * LINE_HEIGHT_PX);
  };

  const followScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutterRef.current) gutterRef.current.scrollTop = event.currentTarget.scrollTop;
  };

  const saveLabel =
    saveState === 'refused'
      ? 'Not saved: this browser does not allow it'
      : saveState === 'saved' || stored !== undefined
        ? 'Saved in this browser'
        : 'Starter policy';
  const headingId = `${baseId}-heading`;
  const editorId = `${baseId}-editor`;
  const problemsId = `${baseId}-problems`;
  const hasErrors = report.problems.some((p) => p.severity === 'error');

  return (
    <section
      aria-labelledby={headingId}
      data-policy-lab={lab.id}
      className="not-prose @container my-8 scroll-mt-16 rounded-lg border border-slate-300 bg-white text-slate-900 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
    >
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <div>
          <p className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
            Policy lab
          </p>
          <h3 id={headingId} className="font-semibold">
            {lab.title}
            {goal.met && (
              <span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 text-xs font-bold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                ✓ Goal met
              </span>
            )}
          </h3>
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {saveLabel}
        </p>
      </header>

      <div className="space-y-2 px-4 pt-3 text-sm leading-6 text-slate-800 dark:text-slate-200">
        {paragraphsOf(lab.scenario).map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </div>

      <div className="grid gap-4 p-4 @5xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-2">
          <label htmlFor={editorId} className="block text-sm font-medium">
            Execution role policy (JSON)
          </label>
          <p id={`${editorId}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            Checked as you type. Tab moves to the next control, so indent with spaces. The simulator
            evaluates a documented subset of IAM; its limits are listed under the table.
          </p>
          <div className="flex overflow-hidden rounded border border-slate-300 font-mono text-sm dark:border-slate-600">
            <div
              ref={gutterRef}
              aria-hidden="true"
              className="shrink-0 overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right text-slate-500 select-none dark:border-slate-700 dark:bg-slate-900 dark:text-slate-400"
              style={{ height: editorHeight(lines) }}
            >
              {gutter}
            </div>
            <textarea
              ref={editorRef}
              id={editorId}
              value={text}
              onChange={(event) => edit(event.target.value)}
              onScroll={followScroll}
              rows={editorRows(lines)}
              style={{ height: editorHeight(lines) }}
              maxLength={MAX_POLICY_TEXT_CHARS}
              wrap="off"
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              autoCorrect="off"
              aria-invalid={hasErrors}
              aria-describedby={`${editorId}-hint ${problemsId}-summary`}
              className="min-w-0 flex-1 resize-none bg-white px-3 py-2 leading-5 text-slate-900 focus:outline-2 focus:outline-offset-[-2px] focus:outline-brand-600 dark:bg-slate-950 dark:text-slate-100"
            />
          </div>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {nonWhitespace.toLocaleString('en-US')} of{' '}
              {ROLE_POLICY_QUOTA_CHARS.toLocaleString('en-US')} characters IAM allows a role&apos;s
              inline policies (whitespace not counted)
            </p>
            <button type="button" onClick={reset} className={SECONDARY_BUTTON}>
              Reset to starter
            </button>
          </div>
        </div>

        <div className="min-w-0 space-y-4">
          <p
            role="status"
            className={`rounded-md border px-3 py-2 text-sm font-medium ${
              goal.met
                ? 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-100'
                : 'border-slate-300 bg-slate-50 text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100'
            }`}
          >
            {goal.met ? '✓ ' : '✗ '}
            {goal.summary}
          </p>
          <CallsTable baseId={baseId} outcomes={report.outcomes} />
          <ProblemList id={problemsId} problems={report.problems} onReveal={reveal} />
          <p className="text-xs text-slate-600 dark:text-slate-400">
            The simulator evaluates identity-based policies within one account: Effect, Action,
            NotAction, Resource, NotResource, and conditions with the String, ARN, Bool and Null
            operators on the keys these calls carry. Anything else IAM offers is marked &ldquo;Not
            evaluated&rdquo; rather than guessed. Your policy is kept in this browser only.
          </p>
        </div>
      </div>
    </section>
  );
}

/** The line numbers beside the editor, each with its most serious problem's mark. */
function gutterRows(lines: number, marks: ReadonlyMap<number, ProblemSeverity>) {
  return Array.from({ length: lines }, (_, index) => {
    const mark = marks.get(index + 1);
    return (
      <div
        key={index}
        className={`flex h-5 items-center justify-end gap-1 px-2 leading-5 ${mark === 'error' ? 'font-bold text-red-800 dark:text-red-300' : mark === 'warning' ? 'text-amber-900 dark:text-amber-300' : ''}`}
      >
        <span className="w-2 text-center">{mark ? SEVERITY_MARKS[mark] : ''}</span>
        {index + 1}
      </div>
    );
  });
}

/** Rows the editor shows: the policy's lines, within a comfortable range. */
function editorRows(lines: number): number {
  return Math.min(Math.max(lines, 14), 28);
}

/** The editor's and the gutter's height, the same for both so the line numbers stay beside their lines. */
function editorHeight(lines: number): string {
  // py-2 above and below.
  return `${editorRows(lines) * LINE_HEIGHT_PX + 16}px`;
}

function CallsTable({ baseId, outcomes }: { baseId: string; outcomes: PolicyLabOutcome[] }) {
  const captionId = `${baseId}-calls`;
  return (
    <div
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-700"
    >
      <table className="w-full border-collapse text-left text-sm">
        <caption id={captionId} className="px-3 pt-2 pb-1 text-left font-semibold">
          The function&apos;s calls under your policy
        </caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className="px-3 py-2">
              Call
            </th>
            <th scope="col" className="px-3 py-2">
              Action and resource
            </th>
            <th scope="col" className="px-3 py-2">
              Goal
            </th>
            <th scope="col" className="px-3 py-2">
              Decision
            </th>
            <th scope="col" className="px-3 py-2">
              Meets the goal
            </th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map(({ call, result, meetsGoal }, index) => (
            <tr key={index} className="border-t border-slate-200 align-top dark:border-slate-700">
              <th scope="row" className="px-3 py-2 font-medium">
                {call.title}
              </th>
              <td className="px-3 py-2">
                <code className="font-semibold">{call.action}</code>
                <br />
                <code className="text-xs break-all text-slate-700 dark:text-slate-300">
                  {call.resource}
                </code>
              </td>
              <td className="px-3 py-2">{call.needed ? 'Allowed' : 'Denied'}</td>
              <td className="px-3 py-2">
                <span className="font-medium">{DECISION_LABELS[result.decision]}</span>
                <p className="text-xs text-slate-700 dark:text-slate-300">{result.summary}</p>
                {result.statements.length > 0 && (
                  <details className="mt-1 text-xs">
                    <summary className="cursor-pointer text-brand-700 underline dark:text-brand-300">
                      Each statement
                    </summary>
                    <ul className="mt-1 list-disc space-y-1 pl-4 text-slate-700 dark:text-slate-300">
                      {result.statements.map((verdict, i) => (
                        <li key={i}>
                          <span className="font-semibold">{verdict.statement}</span> (
                          {verdict.effect}): {verdict.reason}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </td>
              <td
                className={`px-3 py-2 font-semibold ${meetsGoal ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-800 dark:text-red-300'}`}
              >
                {meetsGoal ? '✓ Yes' : '✗ No'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProblemList({
  id,
  problems,
  onReveal,
}: {
  id: string;
  problems: PolicyProblem[];
  onReveal(line: number, column: number): void;
}) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`} className="text-sm font-semibold">
        Problems in the policy
      </h4>
      <p id={`${id}-summary`} className="text-xs text-slate-600 dark:text-slate-400">
        {problemSummary(problems)}
      </p>
      {problems.length > 0 && (
        <ul className="mt-2 space-y-2 text-sm">
          {problems.map((problem, index) => (
            <li key={index} className="flex items-start gap-2">
              <span
                className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-bold ${SEVERITY_STYLES[problem.severity]}`}
              >
                {SEVERITY_LABELS[problem.severity]}
              </span>
              <span className="min-w-0">
                <button
                  type="button"
                  onClick={() => onReveal(problem.line, problem.column)}
                  className="font-medium text-brand-700 underline dark:text-brand-300"
                >
                  Line {problem.line}, column {problem.column}
                </button>
                : <span className="break-words">{problem.message}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
