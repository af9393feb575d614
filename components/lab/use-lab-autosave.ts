import { useEffect, useMemo, useRef, useState } from 'react';
import type { LabSourceFile } from '@/lib/labs/contract';
import {
  fieldsOf,
  settingsOf,
  settingsProblems,
  type SettingsFields,
  type SettingsValues,
} from './settings-fields';
import type { LabView } from '@/lib/labs/contract';
import { labApi } from './lab-api';

/** Where the learner's copy stands against the server's. */
export type SaveState = 'starter' | 'unsaved' | 'saving' | 'saved' | 'error';

/** Quiet time after the last keystroke before a save: one request per pause, not per key. */
const AUTOSAVE_DELAY_MS = 700;

type LabStarter = Pick<
  LabView,
  'id' | 'files' | 'memoryMb' | 'timeoutS' | 'environment' | 'events'
>;

/** The settings a lab starts with, as the panel's text fields. */
function starterFields(lab: LabStarter): SettingsFields {
  return fieldsOf({
    memoryMb: lab.memoryMb,
    timeoutS: lab.timeoutS,
    environment: lab.environment,
    eventText: lab.events[0]?.text ?? '{}',
  });
}

/**
 * The learner's copy of a lab: its files and settings fields, what is wrong
 * with the fields, and the save that keeps them. The saved copy replaces the
 * starter when the lab loads; edits are saved a moment after the learner
 * stops typing, and once more as the page goes away.
 */
export function useLabAutosave(lab: LabStarter) {
  const [files, setFiles] = useState<LabSourceFile[]>(lab.files);
  const [fields, setFields] = useState<SettingsFields>(() => starterFields(lab));
  const [loaded, setLoaded] = useState(false);
  const [saveState, setSaveState] = useState<SaveState>('starter');
  // Whether the learner has typed since the load or the reset: a late-arriving save must not overwrite their edits.
  const editedRef = useRef(false);
  // The save the timer has not yet confirmed, for the last-chance save on pagehide.
  const pendingSave = useRef<{ files: LabSourceFile[]; settings: SettingsValues }>(undefined);

  const problems = settingsProblems(fields);
  // The server refuses invalid memory, timeout or variables; an event that is not JSON yet is kept as typed.
  const savable = Object.keys(problems).every((key) => key === 'event');
  const settings = useMemo(() => settingsOf(fields), [fields]);

  useEffect(() => {
    let cancelled = false;
    labApi
      .loadSave(lab.id)
      .then((saved) => {
        if (cancelled || !saved || editedRef.current) return;
        setFiles(
          lab.files.map((starter) => saved.files.find((f) => f.path === starter.path) ?? starter),
        );
        setFields(fieldsOf(saved.settings));
        setSaveState('saved');
      })
      .catch(() => setSaveState('error'))
      .finally(() => !cancelled && setLoaded(true));
    return () => {
      cancelled = true;
    };
  }, [lab.id, lab.files]);

  useEffect(() => {
    if (!loaded || !editedRef.current || !savable) return;
    setSaveState('unsaved');
    const save = { files, settings };
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
  }, [loaded, savable, files, settings, lab.id]);

  // Leaving the page inside the autosave delay still keeps the last keystrokes: the request outlives the page.
  useEffect(() => {
    const flush = () => {
      const save = pendingSave.current;
      if (save)
        labApi.save(lab.id, save.files, save.settings, { keepalive: true }).catch(() => undefined);
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [lab.id]);

  const changeSettings = (patch: Partial<SettingsFields>) => {
    editedRef.current = true;
    setFields((current) => ({ ...current, ...patch }));
  };

  const editFile = (index: number, content: string) => {
    editedRef.current = true;
    setFiles((current) => current.map((f, i) => (i === index ? { ...f, content } : f)));
  };

  /** Replaces every file at once (Apply solution, and undoing it): saved like any edit. */
  const replaceFiles = (next: LabSourceFile[]) => {
    editedRef.current = true;
    setFiles(next);
  };

  /** Deletes the saved copy and shows the starter again; rejects, with the server's reason, if the save could not be deleted. */
  const resetToStarter = async () => {
    pendingSave.current = undefined;
    await labApi.reset(lab.id);
    editedRef.current = false;
    setFiles(lab.files);
    setFields(starterFields(lab));
    setSaveState('starter');
  };

  return {
    files,
    fields,
    problems,
    saveState,
    changeSettings,
    editFile,
    replaceFiles,
    resetToStarter,
  };
}
