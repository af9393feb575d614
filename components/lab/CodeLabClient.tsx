'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useProgress } from '@/components/progress/ProgressProvider';
import type { CheckResult } from '@/lib/labs/checks';
import type { LabSourceFile } from '@/lib/labs/lab-loader';
import type { LabSettings } from '@/lib/labs/lab-service';
import type { LabView } from '@/lib/labs/lab-view';
import { SWEEP_MEMORY_SIZES_MB } from '@/lib/labs/report-view';
import type { InvocationReport } from '@/lib/runner/pool';
import { InvocationChart } from './InvocationChart';
import { labApi, type BurstResult, type RunRequest, type RunResult } from './lab-api';
import { LabOutput, StartBadge } from './LabOutput';
import { SweepChart, type SweepPoint } from './SweepChart';

// Monaco is large and browser-only: it loads after the lesson's text, and only once the lab is on screen.
const CodeEditor = dynamic(() => import('./CodeEditor').then((m) => m.CodeEditor), { ssr: false, loading: () => <EditorPlaceholder /> });
const SolutionDiff = dynamic(() => import('./CodeEditor').then((m) => m.SolutionDiff), { ssr: false });

type Busy = 'run' | 'burst' | 'sweep' | 'check' | undefined;
interface EnvironmentRow {
  key: string;
  value: string;
}

const AUTOSAVE_DELAY_MS = 700;

function rowsOf(environment: Record<string, string>): EnvironmentRow[] {
  return Object.entries(environment).map(([key, value]) => ({ key, value }));
}

/** What is wrong with the settings, per field; empty when they can run. */
function settingsProblems(memory: string, timeout: string, rows: EnvironmentRow[], eventText: string): Record<string, string> {
  const problems: Record<string, string> = {};
  const memoryMb = Number(memory);
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10_240) problems.memory = 'Memory is a whole number of MB from 128 to 10,240.';
  const timeoutS = Number(timeout);
  if (!Number.isInteger(timeoutS) || timeoutS < 1 || timeoutS > 900) problems.timeout = 'The timeout is a whole number of seconds from 1 to 900.';
  rows.forEach((row, index) => {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(row.key)) problems[`env${index}`] = 'Names start with a letter and use letters, digits and _.';
    else if (rows.findIndex((other) => other.key === row.key) !== index) problems[`env${index}`] = `"${row.key}" is set twice.`;
  });
  try {
    JSON.parse(eventText);
  } catch (error) {
    problems.event = `The event is not valid JSON: ${(error as Error).message}`;
  }
  return problems;
}

/**
 * A code lab: edit a handler, run it in the course's Lambda-like runner and
 * read what Lambda would report. Everything the learner changes is saved to
 * their workspace and comes back on reload.
 */
