import { describe, expect, it } from 'vitest';
import { niceStep, niceTicks } from './nice-scale';

describe('niceStep', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(9.01)).toBe(10);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(37)).toBe(50);
    expect(niceStep(1200)).toBe(2000);
  });

  it('avoids 2.5 below a dollar, where labels would need a third decimal', () => {
    expect(niceStep(0.022)).toBe(0.05);
    expect(niceStep(0.3)).toBe(0.5);
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
