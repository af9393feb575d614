/**
 * Formatting and scales for the code lab's output and charts: framework-free
 * so the figures a learner reads are tested apart from the UI.
 */

/** Milliseconds as Lambda's REPORT writes them: two decimals. */
export function formatMs(ms: number): string {
  return `${ms.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ms`;
}

/** A cost in US dollars: a call costs millionths of a dollar, so small amounts keep three significant digits instead of reading "$0.00". */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.01) return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(20, 2 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals).replace(/0+$/, '')}`;
}

/** The cost of a million such calls: an easier number to compare than one call's. */
export function formatUsdPerMillion(usd: number): string {
  const perMillion = usd * 1_000_000;
  return `$${perMillion.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: perMillion < 1 ? 4 : 2 })} per million calls`;
}

/**
 * Tick values from 0 to at least `max`, at a "nice" step (1, 2 or 5 times a
 * power of ten), about `count` of them: the axes of the lab's charts.
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let value = 0; value < max + step / 2 && ticks.length <= count * 3; value += step) ticks.push(Number(value.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

/** The memory sizes a sweep runs at: from the smallest to one vCPU and beyond, as in the power-tuning picture. */
export const SWEEP_MEMORY_SIZES_MB = [128, 512, 1024, 1769, 3008] as const;