export function CodeLabClient({ lab }: { lab: LabView }) {
  const baseId = useId();
  const { progress, reload: reloadProgress } = useProgress();
  const [files, setFiles] = useState<LabSourceFile[]>(lab.files);
  const [active, setActive] = useState(0);
  const [memory, setMemory] = useState(String(lab.memoryMb));
  const [timeout, setTimeoutText] = useState(String(lab.timeoutS));
  const [envRows, setEnvRows] = useState<EnvironmentRow[]>(rowsOf(lab.environment));
  const [eventText, setEventText] = useState(lab.events[0]?.text ?? '{}');
  const [loaded, setLoaded] = useState(false);
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'unsaved' | 'error' | 'starter'>('starter');
  const [busy, setBusy] = useState<Busy>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();
  const [lastRun, setLastRun] = useState<RunResult>();
  const [history, setHistory] = useState<InvocationReport[]>([]);
  const [burstCount, setBurstCount] = useState('10');
  const [burstReserved, setBurstReserved] = useState('');
  const [burst, setBurst] = useState<BurstResult>();
  const [sweep, setSweep] = useState<SweepPoint[]>([]);
  const [checks, setChecks] = useState<CheckResult[]>();
  const [hintsShown, setHintsShown] = useState(0);
  const [solution, setSolution] = useState<LabSourceFile[]>();
  const [freshNext, setFreshNext] = useState(false);
  const [visible, setVisible] = useState(false);
  const [narrow, setNarrow] = useState(false);
  const rootRef = useRef<HTMLElement>(null);
  const editedRef = useRef(false);

  const problems = settingsProblems(memory, timeout, envRows, eventText);
  const canRun = Object.keys(problems).length === 0 && busy === undefined;
  const exercisePassed = progress?.passedExercises.some((p) => p.labId === lab.id) ?? false;

  // The editor mounts when the lab nears the screen; phones get a plain text area, which reads and types better there.
  useEffect(() => {
    const node = rootRef.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    }, { rootMargin: '400px' });
    observer.observe(node);
    const query = window.matchMedia('(max-width: 639px)');
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener('change', update);
    return () => {
      observer.disconnect();
      query.removeEventListener('change', update);
    };
  }, []);

  // The learner's saved copy replaces the starter once, when the lab first loads.
  useEffect(() => {
    let cancelled = false;
    labApi
      .loadSave(lab.id)
      .then((saved) => {
        if (cancelled || !saved || editedRef.current) return;
        setFiles(lab.files.map((starter) => saved.files.find((f) => f.path === starter.path) ?? starter));
        setMemory(String(saved.settings.memoryMb));
        setTimeoutText(String(saved.settings.timeoutS));
        setEnvRows(rowsOf(saved.settings.environment));
        setEventText(saved.settings.eventText);
        setSaveState('saved');
      })
      .catch(() => setSaveState('error'))
      .finally(() => !cancelled && setLoaded(true));
    return () => {
      cancelled = true;
    };
  }, [lab.id, lab.files]);

  // Coming back to a lab shows its last run and the chart of recent runs, not an empty panel.
  useEffect(() => {
    let cancelled = false;
    labApi
      .recent(lab.functionName)
      .then((records) => {
        if (cancelled || records.length === 0) return;
        const withReports = records.filter((r) => r.report);
        setHistory((current) => (current.length > 0 ? current : withReports.map((r) => r.report!).reverse()));
        setLastRun((current) => current ?? withReports[0]);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [lab.functionName]);

  const currentSettings = useCallback(
    (): LabSettings => ({ memoryMb: Number(memory), timeoutS: Number(timeout), environment: Object.fromEntries(envRows.map((r) => [r.key, r.value])), eventText }),
    [memory, timeout, envRows, eventText],
  );

  // Autosave, a moment after the learner stops typing. Invalid settings are not saved (the server would refuse them).
  const pendingSave = useRef<{ files: LabSourceFile[]; settings: LabSettings } | undefined>(undefined);
  useEffect(() => {
    if (!loaded || !editedRef.current || Object.keys(problems).some((key) => key !== 'event')) return;
    setSaveState('unsaved');
    const save = { files, settings: currentSettings() };
    pendingSave.current = save;
    const timer = window.setTimeout(() => {
      setSaveState('saving');
      labApi
        .save(lab.id, save.files, save.settings)
        .then(() => {
          if (pendingSave.current === save) pendingSave.current = undefined;
          setSaveState('saved');
        })
        .catch(() => setSaveState('error'));
    }, AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
    // problems is derived from the values below; listing it would re-run on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, files, memory, timeout, envRows, eventText, lab.id, currentSettings]);

  // Leaving the page inside the autosave delay still keeps the last keystrokes: the request outlives the page.
  useEffect(() => {
    const flush = () => {
      const save = pendingSave.current;
      if (save) labApi.saveOnExit(lab.id, save.files, save.settings);
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [lab.id]);

  const edit = <T,>(setter: (value: T) => void) => (value: T) => {
    editedRef.current = true;
    setter(value);
  };
  const editFile = (content: string) => {
    editedRef.current = true;
    setFiles((current) => current.map((f, i) => (i === active ? { ...f, content } : f)));
  };

  const runRequest = (overrides: Partial<RunRequest> = {}): RunRequest => ({
    runtime: lab.runtime,
    handler: lab.handler,
    memoryMb: Number(memory),
    timeoutS: Number(timeout),
    environment: Object.fromEntries(envRows.map((r) => [r.key, r.value])),
    files,
    event: JSON.parse(eventText) as unknown,
    newEnvironment: false,
    ...overrides,
  });

  // A ref, not the state: two triggers in one event (a key and a click) must not both get through.
  const busyRef = useRef(false);
  const guarded = async (kind: Exclude<Busy, undefined>, work: () => Promise<void>) => {
    if (busyRef.current) return;
    if (Object.keys(problems).length > 0) {
      setError(`Fix the settings first: ${Object.values(problems)[0]}`);
      return;
    }
    busyRef.current = true;
    setBusy(kind);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError((caught as Error).message);
      setStatus('');
    } finally {
      busyRef.current = false;
      setBusy(undefined);
    }
  };

  const run = () =>
    guarded('run', async () => {
      const newEnvironment = freshNext;
      setStatus(newEnvironment ? 'Running in a new environment…' : 'Running…');
      const result = await labApi.run(lab.functionName, runRequest({ newEnvironment }));
      setFreshNext(false);
      setLastRun(result);
      if (result.report) setHistory((h) => [...h, result.report!]);
      const report = result.report;
      setStatus(report ? `Run finished: ${report.coldStart ? 'cold start' : 'warm start'}${result.errorType ? `, failed with ${result.errorType}` : ''}, Duration ${report.durationMs.toFixed(2)} ms.` : 'Run finished.');
    });

  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  const runFromKeyboard = useCallback(() => void runRef.current(), []);

  const runBurst = () =>
    guarded('burst', async () => {
      const count = Number(burstCount);
      const reserved = burstReserved.trim() === '' ? null : Number(burstReserved);
      if (!Number.isInteger(count) || count < 1 || count > 50) throw new Error('A burst is 1 to 50 invocations.');
      if (reserved !== null && (!Number.isInteger(reserved) || reserved < 0 || reserved > 50)) throw new Error('Reserved concurrency is a whole number from 0 to 50, or empty for none.');
      setStatus(`Firing ${count} invocations at once…`);
      const result = await labApi.burst(lab.functionName, { ...runRequest({ newEnvironment: freshNext }), count, reservedConcurrency: reserved });
      setFreshNext(false);
      setBurst(result);
      setHistory((h) => [...h, ...result.invocations.flatMap((i) => (i.report ? [i.report] : []))]);
      setStatus(`Burst finished: ${result.environments} environments, ${result.coldStarts} cold starts, ${result.throttled} throttled.`);
    });

  const runSweep = () =>
    guarded('sweep', async () => {
      const points: SweepPoint[] = [];
      setSweep([]);
      for (const memoryMb of SWEEP_MEMORY_SIZES_MB) {
        setStatus(`Memory sweep: running at ${memoryMb.toLocaleString('en-US')} MB…`);
        // The first call at a new size is cold; the second, warm one is what a steady stream of requests costs.
        await labApi.run(lab.functionName, runRequest({ memoryMb }));
        const warm = await labApi.run(lab.functionName, runRequest({ memoryMb }));
        if (!warm.report) throw new Error(`The run at ${memoryMb} MB produced no report.`);
        if (warm.errorType) throw new Error(`At ${memoryMb} MB the handler failed with ${warm.errorType}; fix it and sweep again.`);
        points.push({ memoryMb, durationMs: warm.report.durationMs, costUsd: warm.report.costUsd });
        setSweep([...points]);
      }
      setStatus('Memory sweep finished.');
    });

  const runChecks = () =>
    guarded('check', async () => {
      setStatus('Checking your code…');
      const result = await labApi.check(lab.id, files);
      setChecks(result.results);
      const failed = result.results.filter((r) => !r.passed).length;
      setStatus(result.passed ? 'Every check passed: exercise complete.' : `${failed} of ${result.results.length} checks failed.`);
      if (result.passed) await reloadProgress().catch(() => undefined);
    });

  const showSolution = async () => {
    try {
      setSolution((await labApi.solution(lab.id)).files);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const resetToStarter = async () => {
    if (!window.confirm('Replace your code and settings with the starter? Your changes to this lab will be lost.')) return;
    try {
      pendingSave.current = undefined;
      await labApi.reset(lab.id);
      editedRef.current = false;
      setFiles(lab.files);
      setMemory(String(lab.memoryMb));
      setTimeoutText(String(lab.timeoutS));
      setEnvRows(rowsOf(lab.environment));
      setEventText(lab.events[0]?.text ?? '{}');
      setSaveState('starter');
      setStatus('Reset to the starter code and settings.');
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // Inside Monaco the editor's own command runs the code; this covers every other field of the lab.
    if ((event.target as Element).closest('.monaco-editor')) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  };

  const file = files[active] ?? files[0]!;
  const headingId = `${baseId}-heading`;
  const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50';
  const secondary = `${button} border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800`;
  const input = 'w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100';

  return (
    <section ref={rootRef} aria-labelledby={headingId} onKeyDown={onKeyDown} data-lab={lab.id} className="not-prose my-8 rounded-lg border border-slate-300 dark:border-slate-600">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <div>
          <p className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">{lab.exercise ? 'Exercise' : 'Code lab'}</p>
          <h3 id={headingId} className="font-semibold text-slate-900 dark:text-slate-100">
            {lab.title}
            {exercisePassed && <span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 text-xs font-bold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">✓ Done</span>}
          </h3>
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {saveState === 'saving' ? 'Saving…' : saveState === 'saved' ? 'Saved' : saveState === 'error' ? 'Not saved: the server could not be reached' : saveState === 'unsaved' ? 'Unsaved changes' : 'Starter code'}
        </p>
      </header>

      <div className="grid gap-0 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 border-slate-200 lg:border-r dark:border-slate-700">
          <div role="tablist" aria-label="Files" className="flex flex-wrap gap-1 border-b border-slate-200 px-2 pt-2 dark:border-slate-700">
            {files.map((f, index) => (
              <button
                key={f.path}
                type="button"
                role="tab"
                id={`${baseId}-tab-${index}`}
                aria-selected={index === active}
                aria-controls={`${baseId}-editor`}
                tabIndex={index === active ? 0 : -1}
                onClick={() => setActive(index)}
                onKeyDown={(event) => {
                  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                    const next = (active + (event.key === 'ArrowRight' ? 1 : files.length - 1)) % files.length;
                    setActive(next);
                    document.getElementById(`${baseId}-tab-${next}`)?.focus();
                  }
                }}
                className="rounded-t border border-b-0 border-slate-300 px-3 py-1 font-mono text-xs aria-selected:bg-slate-100 aria-selected:font-bold dark:border-slate-600 dark:aria-selected:bg-slate-800"
              >
                {f.path}
              </button>
            ))}
          </div>
          <div id={`${baseId}-editor`} role="tabpanel" aria-labelledby={`${baseId}-tab-${active}`}>
            {narrow ? (
              <textarea
                aria-label={`${file.path}: code`}
                value={file.content}
                onChange={(e) => editFile(e.target.value)}
                spellCheck={false}
                autoCapitalize="off"
                autoCorrect="off"
                rows={14}
                className="block w-full resize-y bg-white p-3 font-mono text-[13px] leading-5 text-slate-900 dark:bg-slate-950 dark:text-slate-100"
              />
            ) : visible ? (
              <CodeEditor modelPath={`${lab.id}/${file.path}`} path={file.path} value={file.content} onChange={editFile} onRun={runFromKeyboard} label={`${file.path}: code editor. Press Control+Enter to run.`} />
            ) : (
              <EditorPlaceholder code={file.content} />
            )}
          </div>
          <p className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400">
            <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> runs. In the editor, Tab indents: press <kbd>Ctrl</kbd>+<kbd>M</kbd> (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>M</kbd> on a Mac) to make Tab move focus out instead, and again to switch back.
          </p>
        </div>

        <div className="min-w-0 space-y-4 p-4">
          <fieldset className="space-y-2">
            <legend className="text-sm font-semibold">Configuration</legend>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              Runtime <code>{lab.runtime}</code> · Handler <code>{lab.handler}</code>
            </p>
            <div className="grid grid-cols-2 gap-3">
              <Field id={`${baseId}-memory`} label="Memory (MB)" problem={problems.memory}>
                <input id={`${baseId}-memory`} type="number" inputMode="numeric" min={128} max={10240} step={1} list={`${baseId}-sizes`} value={memory} onChange={(e) => edit(setMemory)(e.target.value)} aria-invalid={problems.memory ? true : undefined} aria-describedby={problems.memory ? `${baseId}-memory-problem` : undefined} className={input} />
                <datalist id={`${baseId}-sizes`}>
                  {[128, 256, 512, 1024, 1769, 3008, 10240].map((size) => (
                    <option key={size} value={size} />
                  ))}
                </datalist>
              </Field>
              <Field id={`${baseId}-timeout`} label="Timeout (s)" problem={problems.timeout}>
                <input id={`${baseId}-timeout`} type="number" inputMode="numeric" min={1} max={900} step={1} value={timeout} onChange={(e) => edit(setTimeoutText)(e.target.value)} aria-invalid={problems.timeout ? true : undefined} aria-describedby={problems.timeout ? `${baseId}-timeout-problem` : undefined} className={input} />
              </Field>
            </div>
            <div>
              <p className="text-xs font-medium">Environment variables</p>
              {envRows.length === 0 && <p className="text-xs text-slate-600 dark:text-slate-400">None set.</p>}
              <ul className="space-y-1">
                {envRows.map((row, index) => (
                  <li key={index} className="grid grid-cols-[1fr_1fr_auto] items-start gap-1">
                    <input aria-label={`Variable ${index + 1} name`} value={row.key} onChange={(e) => edit(setEnvRows)(envRows.map((r, i) => (i === index ? { ...r, key: e.target.value } : r)))} aria-invalid={problems[`env${index}`] ? true : undefined} aria-describedby={problems[`env${index}`] ? `${baseId}-env${index}-problem` : undefined} className={`${input} font-mono`} />
                    <input aria-label={`Variable ${index + 1} value`} value={row.value} onChange={(e) => edit(setEnvRows)(envRows.map((r, i) => (i === index ? { ...r, value: e.target.value } : r)))} className={`${input} font-mono`} />
                    <button type="button" onClick={() => edit(setEnvRows)(envRows.filter((_, i) => i !== index))} className={secondary} aria-label={`Remove variable ${row.key || index + 1}`}>
                      ✕
                    </button>
                    {problems[`env${index}`] && (
                      <p id={`${baseId}-env${index}-problem`} className="col-span-3 text-xs text-red-700 dark:text-red-400">
                        {problems[`env${index}`]}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
              <button type="button" onClick={() => edit(setEnvRows)([...envRows, { key: '', value: '' }])} className={`${secondary} mt-1`}>
                Add variable
              </button>
            </div>
          </fieldset>

          <div className="space-y-1">
            <label htmlFor={`${baseId}-preset`} className="text-sm font-semibold">
              Event
            </label>
            <select
              id={`${baseId}-preset`}
              className={input}
              value=""
              onChange={(e) => {
                const chosen = [...lab.events, ...lab.presets].find((option) => option.name === e.target.value);
                if (chosen) edit(setEventText)(chosen.text);
              }}
            >
              <option value="">Load an event…</option>
              <optgroup label="This lab">
                {lab.events.map((e) => (
                  <option key={e.name} value={e.name}>
                    {e.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label="AWS event shapes">
                {lab.presets.map((e) => (
                  <option key={e.name} value={e.name}>
                    {e.name}
                  </option>
                ))}
              </optgroup>
            </select>
            <textarea
              aria-label="Event JSON"
              value={eventText}
              onChange={(e) => edit(setEventText)(e.target.value)}
              rows={6}
              spellCheck={false}
              aria-invalid={problems.event ? true : undefined}
              aria-describedby={problems.event ? `${baseId}-event-problem` : undefined}
              className={`${input} font-mono text-xs`}
            />
            {problems.event && (
              <p id={`${baseId}-event-problem`} className="text-xs text-red-700 dark:text-red-400">
                {problems.event}
              </p>
            )}
          </div>
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-4 py-3 dark:border-slate-700">
        <button type="button" onClick={() => void run()} disabled={!canRun} className={`${button} bg-brand-700 text-white hover:bg-brand-600`} aria-keyshortcuts="Control+Enter Meta+Enter">
          {busy === 'run' ? 'Running…' : 'Run'}
        </button>
        <button
          type="button"
          onClick={() => {
            setFreshNext(true);
            setStatus('The next run starts in a new execution environment: a cold start.');
          }}
          disabled={busy !== undefined}
          aria-pressed={freshNext}
          className={`${secondary} aria-pressed:ring-2 aria-pressed:ring-amber-500`}
        >
          New environment
        </button>
        <button type="button" onClick={() => void runSweep()} disabled={!canRun} className={secondary}>
          {busy === 'sweep' ? 'Sweeping…' : 'Memory sweep'}
        </button>
        <button type="button" onClick={() => void resetToStarter()} disabled={busy !== undefined} className={secondary}>
          Reset to starter
        </button>
        <p role="status" aria-live="polite" className="text-sm text-slate-700 dark:text-slate-300">
          {status}
        </p>
      </div>
      {error && (
        <p role="alert" className="mx-4 mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}

      <details className="border-t border-slate-200 px-4 py-3 dark:border-slate-700">
        <summary className="cursor-pointer text-sm font-semibold">Burst: many invocations at once</summary>
        <div className="mt-2 flex flex-wrap items-end gap-3">
          <Field id={`${baseId}-burst`} label="Invocations (1–50)">
            <input id={`${baseId}-burst`} type="number" min={1} max={50} value={burstCount} onChange={(e) => setBurstCount(e.target.value)} className={`${input} w-24`} />
          </Field>
          <Field id={`${baseId}-reserved`} label="Reserved concurrency (empty: none)">
            <input id={`${baseId}-reserved`} type="number" min={0} max={50} value={burstReserved} onChange={(e) => setBurstReserved(e.target.value)} className={`${input} w-24`} />
          </Field>
          <button type="button" onClick={() => void runBurst()} disabled={!canRun} className={secondary}>
            {busy === 'burst' ? 'Bursting…' : 'Burst'}
          </button>
        </div>
        {burst && (
          <dl className="mt-3 grid grid-cols-3 gap-2 text-sm" data-testid="burst-result">
            <div>
              <dt className="text-xs text-slate-600 dark:text-slate-400">Environments</dt>
              <dd className="font-mono font-semibold">{burst.environments}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600 dark:text-slate-400">Cold starts</dt>
              <dd className="font-mono font-semibold">{burst.coldStarts}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600 dark:text-slate-400">Throttled (429)</dt>
              <dd className="font-mono font-semibold">{burst.throttled}</dd>
            </div>
            {burst.throttleMessages.length > 0 && (
              <div className="col-span-3 text-xs text-slate-700 dark:text-slate-300">
                <dt className="inline">Throttled because: </dt>
                {burst.throttleMessages.map((message) => (
                  <dd key={message} className="inline">
                    {message}{' '}
                  </dd>
                ))}
              </div>
            )}
          </dl>
        )}
      </details>

      {lab.exercise && (
        <div className="space-y-3 border-t border-slate-200 px-4 py-3 dark:border-slate-700">
          <div className="flex flex-wrap items-center gap-2">
            <h4 className="text-sm font-semibold">Checks</h4>
            <button type="button" onClick={() => void runChecks()} disabled={busy !== undefined} className={`${button} bg-emerald-700 text-white hover:bg-emerald-600`}>
              {busy === 'check' ? 'Checking…' : 'Check my code'}
            </button>
          </div>
          <ul className="space-y-1 text-sm" aria-label="Checks">
            {lab.exercise.checkTitles.map((title, index) => {
              const result = checks?.[index];
              return (
                <li key={title} className="flex gap-2">
                  <span aria-hidden="true" className={result ? (result.passed ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400') : 'text-slate-500'}>
                    {result ? (result.passed ? '✓' : '✗') : '○'}
                  </span>
                  <span>
                    <span className="sr-only">{result ? (result.passed ? 'Passed: ' : 'Failed: ') : 'Not checked yet: '}</span>
                    {title}
                    {result && !result.passed && <span className="block text-xs text-red-800 dark:text-red-300">{result.message}</span>}
                  </span>
                </li>
              );
            })}
          </ul>
          <div className="space-y-2">
            {lab.exercise.hints.slice(0, hintsShown).map((hint, index) => (
              <p key={hint} className="rounded bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
                <strong>Hint {index + 1}.</strong> {hint}
              </p>
            ))}
            <div className="flex flex-wrap gap-2">
              {hintsShown < lab.exercise.hints.length && (
                <button type="button" onClick={() => setHintsShown((n) => n + 1)} className={secondary}>
                  Show hint {hintsShown + 1} of {lab.exercise.hints.length}
                </button>
              )}
              {lab.hasSolution && !solution && (
                <button type="button" onClick={() => void showSolution()} className={secondary}>
                  Show solution
                </button>
              )}
              {solution && (
                <button type="button" onClick={() => setSolution(undefined)} className={secondary}>
                  Hide solution
                </button>
              )}
            </div>
          </div>
          {solution && (
            <div>
              <p className="text-sm">
                Your <code>{file.path}</code> (left) against the solution (right). Pick another file tab above to compare it.
              </p>
              {narrow ? (
                <pre tabIndex={0} className="mt-2 max-h-80 overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900">{solution.find((f) => f.path === file.path)?.content}</pre>
              ) : (
                <SolutionDiff path={file.path} original={file.content} modified={solution.find((f) => f.path === file.path)?.content ?? ''} />
              )}
            </div>
          )}
        </div>
      )}

      {(lastRun || history.length > 0 || sweep.length > 0) && (
        <div className="space-y-6 border-t border-slate-200 px-4 py-4 dark:border-slate-700">
          {lastRun && (
            <div>
              <h4 className="mb-2 flex items-center gap-2 text-sm font-semibold">
                Last run {lastRun.report && <StartBadge cold={lastRun.report.coldStart} />}
              </h4>
              <LabOutput result={lastRun} />
            </div>
          )}
          {history.length > 0 && <InvocationChart reports={history} />}
          {sweep.length > 0 && <SweepChart points={sweep} />}
        </div>
      )}
    </section>
  );
}

function Field({ id, label, problem, children }: { id: string; label: string; problem?: string | undefined; children: React.ReactNode }) {
  return (
    <div className="space-y-0.5">
      <label htmlFor={id} className="block text-xs font-medium">
        {label}
      </label>
      {children}
      {problem && (
        <p id={`${id}-problem`} className="text-xs text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The code as text until the editor arrives: the lab reads before it becomes editable. */
function EditorPlaceholder({ code }: { code?: string }) {
  return (
    <pre tabIndex={0} className="h-[22rem] overflow-auto bg-slate-50 p-3 font-mono text-[13px] leading-5 text-slate-900 dark:bg-slate-950 dark:text-slate-100" aria-label="Code (the editor is loading)">
      {code ?? 'Loading the editor…'}
    </pre>
  );
}
