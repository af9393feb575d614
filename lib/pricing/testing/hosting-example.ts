import type { CalculatorInput } from '../calculator-input';

/** The Hosting lesson's workloads: what the calculator's default form describes. */
export const HOSTING_EXAMPLE: CalculatorInput = {
  lambda: {
    requestsPerMonth: 3_000_000,
    averageDurationMs: 120,
    memoryMb: 512,
    architecture: 'x86_64',
    includeFreeTier: false,
  },
  fargate: {
    tasks: 1,
    vcpuPerTask: 0.5,
    memoryGbPerTask: 1,
    hoursPerMonth: 730,
    architecture: 'x86_64',
  },
};
