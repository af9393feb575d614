import { useId, type ReactNode } from 'react';
import type { BreakEvenChart as Chart, Label } from '@/lib/pricing/break-even-chart';
import { cheaperOf } from '@/lib/pricing/compare';
import { formatCount, formatUsd } from '@/lib/pricing/format';

/** Line styles shared by the chart and its legend: colour and dash pattern both tell the lines apart. */
const LAMBDA_LINE = 'stroke-orange-700 dark:stroke-orange-400';
const FARGATE_LINE = 'stroke-sky-700 dark:stroke-sky-400';
const FARGATE_DASH = '8 5';
const CURRENT_LINE = 'stroke-slate-600 dark:stroke-slate-300';
const CURRENT_DASH = '2 4';
const MARKER = 'fill-slate-900 stroke-white dark:fill-white dark:stroke-slate-950';
/** Text drawn over lines gets an outline in the page colour, so it stays readable where they cross. */
const HALO_TEXT = 'fill-slate-900 stroke-white dark:fill-slate-100 dark:stroke-slate-950';

const CHEAPER = { lambda: 'Lambda', fargate: 'Fargate', tie: 'Same' } as const;

function ChartLabel({ label, bold = false }: { label: Label; bold?: boolean }) {
  return (
    <text
      x={label.x}
      y={label.y}
      textAnchor={label.anchor}
      fontSize={12}
      fontWeight={bold ? 600 : 400}
      paintOrder="stroke"
      strokeWidth={4}
      strokeLinejoin="round"
      className={HALO_TEXT}
    >
      {label.text}
    </text>
  );
}

function LegendSwatch({ children }: { children: ReactNode }) {
  return (
    <svg aria-hidden="true" width="32" height="12" viewBox="0 0 32 12" className="shrink-0">
      {children}
    </svg>
  );
}

/**
 * Monthly cost against requests per month, drawn from a computed
 * BreakEvenChart. Screen readers get the title and a description in
 * sentences; everyone can open the data as a table.
 */
