/**
 * Monthly cost of running a workload on AWS Lambda or on AWS Fargate, at the
 * us-east-1 on-demand prices in ../shared/AWS-FACTS.md (aws.amazon.com/lambda/pricing,
 * aws.amazon.com/fargate/pricing). Used by the Lambda vs Fargate calculator.
 */

export type Architecture = 'x86_64' | 'arm64';

/** Lambda request price: $0.20 per million. */
export const LAMBDA_PRICE_PER_REQUEST = 0.2 / 1_000_000;

/** Lambda duration tiers per GB-second, by monthly GB-seconds used (x86). */
export const LAMBDA_X86_TIERS = [
  { upToGbSeconds: 6_000_000_000, pricePerGbSecond: 0.0000166667 },
  { upToGbSeconds: 15_000_000_000, pricePerGbSecond: 0.000015 },
  { upToGbSeconds: Number.POSITIVE_INFINITY, pricePerGbSecond: 0.0000133334 },
] as const;

/** Arm's first-tier price; AWS-FACTS.md lists only this tier for arm64, so it applies throughout. */
export const LAMBDA_ARM_PRICE_PER_GB_SECOND = 0.0000133334;

/** The monthly free tier: 1 M requests and 400,000 GB-seconds, not expiring. */
export const LAMBDA_FREE_REQUESTS = 1_000_000;
export const LAMBDA_FREE_GB_SECONDS = 400_000;

/** Fargate Linux prices per vCPU-hour and per GB-hour. */
export const FARGATE_PRICES = {
  x86_64: { perVcpuHour: 0.04048, perGbHour: 0.004445 },
  arm64: { perVcpuHour: 0.03238, perGbHour: 0.00356 },
} as const;

/** Hours in an average month (8,760 / 12), the usual basis for monthly estimates. */
export const HOURS_PER_MONTH = 730;

export interface LambdaWorkload {
  requestsPerMonth: number;
  /** Average billed duration per request, in ms (Lambda rounds each up to the next 1 ms). */
  averageDurationMs: number;
  memoryMb: number;
  architecture: Architecture;
  /** Subtract the monthly free tier. @default false */
  includeFreeTier?: boolean;
}

export interface LambdaCost {
  requests: number;
  compute: number;
  total: number;
  gbSeconds: number;
}

export function lambdaMonthlyCost(workload: LambdaWorkload): LambdaCost {
  assertNonNegative(workload);
  const billedMs = Math.ceil(workload.averageDurationMs);
  const gbSeconds = workload.requestsPerMonth * (billedMs / 1000) * (workload.memoryMb / 1024);
  const free = workload.includeFreeTier ?? false;
  const billableRequests = Math.max(
    0,
    workload.requestsPerMonth - (free ? LAMBDA_FREE_REQUESTS : 0),
  );
  const billableGbSeconds = Math.max(0, gbSeconds - (free ? LAMBDA_FREE_GB_SECONDS : 0));
  const requests = billableRequests * LAMBDA_PRICE_PER_REQUEST;
  const compute =
    workload.architecture === 'arm64'
      ? billableGbSeconds * LAMBDA_ARM_PRICE_PER_GB_SECOND
      : tieredCompute(billableGbSeconds);
  return { requests, compute, total: requests + compute, gbSeconds };
}

function tieredCompute(gbSeconds: number): number {
  let cost = 0;
  let from = 0;
  for (const tier of LAMBDA_X86_TIERS) {
    const inTier = Math.min(gbSeconds, tier.upToGbSeconds) - from;
    if (inTier <= 0) break;
    cost += inTier * tier.pricePerGbSecond;
    from = tier.upToGbSeconds;
  }
  return cost;
}

export interface FargateWorkload {
  tasks: number;
  vcpuPerTask: number;
  memoryGbPerTask: number;
  /** Hours each task runs in the month; HOURS_PER_MONTH for always on. */
  hoursPerMonth: number;
  architecture: Architecture;
}

export interface FargateCost {
  vcpu: number;
  memory: number;
  total: number;
}

export function fargateMonthlyCost(workload: FargateWorkload): FargateCost {
  assertNonNegative(workload);
  const prices = FARGATE_PRICES[workload.architecture];
  const taskHours = workload.tasks * workload.hoursPerMonth;
  const vcpu = taskHours * workload.vcpuPerTask * prices.perVcpuHour;
  const memory = taskHours * workload.memoryGbPerTask * prices.perGbHour;
  return { vcpu, memory, total: vcpu + memory };
}

/**
 * The monthly request count at which Lambda costs as much as the given Fargate
 * set-up, for requests of this duration and memory; Lambda is cheaper below it.
 * Solved exactly: Lambda's cost is piecewise linear in requests.
 */
export function breakEvenRequestsPerMonth(
  lambda: Omit<LambdaWorkload, 'requestsPerMonth'>,
  fargate: FargateWorkload,
): number {
  const target = fargateMonthlyCost(fargate).total;
  const cost = (requests: number) =>
    lambdaMonthlyCost({ ...lambda, requestsPerMonth: requests }).total;
  if (cost(0) >= target) return 0;
  let high = 1;
  while (cost(high) < target) {
    high *= 2;
    if (high > 1e15) return Number.POSITIVE_INFINITY;
  }
  let low = high / 2;
  // Bisection to within one request.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (cost(middle) < target) low = middle;
    else high = middle;
  }
  return high;
}

function assertNonNegative(values: object): void {
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`${key} must be a finite number of zero or more, not ${value}.`);
    }
  }
}
