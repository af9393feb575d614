import { describe, expect, it } from 'vitest';
import { breakEvenRequestsPerMonth, fargateMonthlyCost, lambdaMonthlyCost } from './cost-model';

const api = { averageDurationMs: 120, memoryMb: 512, architecture: 'x86_64' as const };

describe('lambdaMonthlyCost', () => {
  it("prices the Hosting lesson's example: 3 M requests of 120 ms at 512 MB is $3.60", () => {
    const cost = lambdaMonthlyCost({ ...api, requestsPerMonth: 3_000_000 });
    expect(cost.gbSeconds).toBeCloseTo(180_000, 6);
    expect(cost.requests).toBeCloseTo(0.6, 10);
    expect(cost.compute).toBeCloseTo(3.0, 4);
    expect(cost.total).toBeCloseTo(3.6, 4);
  });

  it('subtracts the free tier of 1 M requests and 400,000 GB-seconds', () => {
    expect(
      lambdaMonthlyCost({ ...api, requestsPerMonth: 3_000_000, includeFreeTier: true }).total,
    ).toBeCloseTo(0.4, 6);
  });

  it('rounds each request up to the next millisecond', () => {
    const rounded = lambdaMonthlyCost({
      requestsPerMonth: 1_000_000,
      averageDurationMs: 0.2,
      memoryMb: 1024,
      architecture: 'x86_64',
    });
    expect(rounded.gbSeconds).toBeCloseTo(1_000, 6);
  });

  it('moves to the cheaper tiers past 6 and 15 billion GB-seconds on x86', () => {
    // 7 B GB-seconds: 6 B at the first price, 1 B at the second.
    const cost = lambdaMonthlyCost({
      requestsPerMonth: 7_000_000_000,
      averageDurationMs: 1000,
      memoryMb: 1024,
      architecture: 'x86_64',
    });
    expect(cost.compute).toBeCloseTo(6e9 * 0.0000166667 + 1e9 * 0.000015, 0);
  });

  it('charges Arm less per GB-second', () => {
    const x86 = lambdaMonthlyCost({ ...api, requestsPerMonth: 10_000_000 });
    const arm = lambdaMonthlyCost({ ...api, requestsPerMonth: 10_000_000, architecture: 'arm64' });
    expect(arm.compute / x86.compute).toBeCloseTo(0.0000133334 / 0.0000166667, 6);
  });

  it('refuses negative or non-finite inputs', () => {
    expect(() => lambdaMonthlyCost({ ...api, requestsPerMonth: -1 })).toThrow(
      /requestsPerMonth must be a finite number/,
    );
    expect(() => lambdaMonthlyCost({ ...api, requestsPerMonth: Number.NaN })).toThrow(RangeError);
  });
});

describe('fargateMonthlyCost', () => {
  it('prices one always-on 0.5 vCPU, 1 GB task at about $18.02', () => {
    const cost = fargateMonthlyCost({
      tasks: 1,
      vcpuPerTask: 0.5,
      memoryGbPerTask: 1,
      hoursPerMonth: 730,
      architecture: 'x86_64',
    });
    expect(cost.vcpu).toBeCloseTo(14.7752, 4);
    expect(cost.memory).toBeCloseTo(3.24485, 4);
    expect(cost.total).toBeCloseTo(18.02, 2);
  });
});

describe('breakEvenRequestsPerMonth', () => {
  it('finds where Lambda starts to cost more than the Fargate set-up', () => {
    const fargate = {
      tasks: 1,
      vcpuPerTask: 0.5,
      memoryGbPerTask: 1,
      hoursPerMonth: 730,
      architecture: 'x86_64' as const,
    };
    const breakEven = breakEvenRequestsPerMonth(api, fargate);
    const fargateTotal = fargateMonthlyCost(fargate).total;
    expect(lambdaMonthlyCost({ ...api, requestsPerMonth: breakEven - 1 }).total).toBeLessThan(
      fargateTotal,
    );
    expect(lambdaMonthlyCost({ ...api, requestsPerMonth: breakEven }).total).toBeGreaterThanOrEqual(
      fargateTotal,
    );
    // $18.02 / ($0.20 per M + 0.06 GB-s x $0.0000166667) is about 15 M requests.
    expect(breakEven).toBeGreaterThan(14_000_000);
    expect(breakEven).toBeLessThan(16_000_000);
  });

  it('is zero when Fargate costs nothing and Lambda something', () => {
    expect(
      breakEvenRequestsPerMonth(api, {
        tasks: 0,
        vcpuPerTask: 1,
        memoryGbPerTask: 2,
        hoursPerMonth: 730,
        architecture: 'x86_64',
      }),
    ).toBe(0);
  });
});
