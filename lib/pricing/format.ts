/**
 * Number formats for the cost calculator. Fixed to en-US so the server render
 * and the browser's agree, whatever the learner's locale.
 */

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const USD_SHORT = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});
const USD_COMPACT = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const COUNT_COMPACT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const COUNT_COMPACT_LONG = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  compactDisplay: 'long',
  maximumFractionDigits: 1,
});
const DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** A monthly amount in dollars and cents: "$18.02"; a positive amount under half a cent is "less than $0.01", never "$0.00". */
export function formatUsd(amount: number): string {
  if (amount > 0 && amount < 0.005) return 'less than $0.01';
  return USD.format(amount);
}

/** An axis label: "$0", "$2.5", "$0.05", "$12.5K". */
export function formatUsdTick(amount: number): string {
  return amount >= 1000 ? USD_COMPACT.format(amount) : USD_SHORT.format(amount);
}

/** A whole count with thousands separators: "15,384,616". */
export function formatCount(count: number): string {
  return COUNT.format(count);
}

/** A count for a chart label: "15.4M", "100K". */
export function formatCountShort(count: number): string {
  return COUNT_COMPACT.format(count);
}

/** A count in words for prose: "15.4 million". */
export function formatCountWords(count: number): string {
  return COUNT_COMPACT_LONG.format(count);
}

/** A plain number with up to four decimals: "0.25", "365". */
export function formatDecimal(value: number): string {
  return DECIMAL.format(value);
}
