import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** The editor's share of a side-by-side lab, in percent: neither pane may shrink past usefulness. */
export const SPLIT_LIMITS = { min: 30, max: 75, step: 5 } as const;

export function clampSplit(percent: number): number {
  return Math.round(Math.min(SPLIT_LIMITS.max, Math.max(SPLIT_LIMITS.min, percent)));
}

/**
 * The bar between the editor and the output: drag it, or focus it and use
 * the arrow keys (Home and End for the limits), as the ARIA window-splitter
 * pattern describes.
 */
export function PaneSplitter({
  split,
  onChange,
  controls,
}: {
  split: number;
  onChange(percent: number): void;
  /** The id of the pane it resizes (the editor's). */
  controls: string;
}) {
  const dragging = useRef(false);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    const panes = event.currentTarget.parentElement?.getBoundingClientRect();
    if (!panes || panes.width === 0) return;
    onChange(clampSplit(((event.clientX - panes.left) / panes.width) * 100));
  };
  const onPointerUp = () => {
    dragging.current = false;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next =
      event.key === 'ArrowLeft'
        ? split - SPLIT_LIMITS.step
        : event.key === 'ArrowRight'
          ? split + SPLIT_LIMITS.step
          : event.key === 'Home'
            ? SPLIT_LIMITS.min
            : event.key === 'End'
              ? SPLIT_LIMITS.max
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    onChange(clampSplit(next));
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the editor and the output"
      aria-controls={controls}
      aria-valuenow={split}
      aria-valuemin={SPLIT_LIMITS.min}
      aria-valuemax={SPLIT_LIMITS.max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      className="group hidden w-2 cursor-col-resize touch-none items-stretch justify-center bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 @5xl:flex dark:bg-slate-800"
    >
      <span
        aria-hidden="true"
        className="w-0.5 bg-slate-300 group-hover:bg-brand-500 dark:bg-slate-600"
      />
    </div>
  );
}
