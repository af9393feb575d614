import type { ReactNode } from 'react';

/**
 * A horizontal gridline across a chart's plot, labelled with its value at the
 * left. Chart text is 12 px or more, and charts never draw smaller than their
 * viewBox (ChartScroller scrolls them instead), so every label stays legible.
 */
export function GridLine({
  y,
  left,
  right,
  label,
}: {
  y: number;
  left: number;
  right: number;
  label: string;
}) {
  return (
    <g>
      <line x1={left} x2={right} y1={y} y2={y} className="stroke-slate-200 dark:stroke-slate-700" />
      <text
        x={left - 6}
        y={y + 4}
        textAnchor="end"
        className="fill-slate-600 text-[12px] dark:fill-slate-400"
      >
        {label}
      </text>
    </g>
  );
}

/** A chart's SVG: full width, never narrower than its viewBox (the figure scrolls sideways instead). */
export const CHART_SVG_CLASS = 'h-auto w-full';

/** Lets a chart keep its full size on a narrow screen: it scrolls sideways, and the keyboard can scroll it too. */
export function ChartScroller({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div
      role="region"
      aria-label={`${label} (scrolls sideways)`}
      tabIndex={0}
      className="overflow-x-auto"
    >
      {children}
    </div>
  );
}
