import { InvocationChart } from './InvocationChart';
import { LabOutput, type LabOutputProps } from './LabOutput';
import { SweepChart } from './SweepChart';
import type { LabRuns } from './use-lab-runs';

/** What the lab's runs returned: the last run in full, the recent invocations and the memory sweep as charts. */
export function LabResults({
  lastRun,
  history,
  sweep,
  handler,
  paths,
  onReveal,
}: Pick<LabRuns, 'lastRun' | 'history' | 'sweep'> & Omit<LabOutputProps, 'result'>) {
  if (!lastRun && history.length === 0 && sweep.length === 0) {
    return (
      <p className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">
        Press <strong>Run</strong> to invoke the function: its response, its log and Lambda&apos;s
        report appear here.
      </p>
    );
  }
  return (
    <div className="space-y-6 px-4 py-4">
      {lastRun && (
        <div>
          <h4 className="mb-2 text-sm font-semibold">Last run</h4>
          <LabOutput result={lastRun} handler={handler} paths={paths} onReveal={onReveal} />
        </div>
      )}
      {history.length > 0 && <InvocationChart reports={history} />}
      {sweep.length > 0 && <SweepChart points={sweep} />}
    </div>
  );
}
