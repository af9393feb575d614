/** A horizontal gridline across a chart's plot, labelled with its value at the left. */
export function GridLine({
  y,
  left,
  right,
  label,
  small = false,
}: {
  y: number;
  left: number;
  right: number;
  label: string;
  /** The smaller label of a compact chart. */
  small?: boolean;
}) {
  return (
    <g>
      <line x1={left} x2={right} y1={y} y2={y} className="stroke-slate-200 dark:stroke-slate-700" />
      <text
        x={left - (small ? 5 : 6)}
        y={y + 4}
        textAnchor="end"
        className={`fill-slate-600 ${small ? 'text-[10px]' : 'text-[11px]'} dark:fill-slate-400`}
      >
        {label}
      </text>
    </g>
  );
}
