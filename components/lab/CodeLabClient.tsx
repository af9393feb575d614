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
import { rowsOf, settingsProblems, type SettingsFields } from '@/lib/labs/lab-settings';
import { BurstPanel } from './BurstPanel';
import { BUTTON, SECONDARY_BUTTON } from './controls';
import { ExercisePanel } from './ExercisePanel';
import { InvocationChart } from './InvocationChart';
import { LabSettingsPanel } from './LabSettingsPanel';
import { labApi, type BurstResult, type RunRequest, type RunResult } from './lab-api';
import { LabOutput, StartBadge } from './LabOutput';
import { SweepChart, type SweepPoint } from './SweepChart';

// Monaco is large and browser-only: it loads after the lesson's text, and only once the lab is on screen.
const CodeEditor = dynamic(() => import('./CodeEditor').then((m) => m.CodeEditor), { ssr: false, loading: () => <EditorPlaceholder /> });

type Busy = 'run' | 'burst' | 'sweep' | 'check' | undefined;
const AUTOSAVE_DELAY_MS = 700;

/** The settings a lab starts with, as the panel's text fields. */
function starterFields(lab: LabView): SettingsFields {
  return { memory: String(lab.memoryMb), timeout: String(lab.timeoutS), environment: rowsOf(lab.environment), eventText: lab.events[0]?.text ?? '{}' };
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
  const [fields, setFields] = useState<SettingsFields>(() => starterFields(lab));
  const [loaded, setLoaded] = useState(false);
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'unsaved' | 'error' | 'starter'>('starter');
  const [busy, setBusy] = useState<Busy>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();
  const [lastRun, setLastRun] = useState<RunResult>();
  const [history, setHistory] = useState<InvocationReport[]>([]);
  const [burst, setBurst] = useState<BurstResult>();
  const [sweep, setSweep] = useState<SweepPoint[]>([]);
  const [checks, setChecks] = useState<CheckResult[]>();
  const [freshNext, setFreshNext] = useState(false);
  const [visible, setVisible] = useState(false);
  const [narrow, setNarrow] = useState(false);
  const rootRef = useRef<HTMLElement>(null);
  const editedRef = useRef(false);

  const problems = settingsProblems(fields);
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
        setFields({ memory: String(saved.settings.memoryMb), timeout: String(saved.settings.timeoutS), environment: rowsOf(saved.settings.environment), eventText: saved.settings.eventText });
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
    (): LabSettings => ({ memoryMb: Number(fields.memory), timeoutS: Number(fields.timeout), environment: Object.fromEntries(fields.environment.map((r) => [r.key, r.value])), eventText: fields.eventText }),
    [fields],
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
  }, [loaded, files, lab.id, currentSettings]);

  // Leaving the page inside the autosave delay still keeps the last keystrokes: the request outlives the page.
  useEffect(() => {
    const flush = () => {
      const save = pendingSave.current;
      if (save) labApi.save(lab.id, save.files, save.settings, { keepalive: true }).catch(() => undefined);
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [lab.id]);

  const changeSettings = (patch: Partial<SettingsFields>) => {
    editedRef.current = true;
    setFields((current) => ({ ...current, ...patch }));
  };
  const editFile = (content: string) => {
    editedRef.current = true;
    setFiles((current) => current.map((f, i) => (i === active ? { ...f, content } : f)));
  };

  const runRequest = (overrides: Partial<RunRequest> = {}): RunRequest => ({
    runtime: lab.runtime,
    handler: lab.handler,
    memoryMb: Number(fields.memory),
    timeoutS: Number(fields.timeout),
    environment: Object.fromEntries(fields.environment.map((r) => [r.key, r.value])),
    files,
    event: JSON.parse(fields.eventText) as unknown,
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

  const runBurst = (countText: string, reservedText: string) =>
    guarded('burst', async () => {
      const count = Number(countText);
      const reserved = reservedText.trim() === '' ? null : Number(reservedText);
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

  const resetToStarter = async () => {
    if (!window.confirm('Replace your code and settings with the starter? Your changes to this lab will be lost.')) return;
    try {
      pendingSave.current = undefined;
      await labApi.reset(lab.id);
      editedRef.current = false;
      setFiles(lab.files);
      setFields(starterFields(lab));
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

        <LabSettingsPanel lab={lab} baseId={baseId} fields={fields} problems={problems} onChange={changeSettings} />
      </div>

      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-4 py-3 dark:border-slate-700">
        <button type="button" onClick={() => void run()} disabled={!canRun} className={`${BUTTON} bg-brand-700 text-white hover:bg-brand-600`} aria-keyshortcuts="Control+Enter Meta+Enter">
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
          className={`${SECONDARY_BUTTON} aria-pressed:ring-2 aria-pressed:ring-amber-500`}
        >
          New environment
        </button>
        <button type="button" onClick={() => void runSweep()} disabled={!canRun} className={SECONDARY_BUTTON}>
          {busy === 'sweep' ? 'Sweeping…' : 'Memory sweep'}
        </button>
        <button type="button" onClick={() => void resetToStarter()} disabled={busy !== undefined} className={SECONDARY_BUTTON}>
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

      <BurstPanel baseId={baseId} canRun={canRun} busy={busy === 'burst'} result={burst} onBurst={(count, reserved) => void runBurst(count, reserved)} />

      {lab.exercise && (
        <ExercisePanel labId={lab.id} exercise={lab.exercise} hasSolution={lab.hasSolution} checks={checks} busy={busy !== undefined} checking={busy === 'check'} onCheck={() => void runChecks()} onError={setError} file={file} narrow={narrow} />
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

/** The code as text until the editor arrives: the lab reads before it becomes editable. */
function EditorPlaceholder({ code }: { code?: string }) {
  return (
    <pre tabIndex={0} className="h-[22rem] overflow-auto bg-slate-50 p-3 font-mono text-[13px] leading-5 text-slate-900 dark:bg-slate-950 dark:text-slate-100" aria-label="Code (the editor is loading)">
      {code ?? 'Loading the editor…'}
    </pre>
  );
}
