import { useEffect, useRef, useState } from 'react';
import { ApiError } from '@/components/shared/fetch-json';

/** What a lab can be busy with; one at a time. */
export type LabTask = 'run' | 'burst' | 'sweep' | 'check';

export interface LabActivity {
  /** The task in progress, if any: the buttons show it and stay disabled until it ends. */
  busy: LabTask | undefined;
  /** The line a screen reader announces: what is happening, or what just happened. */
  status: string;
  /** The alert under the buttons; written for the learner. */
  error: string | undefined;
  /**
   * The alert is the course server saying it is full (503): shown as "Course
   * busy", never as the learner's error or a Lambda throttle.
   */
  courseBusy: boolean;
  setStatus(status: string): void;
  setError(message: string | undefined): void;
  /**
   * Does `work` as `task`, unless a task is already running or the settings
   * have a problem. A thrown error becomes the alert. `signal` aborts when
   * the lab leaves the page, so long work can stop asking the server.
   */
  perform(task: LabTask, work: (signal: AbortSignal) => Promise<void>): Promise<void>;
}

/** The lab's one-task-at-a-time rule, its status line and its alert, shared by Run, Burst, sweep and Check. */
export function useLabActivity(problems: Record<string, string>): LabActivity {
  const [busy, setBusy] = useState<LabTask>();
  const [status, setStatus] = useState('');
  const [error, setErrorText] = useState<string>();
  const [courseBusy, setCourseBusy] = useState(false);
  const setError = (message: string | undefined) => {
    setErrorText(message);
    setCourseBusy(false);
  };
  // A ref, not the state: two triggers in one event (a key and a click) must not both get through.
  const busyRef = useRef(false);
  const lifetime = useRef<AbortController>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  const perform = async (task: LabTask, work: (signal: AbortSignal) => Promise<void>) => {
    const signal = lifetime.current?.signal;
    if (busyRef.current || !signal) return;
    const problem = Object.values(problems)[0];
    if (problem !== undefined) {
      setError(`Fix the settings first: ${problem}`);
      return;
    }
    busyRef.current = true;
    setBusy(task);
    setError(undefined);
    try {
      await work(signal);
    } catch (caught) {
      setError((caught as Error).message);
      setCourseBusy(caught instanceof ApiError && caught.status === 503);
      setStatus('');
    } finally {
      busyRef.current = false;
      setBusy(undefined);
    }
  };

  return { busy, status, error, courseBusy, setStatus, setError, perform };
}
