import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatCountShort,
  formatCountWords,
  formatUsd,
  formatUsdTick,
} from './format';

describe('formatUsd', () => {
  it('prints dollars and cents with separators', () => {
    expect(formatUsd(18.0237)).toBe('$18.02');
    expect(formatUsd(1234567.891)).toBe('$1,234,567.89');
    expect(formatUsd(0)).toBe('$0.00');
  });

  it('never rounds a real cost down to $0.00', () => {
    expect(formatUsd(0.0004)).toBe('less than $0.01');
    expect(formatUsd(0.005)).toBe('$0.01');
  });
});

describe('formatUsdTick', () => {
  it('drops needless decimals and shortens thousands', () => {
    expect(formatUsdTick(0)).toBe('$0');
    expect(formatUsdTick(2.5)).toBe('$2.5');
    expect(formatUsdTick(0.05)).toBe('$0.05');
    expect(formatUsdTick(12_500)).toBe('$12.5K');
    expect(formatUsdTick(2_000_000)).toBe('$2M');
  });
});

describe('request counts', () => {
  it('reads in full, short and in words', () => {
    expect(formatCount(15_384_616)).toBe('15,384,616');
    expect(formatCountShort(15_384_616)).toBe('15.4M');
    expect(formatCountShort(100_000)).toBe('100K');
    expect(formatCountWords(15_384_616)).toBe('15.4 million');
  });
});
