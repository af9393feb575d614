'use client';

import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { LabView } from '@/lib/labs/contract';
import { BurstPanel } from './BurstPanel';
import { SECONDARY_BUTTON } from './controls';
import type { EditorReveal } from './editor-types';
import { ExercisePanel } from './ExercisePanel';
import { LabActions } from './LabActions';
import { LabEditor } from './LabEditor';
import { LabResults } from './LabResults';
import { eventNameOf, LabSettingsPanel } from './LabSettingsPanel';
import type { SettingsFields } from './settings-fields';
import { clampSplit, PaneSplitter } from './PaneSplitter';
import { TabList } from './TabList';
import { useLabActivity } from './use-lab-activity';
import { useLabAutosave, type SaveState } from './use-lab-autosave';
import { useLabChecks } from './use-lab-checks';
import { useLabRuns } from './use-lab-runs';
import { useLabVisibility } from './use-lab-visibility';
import { usePreference } from './use-preference';

const SAVE_STATE_LABELS: Record<SaveState, string> = {
  starter: 'Starter code',
  unsaved: 'Unsaved changes',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Not saved: the server could not be reached',
};

const RESET_QUESTION =
  'Replace your code and settings with the starter? Your changes to this lab will be lost.';

/** The panels beside the editor: what a run returned, its inputs, bursts, and an exercise's checks. */
type OutputTab = 'output' | 'settings' | 'burst' | 'checks';

/** "Event: Hello · 128 MB · 3 s": what the next Run will use, readable without opening the settings. */
function settingsSummary(lab: Pick<LabView, 'events' | 'presets'>, fields: SettingsFields): string {
  const event = eventNameOf(lab, fields.eventText) ?? 'custom';
  return `Event: ${event} · ${fields.memory} MB · ${fields.timeout} s`;
}

const parseSplit = (stored: string) => {
  const value = Number(stored);
  return Number.isFinite(value) ? clampSplit(value) : undefined;
};
const parseFlag = (stored: string) => stored === 'true';

/**
 * A code lab: edit a handler, run it in the course's Lambda-like runner and
 * read what Lambda would report. The editor and the output sit side by side
 * when the lab is wide enough (resizable), one above the other otherwise, and
 * the lab can take the whole window. Everything the learner changes is saved
 * to their workspace and comes back on reload.
 */
