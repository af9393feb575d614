import { InvocationChart } from './InvocationChart';
import { LabOutput, StartBadge } from './LabOutput';
import { SweepChart } from './SweepChart';
import type { LabRuns } from './use-lab-runs';

/** What the lab's runs returned: the last run in full, the recent invocations and the memory sweep as charts. */
export function LabResults({
  lastRun,
  history,
  sweep,
}: Pick<LabRuns, 'lastRun' | 'history' | 'sweep'>) {
  if (!lastRun && history.length === 0 && sweep.length === 0) return null;
  return (
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
  );
}
