import { useEffect, useState } from 'react';
import type { LabSourceFile } from '@/lib/labs/contract';
import { invocationSettingsOf, type SettingsFields } from './settings-fields';
import type { LabView } from '@/lib/labs/contract';
import { SWEEP_MEMORY_SIZES_MB } from './report-format';
import { MAX_BURST } from '@/lib/labs/contract';
import { labApi, type BurstResult, type RunRequest, type RunResult } from './lab-api';
import type { SweepPoint } from './SweepChart';
import type { LabActivity } from './use-lab-activity';

/** A run's REPORT line as numbers; taken from the lab's API types rather than from the runner. */
type InvocationReport = NonNullable<RunResult['report']>;

export interface LabRuns {
  lastRun: RunResult | undefined;
  /** Every invocation's report since the lab loaded, oldest first, for the chart. */
  history: InvocationReport[];
  burst: BurstResult | undefined;
  /** The sweep's points so far, one per memory size. */
  sweep: SweepPoint[];
  /** The next Run or Burst starts in a new execution environment. */
  freshNext: boolean;
  run(): Promise<void>;
  startFresh(): void;
  /** The Burst panel's fields as typed: checked here, so a mistake reads as the lab's alert. */
  runBurst(countText: string, reservedText: string): Promise<void>;
  runSweep(): Promise<void>;
}

interface LabRunsOptions {
  lab: Pick<LabView, 'id'>;
  files: LabSourceFile[];
  fields: SettingsFields;
  activity: LabActivity;
}

/**
 * Run, New environment, Burst and Memory sweep, and what they returned: the
 * last run, the chart of recent invocations (restored from the server when the
 * lab loads), the last burst and the sweep's points.
 */
export function useLabRuns({ lab, files, fields, activity }: LabRunsOptions): LabRuns {
  const [lastRun, setLastRun] = useState<RunResult>();
  const [history, setHistory] = useState<InvocationReport[]>([]);
  const [burst, setBurst] = useState<BurstResult>();
  const [sweep, setSweep] = useState<SweepPoint[]>([]);
  const [freshNext, setFreshNext] = useState(false);
  const { perform, setStatus } = activity;

  // Coming back to a lab shows its last run and the chart of recent runs, not an empty panel.
  useEffect(() => {
    let cancelled = false;
    labApi
      .recent(lab.id)
      .then((records) => {
        if (cancelled || records.length === 0) return;
        const withReports = records.flatMap((r) => (r.report ? [{ ...r, report: r.report }] : []));
        setHistory((current) =>
          current.length > 0 ? current : withReports.map((r) => r.report).reverse(),
        );
        setLastRun((current) => current ?? withReports[0]);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [lab.id]);

  /** Only called once `perform` has found the settings valid, so the event parses. */
  const requestOf = (overrides: Partial<RunRequest> = {}): RunRequest => {
    const { event, ...configuration } = invocationSettingsOf(fields);
    return {
      ...configuration,
      files,
      event,
      newEnvironment: false,
      ...overrides,
    };
  };

  const run = () =>
    perform('run', async () => {
      const newEnvironment = freshNext;
      setStatus(newEnvironment ? 'Running in a new environment…' : 'Running…');
      const result = await labApi.run(lab.id, requestOf({ newEnvironment }));
      setFreshNext(false);
      setLastRun(result);
      const report = result.report;
      if (report) setHistory((h) => [...h, report]);
      setStatus(
        report
          ? `Run finished: ${report.coldStart ? 'cold start' : 'warm start'}${result.errorType ? `, failed with ${result.errorType}` : ''}, Duration ${report.durationMs.toFixed(2)} ms.`
          : 'Run finished.',
      );
    });

  const startFresh = () => {
    setFreshNext(true);
    setStatus('The next run starts in a new execution environment: a cold start.');
  };

  const runBurst = (countText: string, reservedText: string) =>
    perform('burst', async () => {
      const count = Number(countText);
      const reserved = reservedText.trim() === '' ? null : Number(reservedText);
      if (!Number.isInteger(count) || count < 1 || count > MAX_BURST)
        throw new Error(`A burst is 1 to ${MAX_BURST} invocations.`);
      if (
        reserved !== null &&
        (!Number.isInteger(reserved) || reserved < 0 || reserved > MAX_BURST)
      )
        throw new Error(
          `Reserved concurrency is a whole number from 0 to ${MAX_BURST}, or empty for none.`,
        );
      setStatus(`Firing ${count} invocations at once…`);
      const result = await labApi.burst(lab.id, {
        ...requestOf({ newEnvironment: freshNext }),
        count,
        reservedConcurrency: reserved,
      });
      setFreshNext(false);
      setBurst(result);
      setHistory((h) => [...h, ...result.invocations.flatMap((i) => (i.report ? [i.report] : []))]);
      setStatus(
        `Burst finished: ${result.environments} environments, ${result.coldStarts} cold starts, ${result.throttled} throttled.`,
      );
    });

  const runSweep = () =>
    perform('sweep', async (signal) => {
      const points: SweepPoint[] = [];
      setSweep([]);
      for (const memoryMb of SWEEP_MEMORY_SIZES_MB) {
        signal.throwIfAborted();
        setStatus(`Memory sweep: running at ${memoryMb.toLocaleString('en-US')} MB…`);
        // The first call at a new size is cold; the second, warm one is what a steady stream of requests costs.
        await labApi.run(lab.id, requestOf({ memoryMb }));
        const warm = await labApi.run(lab.id, requestOf({ memoryMb }));
        if (!warm.report) throw new Error(`The run at ${memoryMb} MB produced no report.`);
        if (warm.errorType)
          throw new Error(
            `At ${memoryMb} MB the handler failed with ${warm.errorType}; fix it and sweep again.`,
          );
        points.push({ memoryMb, durationMs: warm.report.durationMs, costUsd: warm.report.costUsd });
        setSweep([...points]);
      }
      setStatus('Memory sweep finished.');
    });

  return { lastRun, history, burst, sweep, freshNext, run, startFresh, runBurst, runSweep };
}
