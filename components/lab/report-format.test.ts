import { describe, expect, it } from 'vitest';
import { formatMs, formatCallCost, formatUsdPerMillion } from './report-format';

describe('lab report formatting', () => {
  it('writes durations with two decimals, like the REPORT line', () => {
    expect(formatMs(1.5)).toBe('1.50 ms');
    expect(formatMs(1234.567)).toBe('1,234.57 ms');
  });

  it('keeps tiny per-call costs readable instead of rounding them to nothing', () => {
    expect(formatCallCost(0)).toBe('$0');
    expect(formatCallCost(0.0000021)).toBe('$0.0000021');
    expect(formatCallCost(0.000000208)).toBe('$0.000000208');
    expect(formatCallCost(0.00123456)).toBe('$0.00123');
    expect(formatCallCost(12.5)).toBe('$12.50');
    expect(formatUsdPerMillion(0.0000021)).toBe('$2.10 per million calls');
  });
});