export function BreakEvenChart({ chart, title }: { chart: Chart; title: string }) {
  const id = useId();
  const titleId = `${id}-title`;
  const descriptionId = `${id}-description`;
  const { plot } = chart;
  const middle = (plot.left + plot.right) / 2;

  return (
    <div>
      <ul className="mb-2 flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
        <li className="flex items-center gap-2">
          <LegendSwatch>
            <line x1="0" y1="6" x2="32" y2="6" strokeWidth="2.5" className={LAMBDA_LINE} />
          </LegendSwatch>
          AWS Lambda (solid line)
        </li>
        <li className="flex items-center gap-2">
          <LegendSwatch>
            <line
              x1="0"
              y1="6"
              x2="32"
              y2="6"
              strokeWidth="2.5"
              strokeDasharray={FARGATE_DASH}
              className={FARGATE_LINE}
            />
          </LegendSwatch>
          AWS Fargate (dashed line)
        </li>
        <li className="flex items-center gap-2">
          <LegendSwatch>
            <path d="M16,1L21,6L16,11L11,6Z" strokeWidth="1" className={MARKER} />
          </LegendSwatch>
          Break-even (diamond)
        </li>
        <li className="flex items-center gap-2">
          <LegendSwatch>
            <line
              x1="16"
              y1="0"
              x2="16"
              y2="12"
              strokeWidth="1.5"
              strokeDasharray="2 2"
              className={CURRENT_LINE}
            />
          </LegendSwatch>
          Your volume (dotted line)
        </li>
      </ul>

      <svg
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        width="100%"
        role="img"
        aria-labelledby={`${titleId} ${descriptionId}`}
        className="block h-auto"
      >
        <title id={titleId}>{title}</title>
        <desc id={descriptionId}>{chart.description}</desc>

        <g fontSize={12} className="fill-slate-600 dark:fill-slate-400">
          {chart.yTicks.map((tick) => (
            <g key={tick.value}>
              <line
                x1={plot.left}
                x2={plot.right}
                y1={tick.position}
                y2={tick.position}
                strokeWidth="1"
                className="stroke-slate-200 dark:stroke-slate-700"
              />
              <text x={plot.left - 8} y={tick.position} dy="0.32em" textAnchor="end">
                {tick.label}
              </text>
            </g>
          ))}
          {chart.xTicks.map((tick) => (
            <g key={tick.value}>
              <line
                x1={tick.position}
                x2={tick.position}
                y1={plot.top}
                y2={plot.bottom + 5}
                strokeWidth="1"
                className="stroke-slate-200 dark:stroke-slate-700"
              />
              {tick.label && (
                <text x={tick.position} y={plot.bottom + 20} textAnchor="middle">
                  {tick.label}
                </text>
              )}
            </g>
          ))}
          <text x={4} y={14}>
            USD per month
          </text>
          <text x={middle} y={chart.height - 6} textAnchor="middle">
            Requests per month (log scale)
          </text>
        </g>
        <path
          d={`M${plot.left},${plot.top}V${plot.bottom}H${plot.right}`}
          fill="none"
          strokeWidth="1"
          className="stroke-slate-500 dark:stroke-slate-400"
        />

        <path
          d={chart.fargatePath}
          fill="none"
          strokeWidth="2.5"
          strokeDasharray={FARGATE_DASH}
          className={FARGATE_LINE}
        />
        <path
          d={chart.lambdaPath}
          fill="none"
          strokeWidth="2.5"
          strokeLinejoin="round"
          className={LAMBDA_LINE}
        />

        {chart.current && (
          <g>
            <line
              x1={chart.current.x}
              x2={chart.current.x}
              y1={plot.top}
              y2={plot.bottom}
              strokeWidth="1.5"
              strokeDasharray={CURRENT_DASH}
              className={CURRENT_LINE}
            />
            <circle
              cx={chart.current.lambda.x}
              cy={chart.current.lambda.y}
              r="4.5"
              strokeWidth="1.5"
              className="fill-orange-700 stroke-white dark:fill-orange-400 dark:stroke-slate-950"
            />
            <rect
              x={chart.current.fargate.x - 4}
              y={chart.current.fargate.y - 4}
              width="8"
              height="8"
              strokeWidth="1.5"
              className="fill-sky-700 stroke-white dark:fill-sky-400 dark:stroke-slate-950"
            />
            <ChartLabel label={chart.current.label} />
          </g>
        )}
        {chart.breakEven && (
          <g>
            <path
              d={`M${chart.breakEven.point.x},${chart.breakEven.point.y - 7}l7,7l-7,7l-7,-7Z`}
              strokeWidth="1.5"
              className={MARKER}
            />
            <ChartLabel label={chart.breakEven.label} bold />
          </g>
        )}
      </svg>

      <details className="mt-3 text-sm">
        <summary className="cursor-pointer font-medium text-slate-800 dark:text-slate-200">
          Chart data as a table
        </summary>
        <div
          role="region"
          aria-label="Chart data"
          tabIndex={0}
          className="mt-2 overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-700"
        >
          <table className="w-full border-collapse text-left">
            <caption className="px-3 pt-2 pb-1 text-left font-semibold text-slate-900 dark:text-slate-100">
              Monthly cost at each volume on the chart
            </caption>
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr>
                {['Requests per month', 'AWS Lambda', 'AWS Fargate', 'Cheaper'].map((header) => (
                  <th
                    key={header}
                    scope="col"
                    className="px-2 py-2 font-semibold sm:px-3 text-slate-900 dark:text-slate-100"
                  >
                    {header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.rows.map((row) => (
                <tr key={row.requests} className="border-t border-slate-200 dark:border-slate-700">
                  <th
                    scope="row"
                    className="px-2 py-1.5 sm:px-3 font-medium whitespace-nowrap text-slate-900 tabular-nums dark:text-slate-100"
                  >
                    {formatCount(row.requests)}
                    {row.note && (
                      <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">
                        {row.note}
                      </span>
                    )}
                  </th>
                  <td className="px-2 py-1.5 sm:px-3 text-slate-700 tabular-nums dark:text-slate-300">
                    {formatUsd(row.lambda)}
                  </td>
                  <td className="px-2 py-1.5 sm:px-3 text-slate-700 tabular-nums dark:text-slate-300">
                    {formatUsd(row.fargate)}
                  </td>
                  <td className="px-2 py-1.5 sm:px-3 text-slate-700 dark:text-slate-300">
                    {CHEAPER[cheaperOf(row.lambda, row.fargate)]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
