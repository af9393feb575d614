/**
 * A row of tabs for one panel, as the ARIA tabs pattern describes: only the
 * selected tab is in the Tab order, and the arrow keys move along the row
 * (wrapping at the ends), selecting as they go.
 */
export function TabList({
  label,
  tabs,
  selected,
  onSelect,
  tabId,
  controls,
  monospace = false,
}: {
  label: string;
  tabs: readonly { id: string; label: string }[];
  selected: string;
  onSelect(id: string): void;
  /** The element id of a tab, which its panel is labelled by. */
  tabId(id: string): string;
  /** The id of the panel the tabs switch. */
  controls: string;
  /** File names read better in the code font. */
  monospace?: boolean;
}) {
  const index = tabs.findIndex((t) => t.id === selected);
  return (
    <div
      role="tablist"
      aria-label={label}
      className="flex flex-wrap gap-1 border-b border-slate-200 px-2 pt-2 dark:border-slate-700"
    >
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={tabId(tab.id)}
          aria-selected={tab.id === selected}
          aria-controls={controls}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
            const step = event.key === 'ArrowRight' ? 1 : tabs.length - 1;
            const next = tabs[(index + step) % tabs.length]!;
            onSelect(next.id);
            document.getElementById(tabId(next.id))?.focus();
          }}
          className={`rounded-t border border-b-0 border-slate-300 px-3 py-1 text-xs aria-selected:bg-slate-100 aria-selected:font-bold dark:border-slate-600 dark:aria-selected:bg-slate-800 ${monospace ? 'font-mono' : ''}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
