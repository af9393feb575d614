import { useState } from 'react';
import { MAX_BURST } from '@/lib/labs/contract';
import { Field, INPUT, SECONDARY_BUTTON } from './controls';
import type { BurstResult } from './lab-api';

interface BurstPanelProps {
  baseId: string;
  canRun: boolean;
  busy: boolean;
  result: BurstResult | undefined;
  /** The fields as typed; the lab validates them before firing. */
  onBurst(count: string, reservedConcurrency: string): void;
}

/** "Burst": N invocations at once, optionally under a reserved concurrency, and what they took: environments, cold starts, throttles. */
export function BurstPanel({ baseId, canRun, busy, result, onBurst }: BurstPanelProps) {
  const [count, setCount] = useState('10');
  const [reserved, setReserved] = useState('');
  return (
    <div className="px-4 py-3">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Fire many invocations at once, with the code and settings of a Run, and see how many
        execution environments Lambda needed to serve them.
      </p>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <Field id={`${baseId}-burst`} label={`Invocations (1–${MAX_BURST})`}>
          <input
            id={`${baseId}-burst`}
            type="number"
            min={1}
            max={MAX_BURST}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            className={`${INPUT} w-24`}
          />
        </Field>
        <Field id={`${baseId}-reserved`} label="Reserved concurrency (empty: none)">
          <input
            id={`${baseId}-reserved`}
            type="number"
            min={0}
            max={MAX_BURST}
            value={reserved}
            onChange={(e) => setReserved(e.target.value)}
            className={`${INPUT} w-24`}
          />
        </Field>
        <button
          type="button"
          onClick={() => onBurst(count, reserved)}
          disabled={!canRun}
          className={SECONDARY_BUTTON}
        >
          {busy ? 'Bursting…' : 'Burst'}
        </button>
      </div>
      {result && (
        <dl className="mt-3 grid grid-cols-3 gap-2 text-sm" data-testid="burst-result">
          <div>
            <dt className="text-xs text-slate-600 dark:text-slate-400">Environments</dt>
            <dd className="font-mono font-semibold">{result.environments}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600 dark:text-slate-400">Cold starts</dt>
            <dd className="font-mono font-semibold">{result.coldStarts}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600 dark:text-slate-400">Throttled (429)</dt>
            <dd className="font-mono font-semibold">{result.throttled}</dd>
          </div>
          {result.serverBusy > 0 && (
            <div
              className="col-span-3 rounded border border-amber-400 bg-amber-50 p-2 text-xs text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100"
              data-testid="burst-course-busy"
            >
              <dt className="font-semibold">Course busy</dt>
              <dd>
                {result.serverBusy} {result.serverBusy === 1 ? 'call was' : 'calls were'} not run:
                the course server had no room (other learners&apos; invocations were using it). This
                is the course server&apos;s limit, not a Lambda throttle, so{' '}
                {result.serverBusy === 1 ? 'it is' : 'they are'} not counted as 429s. Try again in a
                few seconds.
              </dd>
            </div>
          )}
          {result.waitedForServer > 0 && (
            <div className="col-span-3 text-xs text-slate-700 dark:text-slate-300">
              <dt className="inline">Waited for the course server: </dt>
              <dd className="inline">
                {result.waitedForServer} {result.waitedForServer === 1 ? 'call' : 'calls'} waited
                (up to {(result.longestServerWaitMs / 1000).toFixed(1)} s) before running. AWS would
                have started {result.waitedForServer === 1 ? 'it' : 'them'} at once, and Duration
                does not include the wait.
              </dd>
            </div>
          )}
          {result.throttleMessages.length > 0 && (
            <div className="col-span-3 text-xs text-slate-700 dark:text-slate-300">
              <dt className="inline">Throttled because: </dt>
              {result.throttleMessages.map((message) => (
                <dd key={message} className="inline">
                  {message}{' '}
                </dd>
              ))}
            </div>
          )}
        </dl>
      )}
    </div>
  );
}
