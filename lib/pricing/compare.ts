/**
 * One comparison of a Lambda workload with a Fargate set-up, and the sentences
 * the calculator says about it.
 */
import type { CalculatorInput } from './calculator-input';
import {
  breakEvenRequestsPerMonth,
  fargateMonthlyCost,
  lambdaMonthlyCost,
  type FargateCost,
  type LambdaCost,
} from './cost-model';
import { formatCount, formatCountWords, formatUsd } from './format';

/** Monthly totals closer than half a cent are reported as a tie: they print the same. */
export const TIE_USD = 0.005;

export type Cheaper = 'lambda' | 'fargate' | 'tie';

export interface CostComparison {
  input: CalculatorInput;
  /** Lambda's cost after the free tier, if the input includes it. */
  lambda: LambdaCost;
  /** Lambda's cost with no free tier, to show what the free tier saved. */
  lambdaBeforeFreeTier: LambdaCost;
  /** How much the free tier took off Lambda's bill; 0 when it is not included. */
  freeTierDeducted: number;
  fargate: FargateCost;
  cheaper: Cheaper;
  /** How much less a month the cheaper option costs, in USD. */
  saving: number;
  /**
   * Requests a month from which Lambda costs at least as much as Fargate (see
   * breakEvenRequestsPerMonth): 0 if Lambda is never cheaper, Infinity if it always is.
   */
  breakEvenRequests: number;
}

/** Which of two monthly totals is lower, or a tie when they print the same. */
export function cheaperOf(lambdaTotal: number, fargateTotal: number): Cheaper {
  const difference = lambdaTotal - fargateTotal;
  return Math.abs(difference) < TIE_USD ? 'tie' : difference < 0 ? 'lambda' : 'fargate';
}

export function compareCosts(input: CalculatorInput): CostComparison {
  const lambda = lambdaMonthlyCost(input.lambda);
  const lambdaBeforeFreeTier = lambdaMonthlyCost({ ...input.lambda, includeFreeTier: false });
  const fargate = fargateMonthlyCost(input.fargate);
  const { requestsPerMonth: _requests, ...perRequest } = input.lambda;
  return {
    input,
    lambda,
    lambdaBeforeFreeTier,
    freeTierDeducted: lambdaBeforeFreeTier.total - lambda.total,
    fargate,
    cheaper: cheaperOf(lambda.total, fargate.total),
    saving: Math.abs(lambda.total - fargate.total),
    breakEvenRequests: breakEvenRequestsPerMonth(perRequest, input.fargate),
  };
}

/** Which option is cheaper at the learner's volume, and by how much. */
export function describeVerdict(comparison: CostComparison): string {
  const { lambda, fargate, cheaper, saving } = comparison;
  const volume = `At ${formatCount(comparison.input.lambda.requestsPerMonth)} requests a month`;
  if (cheaper === 'tie') return `${volume}, both cost about ${formatUsd(lambda.total)} a month.`;
  if (cheaper === 'lambda')
    return `${volume}, Lambda is cheaper by ${formatUsd(saving)}: ${formatUsd(lambda.total)} against ${formatUsd(fargate.total)} for Fargate.`;
  return `${volume}, Fargate is cheaper by ${formatUsd(saving)}: ${formatUsd(fargate.total)} against ${formatUsd(lambda.total)} for Lambda.`;
}

/** Where the two costs cross, in words, including the cases where they never do. */
export function describeBreakEven(comparison: CostComparison): string {
  const requests = comparison.breakEvenRequests;
  if (requests === Number.POSITIVE_INFINITY) {
    return 'Lambda stays cheaper at every volume up to hundreds of trillions of requests a month: in practice it never breaks even with this Fargate set-up.';
  }
  if (requests <= 0) {
    return 'Lambda is never cheaper than this Fargate set-up, at any volume, so there is no break-even point.';
  }
  return `Break-even at ${formatCount(requests)} requests a month (about ${formatCountWords(requests)}): Lambda is cheaper at any volume below that, and Fargate from there up.`;
}
