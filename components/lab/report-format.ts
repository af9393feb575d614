/**
 * Formatting and scales for the code lab's output and charts: framework-free
 * so the figures a learner reads are tested apart from the UI.
 */

/** Milliseconds as Lambda's REPORT writes them: two decimals. */
export function formatMs(ms: number): string {
  return `${ms.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ms`;
}

/** One call's cost in US dollars (pricing/format's formatUsd is for monthly bills): a call costs millionths of a dollar, so small amounts keep three significant digits instead of reading "$0.00". */
export function formatCallCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.01)
    return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(20, 2 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals).replace(/0+$/, '')}`;
}

/** The cost of a million such calls: an easier number to compare than one call's. */
export function formatUsdPerMillion(usd: number): string {
  const perMillion = usd * 1_000_000;
  return `$${perMillion.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: perMillion < 1 ? 4 : 2 })} per million calls`;
}

/** The memory sizes a sweep runs at: from the smallest to one vCPU and beyond, as in the power-tuning picture. */
export const SWEEP_MEMORY_SIZES_MB = [128, 512, 1024, 1769, 3008] as const;
