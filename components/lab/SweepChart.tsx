import { useId } from 'react';
import { niceTicks } from '@/lib/charts/nice-scale';
import { formatMs, formatUsdPerMillion } from './report-format';
import { CHART_SVG_CLASS, ChartScroller, GridLine } from './chart-parts';

export interface SweepPoint {
  memoryMb: number;
  /** The warm call's Duration: what each later request costs in time. */
  durationMs: number;
  /** The warm call's cost. */
  costUsd: number;
}

const WIDTH = 360;
const HEIGHT = 210;
const LEFT = 64;
/** Room for half of the last memory label ("3,008"), which is centred on the plot's edge. */
const RIGHT = 26;
const TOP = 24;
const BOTTOM = 46;

/**
 * The power-tuning picture: duration and cost of the same warm call at each
 * memory size, as two small line charts on the same memory axis, with the
 * figures in a table for screen readers.
 */
export function SweepChart({ points }: { points: SweepPoint[] }) {
  const id = useId();
  if (points.length === 0) return null;
  const cheapest = points.reduce((best, p) => (p.costUsd < best.costUsd ? p : best));
  const fastest = points.reduce((best, p) => (p.durationMs < best.durationMs ? p : best));
  return (
    <figure className="not-prose">
      <div className="grid gap-4 @3xl:grid-cols-2">
        <LineChart
          id={`${id}-d`}
          title="Duration (ms) by memory"
          points={points.map((p) => ({ x: p.memoryMb, y: p.durationMs }))}
          format={(v) => v.toLocaleString('en-US')}
          className="stroke-sky-600 dark:stroke-sky-400"
          dotClass="fill-sky-600 dark:fill-sky-400"
        />
        <LineChart
          id={`${id}-c`}
          title="Cost per million calls (USD) by memory"
          points={points.map((p) => ({ x: p.memoryMb, y: p.costUsd * 1_000_000 }))}
          format={(v) => v.toLocaleString('en-US', { maximumFractionDigits: 3 })}
          className="stroke-amber-600 dark:stroke-amber-400"
          dotClass="fill-amber-600 dark:fill-amber-400"
          dashed
        />
      </div>
      <figcaption className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Fastest at {fastest.memoryMb.toLocaleString('en-US')} MB ({formatMs(fastest.durationMs)});
        cheapest at {cheapest.memoryMb.toLocaleString('en-US')} MB (
        {formatUsdPerMillion(cheapest.costUsd)}). Each point is a warm call after a cold one.
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-700 dark:text-slate-300">
          Sweep data as a table
        </summary>
        <table className="mt-2 w-full text-left text-xs">
          <thead>
            <tr>
              <th scope="col">Memory</th>
              <th scope="col">Duration (warm)</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.memoryMb}>
                <td>{p.memoryMb.toLocaleString('en-US')} MB</td>
                <td>{formatMs(p.durationMs)}</td>
                <td>{formatUsdPerMillion(p.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

interface LineChartProps {
  id: string;
  title: string;
  points: { x: number; y: number }[];
  format(value: number): string;
  className: string;
  dotClass: string;
  dashed?: boolean;
}

function LineChart({
  id,
  title,
  points,
  format,
  className,
  dotClass,
  dashed = false,
}: LineChartProps) {
  const yTicks = niceTicks(Math.max(...points.map((p) => p.y)), 4);
  const yMax = yTicks.at(-1)!;
  const xMax = Math.max(...points.map((p) => p.x));
  const xTicks = points.map((p) => p.x);
  const px = (x: number) => LEFT + (x / xMax) * (WIDTH - LEFT - RIGHT);
  const py = (y: number) => TOP + (HEIGHT - TOP - BOTTOM) * (1 - y / yMax);
  const titleId = `${id}-title`;
  return (
    <ChartScroller label={title}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className={CHART_SVG_CLASS}
        style={{ minWidth: WIDTH }}
        role="img"
        aria-labelledby={titleId}
      >
        <title
          id={titleId}
        >{`${title}: ${points.map((p) => `${p.x} MB ${format(p.y)}`).join('; ')}`}</title>
        <text
          x={LEFT}
          y={14}
          className="fill-slate-700 text-[12px] font-semibold dark:fill-slate-300"
        >
          {title}
        </text>
        {yTicks.map((tick) => (
          <GridLine
            key={tick}
            y={py(tick)}
            left={LEFT}
            right={WIDTH - RIGHT}
            label={format(tick)}
          />
        ))}
        {xTicks.map((tick, index) => (
          <text
            key={tick}
            x={px(tick)}
            y={HEIGHT - BOTTOM + 16 + (index % 2) * 13}
            textAnchor="middle"
            className="fill-slate-600 text-[12px] dark:fill-slate-400"
          >
            {tick.toLocaleString('en-US')}
          </text>
        ))}
        <text
          x={(WIDTH + LEFT) / 2}
          y={HEIGHT - 4}
          textAnchor="middle"
          className="fill-slate-600 text-[12px] dark:fill-slate-400"
        >
          Memory (MB)
        </text>
        <polyline
          points={points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}
          fill="none"
          strokeWidth="2"
          strokeDasharray={dashed ? '5 3' : undefined}
          className={className}
        />
        {points.map((p) => (
          <circle key={p.x} cx={px(p.x)} cy={py(p.y)} r="3.5" className={dotClass} />
        ))}
      </svg>
    </ChartScroller>
  );
}
