export interface ComparisonProps {
  /** Column headings; the first heads the row labels and may be empty. */
  headers: string[];
  /** One array per row; the first cell labels the row. */
  rows: string[][];
  /** Says what is being compared; also names the table for screen readers. */
  caption?: string;
}

/** A side-by-side comparison, scrollable on its own on narrow screens. */
export function Comparison({ headers, rows, caption }: ComparisonProps) {
  return (
    <div
      role="region"
      aria-label={caption ?? 'Comparison'}
      tabIndex={0}
      className="not-prose my-6 overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-700"
    >
      <table className="w-full border-collapse text-left text-sm">
        {caption && (
          <caption className="px-4 pt-3 pb-1 text-left font-semibold text-slate-900 dark:text-slate-100">
            {caption}
          </caption>
        )}
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            {headers.map((header, index) => (
              <th
                key={index}
                scope="col"
                className="px-4 py-2 font-semibold text-slate-900 dark:text-slate-100"
              >
                {header || <span className="sr-only">Aspect</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr
              key={rowIndex}
              className="border-t border-slate-200 align-top dark:border-slate-700"
            >
              {row.map((cell, cellIndex) =>
                cellIndex === 0 ? (
                  <th
                    key={cellIndex}
                    scope="row"
                    className="px-4 py-2 font-medium text-slate-900 dark:text-slate-100"
                  >
                    {cell}
                  </th>
                ) : (
                  <td key={cellIndex} className="px-4 py-2 text-slate-700 dark:text-slate-300">
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
