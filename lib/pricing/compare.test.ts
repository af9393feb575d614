import { describe, expect, it } from 'vitest';
import type { CalculatorInput } from './calculator-input';
import { HOSTING_EXAMPLE } from './testing/hosting-example';
import { compareCosts, describeBreakEven, describeVerdict } from './compare';

const withRequests = (requestsPerMonth: number): CalculatorInput => ({
  ...HOSTING_EXAMPLE,
  lambda: { ...HOSTING_EXAMPLE.lambda, requestsPerMonth },
});

describe('compareCosts', () => {
  it("finds Lambda cheaper for the Hosting lesson's example, by about $14.42", () => {
    const comparison = compareCosts(HOSTING_EXAMPLE);
    expect(comparison.cheaper).toBe('lambda');
    expect(comparison.saving).toBeCloseTo(18.02005 - 3.6, 4);
    expect(comparison.freeTierDeducted).toBe(0);
    // $18.02005 / $0.0000012 per request (0.20 per M plus 0.06 GB-s at $0.0000166667).
    expect(comparison.breakEvenRequests).toBeGreaterThan(15_016_000);
    expect(comparison.breakEvenRequests).toBeLessThan(15_017_000);
  });

  it('reports what the free tier took off', () => {
    const comparison = compareCosts({
      ...HOSTING_EXAMPLE,
      lambda: { ...HOSTING_EXAMPLE.lambda, includeFreeTier: true },
    });
    expect(comparison.lambda.total).toBeCloseTo(0.4, 6);
    expect(comparison.lambdaBeforeFreeTier.total).toBeCloseTo(3.6, 4);
    expect(comparison.freeTierDeducted).toBeCloseTo(3.2, 4);
  });

  it('finds Fargate cheaper past the break-even, and a tie at it', () => {
    expect(compareCosts(withRequests(100_000_000)).cheaper).toBe('fargate');
    const breakEven = compareCosts(HOSTING_EXAMPLE).breakEvenRequests;
    expect(compareCosts(withRequests(breakEven)).cheaper).toBe('tie');
  });
});

describe('describeVerdict', () => {
  it('names the cheaper option, both totals and the difference', () => {
    expect(describeVerdict(compareCosts(HOSTING_EXAMPLE))).toBe(
      'At 3,000,000 requests a month, Lambda is cheaper by $14.42: $3.60 against $18.02 for Fargate.',
    );
    expect(describeVerdict(compareCosts(withRequests(100_000_000)))).toBe(
      'At 100,000,000 requests a month, Fargate is cheaper by $101.98: $18.02 against $120.00 for Lambda.',
    );
  });

  it('calls a difference under half a cent a tie', () => {
    const breakEven = compareCosts(HOSTING_EXAMPLE).breakEvenRequests;
    expect(describeVerdict(compareCosts(withRequests(breakEven)))).toMatch(
      /, both cost about \$18\.02 a month\.$/,
    );
  });
});

describe('describeBreakEven', () => {
  it('gives the volume below which Lambda is cheaper', () => {
    expect(describeBreakEven(compareCosts(HOSTING_EXAMPLE))).toMatch(
      /^Break-even at 15,01\d,\d{3} requests a month \(about 15 million\): Lambda is cheaper at any volume below that, and Fargate from there up\.$/,
    );
  });

  it('says so when the costs never cross, either way', () => {
    const comparison = compareCosts(HOSTING_EXAMPLE);
    expect(
      describeBreakEven({ ...comparison, breakEvenRequests: Number.POSITIVE_INFINITY }),
    ).toMatch(/never breaks even/);
    expect(describeBreakEven({ ...comparison, breakEvenRequests: 0 })).toMatch(
      /^Lambda is never cheaper than this Fargate set-up/,
    );
  });
});