export function CodeLabClient({ lab }: { lab: LabView }) {
  const baseId = useId();
  const [active, setActive] = useState(0);
  const [tab, setTab] = useState<OutputTab>(lab.exercise ? 'checks' : 'output');
  const [fullScreen, setFullScreen] = useState(false);
  const [reveal, setReveal] = useState<EditorReveal>();
  const [split, setSplit] = usePreference('course.lab.split', 58, parseSplit);
  const [wrap, setWrap] = usePreference('course.lab.wrap', false, parseFlag);
  const outputRef = useRef<HTMLDivElement>(null);
  const fullScreenButton = useRef<HTMLButtonElement>(null);
  const { rootRef, visible, narrow, wide } = useLabVisibility<HTMLElement>();
  const autosave = useLabAutosave(lab);
  const { files, fields, problems, saveState, changeSettings, editFile, resetToStarter } = autosave;
  const activity = useLabActivity(problems);
  const { busy, setStatus, setError } = activity;
  const runs = useLabRuns({ lab, files, fields, activity });
  const checks = useLabChecks({
    labId: lab.id,
    files,
    activity,
    replaceFiles: autosave.replaceFiles,
  });
  const canRun = Object.keys(problems).length === 0 && busy === undefined;

  /**
   * A run's result is what the learner waits for. Beside the editor it is
   * already in view; below it, the lab is scrolled to the top of the screen so
   * the code and the start of the result show together.
   */
  const showOutput = () => {
    setTab('output');
    window.requestAnimationFrame(() => {
      const output = outputRef.current?.getBoundingClientRect();
      if (!output || fullScreen || output.top < window.innerHeight * 0.75) return;
      rootRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
  };
  const run = async () => {
    await runs.run();
    showOutput();
  };

  useEffect(() => {
    if (!fullScreen) return;
    // The page behind a full-screen lab must not scroll under it.
    const previous = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = previous;
    };
  }, [fullScreen]);

  const leaveFullScreen = () => {
    setFullScreen(false);
    fullScreenButton.current?.focus();
  };

  const reset = async () => {
    if (!window.confirm(RESET_QUESTION)) return;
    try {
      await resetToStarter();
      setStatus('Reset to the starter code and settings.');
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // Escape leaves full screen unless something inside (Monaco's suggestions, a menu) used it first.
    if (event.key === 'Escape' && fullScreen && !event.defaultPrevented) {
      event.preventDefault();
      leaveFullScreen();
      return;
    }
    // Inside Monaco the editor's own command runs the code; this covers every other field of the lab.
    if ((event.target as Element).closest('.monaco-editor')) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  };

  const revealInEditor = (path: string, line: number, column: number) => {
    const index = files.findIndex((f) => f.path === path);
    if (index === -1) return;
    setActive(index);
    setReveal({ path, line, column });
  };

  const file = files[active] ?? files[0]!;
  const headingId = `${baseId}-heading`;
  const editorPaneId = `${baseId}-editor-pane`;
  const outputTabs: { id: OutputTab; label: string }[] = [
    ...(lab.exercise ? [{ id: 'checks' as const, label: 'Checks' }] : []),
    { id: 'output', label: 'Output' },
    { id: 'settings', label: 'Event and settings' },
    { id: 'burst', label: 'Burst' },
  ];

  return (
    <section
      ref={rootRef}
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
      data-lab={lab.id}
      data-full-screen={fullScreen || undefined}
      className={`not-prose @container ${
        fullScreen
          ? 'fixed inset-0 z-50 flex flex-col overflow-hidden bg-white dark:bg-slate-950'
          : 'my-8 scroll-mt-16 rounded-lg border border-slate-300 bg-white dark:border-slate-600 dark:bg-slate-950'
      }`}
    >
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <div>
          <p className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400">
            {lab.exercise ? 'Exercise' : 'Code lab'}
          </p>
          <h3 id={headingId} className="font-semibold text-slate-900 dark:text-slate-100">
            {lab.title}
            {checks.passed && (
              <span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 text-xs font-bold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                ✓ Done
              </span>
            )}
          </h3>
          <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
            <span className="font-semibold">Where this differs from AWS:</span> {lab.sandboxNote}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
            {SAVE_STATE_LABELS[saveState]}
          </p>
          <button
            type="button"
            aria-pressed={wrap}
            onClick={() => setWrap(!wrap)}
            className={`${SECONDARY_BUTTON} aria-pressed:ring-2 aria-pressed:ring-brand-500`}
          >
            Wrap lines
          </button>
          <button
            ref={fullScreenButton}
            type="button"
            aria-pressed={fullScreen}
            onClick={() => (fullScreen ? leaveFullScreen() : setFullScreen(true))}
            className={SECONDARY_BUTTON}
            aria-keyshortcuts={fullScreen ? 'Escape' : undefined}
          >
            {fullScreen ? 'Leave full screen (Esc)' : 'Full screen'}
          </button>
        </div>
      </header>

      <div
        className={`grid @5xl:grid-cols-[var(--lab-editor-share)_auto_minmax(0,1fr)] ${fullScreen ? 'min-h-0 flex-1 grid-rows-[minmax(0,1fr)_minmax(0,1fr)] @5xl:grid-rows-1' : ''}`}
        style={{ '--lab-editor-share': `${split}%` } as CSSProperties}
      >
        <div id={editorPaneId} className="flex min-h-0 min-w-0 flex-col">
          <LabEditor
            baseId={baseId}
            labId={lab.id}
            files={files}
            active={active}
            file={file}
            onSelect={setActive}
            onEdit={(content) => editFile(active, content)}
            onRun={() => void run()}
            visible={visible}
            narrow={narrow}
            wrap={wrap}
            reveal={reveal}
            fill={fullScreen}
          />
          <LabActions
            activity={activity}
            runs={runs}
            canRun={canRun}
            sweep={lab.sweep}
            summary={settingsSummary(lab, fields)}
            onOpenSettings={() => setTab('settings')}
            onRun={() => void run()}
            onSweep={() => {
              void runs.runSweep();
              showOutput();
            }}
            onReset={() => void reset()}
          />
        </div>
        <PaneSplitter split={split} onChange={setSplit} controls={editorPaneId} />
        <div
          ref={outputRef}
          className="flex min-h-0 min-w-0 flex-col border-t border-slate-200 @5xl:border-t-0 @5xl:border-l dark:border-slate-700"
        >
          <TabList
            label="Output and settings"
            tabs={outputTabs}
            selected={tab}
            onSelect={(id) => setTab(id as OutputTab)}
            tabId={(id) => `${baseId}-out-${id}`}
            controls={`${baseId}-out-panel`}
          />
          <div
            id={`${baseId}-out-panel`}
            role="tabpanel"
            aria-labelledby={`${baseId}-out-${tab}`}
            className={`@container min-w-0 ${fullScreen ? 'min-h-0 flex-1 overflow-auto' : ''}`}
          >
            {tab === 'output' && (
              <LabResults
                lastRun={runs.lastRun}
                history={runs.history}
                sweep={runs.sweep}
                handler={lab.handler}
                paths={files.map((f) => f.path)}
                onReveal={revealInEditor}
              />
            )}
            {tab === 'settings' && (
              <LabSettingsPanel
                lab={lab}
                baseId={baseId}
                fields={fields}
                problems={problems}
                onChange={changeSettings}
              />
            )}
            {tab === 'burst' && (
              <BurstPanel
                baseId={baseId}
                canRun={canRun}
                busy={busy === 'burst'}
                result={runs.burst}
                onBurst={(count, reserved) => void runs.runBurst(count, reserved)}
              />
            )}
            {tab === 'checks' && lab.exercise && (
              <ExercisePanel
                exercise={lab.exercise}
                hasSolution={lab.hasSolution}
                checks={checks}
                busy={busy !== undefined}
                checking={busy === 'check'}
                file={file}
                sideBySide={wide}
              />
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
