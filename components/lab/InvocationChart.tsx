import { useId } from 'react';
import { niceTicks } from '@/lib/charts/nice-scale';
import { CHART_SVG_CLASS, ChartScroller, GridLine } from './chart-parts';
import { formatMs } from './report-format';
import type { InvocationReport } from '@/lib/labs/contract';

const WIDTH = 640;
const PLOT_LEFT = 56;
const PLOT_RIGHT = 12;
const DURATION_TOP = 24;
const DURATION_HEIGHT = 130;
const MEMORY_TOP = DURATION_TOP + DURATION_HEIGHT + 46;
const MEMORY_HEIGHT = 70;
const HEIGHT = MEMORY_TOP + MEMORY_HEIGHT + 34;

/**
 * The lab's recent invocations as two aligned bar charts: time (Init Duration
 * stacked under the handler's Duration, so a cold start towers over warm
 * calls and is labelled COLD) and memory used against the configured size.
 * The table below is the same data for screen readers and keyboard users.
 */
export function InvocationChart({ reports }: { reports: InvocationReport[] }) {
  const titleId = useId();
  const descriptionId = useId();
  // url(#…) references break on the punctuation React puts in ids.
  const patternId = `init-${titleId.replace(/[^A-Za-z0-9_-]/g, '')}`;
  if (reports.length === 0) return null;
  const shown = reports.slice(-20);
  const first = reports.length - shown.length + 1;
  const durationTicks = niceTicks(
    Math.max(...shown.map((r) => (r.initDurationMs ?? 0) + r.durationMs)),
    4,
  );
  const memoryTicks = niceTicks(
    Math.max(...shown.map((r) => Math.max(r.memorySizeMb, r.maxMemoryUsedMb))),
    2,
  );
  const durationMax = durationTicks.at(-1)!;
  const memoryMax = memoryTicks.at(-1)!;
  const slot = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / Math.max(shown.length, 4);
  const barWidth = Math.min(36, slot * 0.6);
  const x = (index: number) => PLOT_LEFT + slot * index + (slot - barWidth) / 2;
  const yDuration = (ms: number) =>
    DURATION_TOP + DURATION_HEIGHT - (ms / durationMax) * DURATION_HEIGHT;
  const yMemory = (mb: number) => MEMORY_TOP + MEMORY_HEIGHT - (mb / memoryMax) * MEMORY_HEIGHT;
  const colds = shown.filter((r) => r.coldStart).length;

  return (
    <figure className="not-prose">
      <ChartScroller label="Recent invocations">
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          className={CHART_SVG_CLASS}
          style={{ minWidth: WIDTH }}
          role="img"
          aria-labelledby={`${titleId} ${descriptionId}`}
        >
          <title id={titleId}>Recent invocations</title>
          <desc id={descriptionId}>
            {`${shown.length} invocations, ${colds} cold. Bars show Init Duration stacked under Duration in milliseconds, and Max Memory Used against Memory Size in MB. The table after the chart lists every value.`}
          </desc>
          <defs>
            <pattern
              id={patternId}
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" className="fill-amber-300 dark:fill-amber-500" />
              <line
                x1="0"
                y1="0"
                x2="0"
                y2="6"
                strokeWidth="3"
                className="stroke-amber-600 dark:stroke-amber-300"
              />
            </pattern>
          </defs>

          <text
            x={PLOT_LEFT}
            y={14}
            className="fill-slate-700 text-[12px] font-semibold dark:fill-slate-300"
          >
            Time per invocation (ms)
          </text>
          {durationTicks.map((tick) => (
            <GridLine
              key={`d${tick}`}
              y={yDuration(tick)}
              left={PLOT_LEFT}
              right={WIDTH - PLOT_RIGHT}
              label={tick.toLocaleString('en-US')}
            />
          ))}
          {shown.map((report, index) => {
            const init = report.initDurationMs ?? 0;
            const top = yDuration(init + report.durationMs);
            return (
              <g key={report.requestId}>
                {init > 0 && (
                  <rect
                    x={x(index)}
                    width={barWidth}
                    y={yDuration(init)}
                    height={Math.max(1, DURATION_TOP + DURATION_HEIGHT - yDuration(init))}
                    fill={`url(#${patternId})`}
                  />
                )}
                <rect
                  x={x(index)}
                  width={barWidth}
                  y={top}
                  height={Math.max(1, yDuration(init) - top)}
                  className="fill-sky-600 dark:fill-sky-400"
                />
                {report.coldStart && (
                  <text
                    x={x(index) + barWidth / 2}
                    y={top - 4}
                    textAnchor="middle"
                    className="fill-amber-800 text-[12px] font-bold dark:fill-amber-300"
                  >
                    COLD
                  </text>
                )}
              </g>
            );
          })}

          <text
            x={PLOT_LEFT}
            y={MEMORY_TOP - 12}
            className="fill-slate-700 text-[12px] font-semibold dark:fill-slate-300"
          >
            Max Memory Used vs Memory Size (MB)
          </text>
          {memoryTicks.map((tick) => (
            <GridLine
              key={`m${tick}`}
              y={yMemory(tick)}
              left={PLOT_LEFT}
              right={WIDTH - PLOT_RIGHT}
              label={tick.toLocaleString('en-US')}
            />
          ))}
          {shown.map((report, index) => (
            <g key={`mem-${report.requestId}`}>
              <rect
                x={x(index)}
                width={barWidth}
                y={yMemory(report.maxMemoryUsedMb)}
                height={Math.max(1, MEMORY_TOP + MEMORY_HEIGHT - yMemory(report.maxMemoryUsedMb))}
                className="fill-emerald-600 dark:fill-emerald-400"
              />
              <line
                x1={x(index) - 3}
                x2={x(index) + barWidth + 3}
                y1={yMemory(report.memorySizeMb)}
                y2={yMemory(report.memorySizeMb)}
                strokeWidth="2"
                strokeDasharray="4 2"
                className="stroke-slate-900 dark:stroke-slate-100"
              />
              <text
                x={x(index) + barWidth / 2}
                y={MEMORY_TOP + MEMORY_HEIGHT + 14}
                textAnchor="middle"
                className="fill-slate-600 text-[12px] dark:fill-slate-400"
              >
                {first + index}
              </text>
            </g>
          ))}
          <text
            x={(WIDTH + PLOT_LEFT) / 2}
            y={HEIGHT - 4}
            textAnchor="middle"
            className="fill-slate-600 text-[12px] dark:fill-slate-400"
          >
            Invocation
          </text>
        </svg>
      </ChartScroller>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
        <span className="inline-flex items-center gap-1">
          <svg aria-hidden="true" className="size-3" viewBox="0 0 12 12">
            <rect width="12" height="12" fill={`url(#${patternId})`} />
          </svg>
          Init Duration (cold start)
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block size-3 bg-sky-600 dark:bg-sky-400" />{' '}
          Duration
        </span>
        <span className="inline-flex items-center gap-1">
          <span
            aria-hidden="true"
            className="inline-block size-3 bg-emerald-600 dark:bg-emerald-400"
          />{' '}
          Max Memory Used
        </span>
        <span className="inline-flex items-center gap-1">
          <span
            aria-hidden="true"
            className="inline-block w-4 border-t-2 border-dashed border-slate-900 dark:border-slate-100"
          />{' '}
          Memory Size
        </span>
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-700 dark:text-slate-300">
          Chart data as a table
        </summary>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <thead>
              <tr>
                <th scope="col" className="pr-3">
                  #
                </th>
                <th scope="col" className="pr-3">
                  Start
                </th>
                <th scope="col" className="pr-3">
                  Init Duration
                </th>
                <th scope="col" className="pr-3">
                  Duration
                </th>
                <th scope="col" className="pr-3">
                  Billed
                </th>
                <th scope="col">Memory used / size</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((report, index) => (
                <tr key={`row-${report.requestId}`}>
                  <td className="pr-3">{first + index}</td>
                  <td className="pr-3">{report.coldStart ? 'Cold' : 'Warm'}</td>
                  <td className="pr-3">
                    {report.initDurationMs === undefined ? '—' : formatMs(report.initDurationMs)}
                  </td>
                  <td className="pr-3">{formatMs(report.durationMs)}</td>
                  <td className="pr-3">{report.billedDurationMs} ms</td>
                  <td>
                    {report.maxMemoryUsedMb} / {report.memorySizeMb} MB
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
