import { describe, expect, it } from 'vitest';
import { formatMs, formatUsd, formatUsdPerMillion, niceTicks } from './report-view';

describe('lab report formatting', () => {
  it('writes durations with two decimals, like the REPORT line', () => {
    expect(formatMs(1.5)).toBe('1.50 ms');
    expect(formatMs(1234.567)).toBe('1,234.57 ms');
  });

  it('keeps tiny per-call costs readable instead of rounding them to nothing', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.0000021)).toBe('$0.0000021');
    expect(formatUsd(0.000000208)).toBe('$0.000000208');
    expect(formatUsd(0.00123456)).toBe('$0.00123');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsdPerMillion(0.0000021)).toBe('$2.10 per million calls');
  });
});

describe('niceTicks', () => {
  it('covers the maximum with round steps', () => {
    expect(niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(3.2, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0.00042, 4)).toEqual([0, 0.0002, 0.0004, 0.0006]);
  });

  it('gives a usable axis for empty or broken input', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});
