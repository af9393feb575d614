'use client';

import { useId, useState, type KeyboardEvent } from 'react';
import type { LabView } from '@/lib/labs/contract';
import { BurstPanel } from './BurstPanel';
import { ExercisePanel } from './ExercisePanel';
import { LabActions } from './LabActions';
import { LabEditor } from './LabEditor';
import { LabResults } from './LabResults';
import { LabSettingsPanel } from './LabSettingsPanel';
import { useLabActivity } from './use-lab-activity';
import { useLabAutosave, type SaveState } from './use-lab-autosave';
import { useLabChecks } from './use-lab-checks';
import { useLabRuns } from './use-lab-runs';
import { useLabVisibility } from './use-lab-visibility';

const SAVE_STATE_LABELS: Record<SaveState, string> = {
  starter: 'Starter code',
  unsaved: 'Unsaved changes',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Not saved: the server could not be reached',
};

const RESET_QUESTION =
  'Replace your code and settings with the starter? Your changes to this lab will be lost.';

/**
 * A code lab: edit a handler, run it in the course's Lambda-like runner and
 * read what Lambda would report. Everything the learner changes is saved to
 * their workspace and comes back on reload.
 */
export function CodeLabClient({ lab }: { lab: LabView }) {
  const baseId = useId();
  const [active, setActive] = useState(0);
  const { rootRef, visible, narrow } = useLabVisibility<HTMLElement>();
  const { files, fields, problems, saveState, changeSettings, editFile, resetToStarter } =
    useLabAutosave(lab);
  const activity = useLabActivity(problems);
  const { busy, setStatus, setError } = activity;
  const runs = useLabRuns({ lab, files, fields, activity });
  const checks = useLabChecks({ labId: lab.id, files, activity });
  const canRun = Object.keys(problems).length === 0 && busy === undefined;

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
    // Inside Monaco the editor's own command runs the code; this covers every other field of the lab.
    if ((event.target as Element).closest('.monaco-editor')) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void runs.run();
    }
  };

  const file = files[active] ?? files[0]!;
  const headingId = `${baseId}-heading`;

  return (
    <section
      ref={rootRef}
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
      data-lab={lab.id}
      className="not-prose my-8 rounded-lg border border-slate-300 dark:border-slate-600"
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
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {SAVE_STATE_LABELS[saveState]}
        </p>
      </header>

      <div className="grid gap-0 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <LabEditor
          baseId={baseId}
          labId={lab.id}
          files={files}
          active={active}
          file={file}
          onSelect={setActive}
          onEdit={(content) => editFile(active, content)}
          onRun={() => void runs.run()}
          visible={visible}
          narrow={narrow}
        />
        <LabSettingsPanel
          lab={lab}
          baseId={baseId}
          fields={fields}
          problems={problems}
          onChange={changeSettings}
        />
      </div>

      <LabActions activity={activity} runs={runs} canRun={canRun} onReset={() => void reset()} />

      <BurstPanel
        baseId={baseId}
        canRun={canRun}
        busy={busy === 'burst'}
        result={runs.burst}
        onBurst={(count, reserved) => void runs.runBurst(count, reserved)}
      />

      {lab.exercise && (
        <ExercisePanel
          exercise={lab.exercise}
          hasSolution={lab.hasSolution}
          checks={checks}
          busy={busy !== undefined}
          checking={busy === 'check'}
          file={file}
          narrow={narrow}
        />
      )}

      <LabResults lastRun={runs.lastRun} history={runs.history} sweep={runs.sweep} />
    </section>
  );
}
