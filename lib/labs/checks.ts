import { z } from 'zod';

/**
 * Exercise checks: an author's description of what a learner's handler must
 * do, run through the real runner and asserted on responses, logs and
 * reports. A check invokes the learner's code one or more times with given
 * events and settings, then every expectation must hold.
 */

const pathSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/,
    'a dotted path such as "body" or "headers.content-type"',
  )
  .describe('Where to look in the value, e.g. "statusCode" or "body.items".');

/** How to compare the value found. Every comparison given must hold. */
const comparisonSchema = z
  .object({
    equals: z.unknown().optional().describe('Deep equality with this JSON value.'),
    matches: z.string().optional().describe('A regular expression the value (as text) must match.'),
    exists: z.boolean().optional().describe('true: the value must be present; false: absent.'),
    lessThan: z.number().optional(),
    greaterThan: z.number().optional(),
  })
  .strict();

const valueMatcherSchema: z.ZodType<ValueMatcher> = z.lazy(() =>
  comparisonSchema
    .extend({
      path: pathSchema.optional(),
      json: valueMatcherSchema
        .optional()
        .describe(
          'Parse the value found (a string) as JSON and match inside it: for API Gateway bodies.',
        ),
    })
    .strict(),
);

export interface ValueMatcher {
  path?: string;
  json?: ValueMatcher;
  equals?: unknown;
  matches?: string;
  exists?: boolean;
  lessThan?: number;
  greaterThan?: number;
}

/** Which invocation an expectation is about: 1 is the first; "last" the default. */
const invocationSchema = z.union([z.number().int().min(1), z.literal('last')]).default('last');

const reportFieldSchema = z.enum([
  'coldStart',
  'durationMs',
  'billedDurationMs',
  'initDurationMs',
  'maxMemoryUsedMb',
]);

export const expectationSchema = z.union([
  z
    .object({ response: valueMatcherSchema, invocation: invocationSchema })
    .strict()
    .describe("The handler's response (parsed JSON)."),
  z
    .object({
      report: z
        .object({
          field: reportFieldSchema,
          equals: z.unknown().optional(),
          lessThan: z.number().optional(),
          greaterThan: z.number().optional(),
          /** Compare with the sum of other invocations' fields, e.g. the first call's Init Duration + Duration. */
          lessThanSumOf: z
            .array(
              z.object({ invocation: z.number().int().min(1), field: reportFieldSchema }).strict(),
            )
            .min(1)
            .optional(),
        })
        .strict(),
      invocation: invocationSchema,
    })
    .strict()
    .describe('A figure from the REPORT: cold start, durations, memory.'),
  z
    .object({
      log: z
        .object({
          matches: z.string().describe('A regular expression, tried against each log line.'),
          count: z
            .object({
              equals: z.number().int().min(0).optional(),
              atLeast: z.number().int().min(0).optional(),
              atMost: z.number().int().min(0).optional(),
            })
            .strict()
            .optional()
            .describe('How many lines must match; at least one by default.'),
        })
        .strict(),
      invocation: z
        .union([z.number().int().min(1), z.literal('last'), z.literal('all')])
        .default('last'),
    })
    .strict()
    .describe('Lines in the log: console output, START/END/REPORT.'),
  z
    .object({
      error: z
        .object({ type: z.string().optional(), absent: z.literal(true).optional() })
        .strict()
        .refine(
          (e) => (e.type === undefined) !== (e.absent === undefined),
          'give exactly one of "type" (the error expected) or "absent: true" (no error)',
        ),
      invocation: invocationSchema,
    })
    .strict()
    .describe('The function error, if any.'),
]);
export type Expectation = z.infer<typeof expectationSchema>;

export const checkSchema = z
  .object({
    title: z
      .string()
      .min(1)
      .max(200)
      .describe('What the learner must achieve, shown beside the pass/fail mark.'),
    invocations: z
      .array(z.object({ event: z.unknown().default({}) }).strict())
      .min(1)
      .max(10)
      .default([{ event: {} }])
      .describe('Events to invoke with, in order; the first call starts from a new environment.'),
    settings: z
      .object({
        memoryMb: z.number().int().min(128).max(10_240).optional(),
        timeoutS: z.number().int().min(1).max(900).optional(),
        environment: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .default({})
      .describe("Function settings for this check, over the lab's own."),
    expect: z.array(expectationSchema).min(1),
    keepsWorking: z
      .boolean()
      .default(false)
      .describe(
        'The starter passes this check on purpose: it guards behaviour the learner must not break. content:check reports any other check the starter passes.',
      ),
    failureMessage: z
      .string()
      .max(500)
      .optional()
      .describe('Shown when the check fails, instead of the generic explanation.'),
  })
  .strict();
export type Check = z.infer<typeof checkSchema>;

/** What the runner reports for one invocation, as checks see it. */
export interface CheckedInvocation {
  payload: string;
  errorType: string | undefined;
  log: string;
  report: {
    coldStart: boolean;
    durationMs: number;
    billedDurationMs: number;
    initDurationMs?: number | undefined;
    maxMemoryUsedMb: number;
  };
}

/** Runs the learner's code once: `fresh` asks for a new environment first. */
export type RunInvocation = (
  event: unknown,
  settings: Check['settings'],
  fresh: boolean,
) => Promise<CheckedInvocation>;

export interface CheckResult {
  title: string;
  passed: boolean;
  /** Why it failed, in words a learner can act on; empty when passed. */
  message: string;
}

export async function runCheck(check: Check, run: RunInvocation): Promise<CheckResult> {
  const invocations: CheckedInvocation[] = [];
  for (const [index, { event }] of check.invocations.entries()) {
    invocations.push(await run(event, check.settings, index === 0));
  }
  for (const expectation of check.expect) {
    const failure = evaluate(expectation, invocations);
    if (failure)
      return { title: check.title, passed: false, message: check.failureMessage ?? failure };
  }
  return { title: check.title, passed: true, message: '' };
}

/** Runs every check; each one starts from a new environment, so checks do not affect one another. */
export async function runChecks(
  checks: readonly Check[],
  run: RunInvocation,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, run));
  return results;
}

function pick(
  invocations: CheckedInvocation[],
  which: number | 'last',
): CheckedInvocation | string {
  const index = which === 'last' ? invocations.length - 1 : which - 1;
  return (
    invocations[index] ?? `the check names invocation ${which}, but only ${invocations.length} ran`
  );
}

/** Undefined when the expectation holds; otherwise what was wrong. */
function evaluate(expectation: Expectation, invocations: CheckedInvocation[]): string | undefined {
  if ('log' in expectation) {
    const chosen =
      expectation.invocation === 'all' ? invocations : [pick(invocations, expectation.invocation)];
    const bad = chosen.find((c): c is string => typeof c === 'string');
    if (bad) return bad;
    const pattern = new RegExp(expectation.log.matches);
    const lines = (chosen as CheckedInvocation[]).flatMap((c) => c.log.split('\n'));
    const count = lines.filter((line) => pattern.test(line)).length;
    // With no count at all, at least one line must match; `atMost: 0` alone means none may.
    const { equals, atMost } = expectation.log.count ?? {};
    const atLeast =
      expectation.log.count?.atLeast ??
      (equals === undefined && atMost === undefined ? 1 : undefined);
    const where =
      expectation.invocation === 'all'
        ? 'across all invocations'
        : expectation.invocation === 'last'
          ? 'in the last invocation'
          : `in invocation ${expectation.invocation}`;
    if (equals !== undefined && count !== equals)
      return `Expected ${equals} log line(s) matching /${expectation.log.matches}/ ${where}, found ${count}.`;
    if (atLeast !== undefined && count < atLeast)
      return `Expected at least ${atLeast} log line(s) matching /${expectation.log.matches}/ ${where}, found ${count}.`;
    if (atMost !== undefined && count > atMost)
      return `Expected at most ${atMost} log line(s) matching /${expectation.log.matches}/ ${where}, found ${count}.`;
    return undefined;
  }

  const invocation = pick(invocations, expectation.invocation);
  if (typeof invocation === 'string') return invocation;
  const which =
    expectation.invocation === 'last'
      ? 'the last invocation'
      : `invocation ${expectation.invocation}`;

  if ('error' in expectation) {
    if (expectation.error.absent && invocation.errorType)
      return `${which} failed with ${invocation.errorType}; it should succeed.`;
    if (expectation.error.type && invocation.errorType !== expectation.error.type) {
      return `${which} should fail with ${expectation.error.type}, but ${invocation.errorType ? `failed with ${invocation.errorType}` : 'succeeded'}.`;
    }
    return undefined;
  }

  if ('report' in expectation) {
    const { field } = expectation.report;
    const value = invocation.report[field];
    if (expectation.report.equals !== undefined && !deepEqual(value, expectation.report.equals))
      return `${field} of ${which} is ${String(value)}, expected ${JSON.stringify(expectation.report.equals)}.`;
    if (
      expectation.report.lessThan !== undefined &&
      !(typeof value === 'number' && value < expectation.report.lessThan)
    )
      return `${field} of ${which} is ${String(value)}, expected less than ${expectation.report.lessThan}.`;
    if (
      expectation.report.greaterThan !== undefined &&
      !(typeof value === 'number' && value > expectation.report.greaterThan)
    )
      return `${field} of ${which} is ${String(value)}, expected more than ${expectation.report.greaterThan}.`;
    if (expectation.report.lessThanSumOf) {
      let sum = 0;
      for (const term of expectation.report.lessThanSumOf) {
        const other = pick(invocations, term.invocation);
        if (typeof other === 'string') return other;
        sum += Number(other.report[term.field] ?? 0);
      }
      const terms = expectation.report.lessThanSumOf
        .map((t) => `${t.field} of invocation ${t.invocation}`)
        .join(' + ');
      if (!(typeof value === 'number' && value < sum))
        return `${field} of ${which} is ${String(value)} ms, expected less than ${terms} (${sum.toFixed(2)} ms).`;
    }
    return undefined;
  }

  if (invocation.errorType)
    return `${which} failed with ${invocation.errorType} instead of returning a response.`;
  let response: unknown;
  try {
    response = JSON.parse(invocation.payload);
  } catch {
    return `The response of ${which} is not JSON.`;
  }
  return matchValue(response, expectation.response, 'the response');
}

function matchValue(root: unknown, matcher: ValueMatcher, label: string): string | undefined {
  const where = matcher.path ? `${label}'s ${matcher.path}` : label;
  const value = matcher.path
    ? matcher.path
        .split('.')
        .reduce<unknown>(
          (current, key) =>
            current !== null && typeof current === 'object'
              ? (current as Record<string, unknown>)[key]
              : undefined,
          root,
        )
    : root;
  if (matcher.exists === true && value === undefined) return `Expected ${where} to be present.`;
  if (matcher.exists === false && value !== undefined)
    return `Expected ${where} to be absent, found ${JSON.stringify(value)}.`;
  if (matcher.equals !== undefined && !deepEqual(value, matcher.equals))
    return `Expected ${where} to be ${JSON.stringify(matcher.equals)}, found ${JSON.stringify(value) ?? 'nothing'}.`;
  if (
    matcher.matches !== undefined &&
    !(
      value !== undefined &&
      new RegExp(matcher.matches).test(typeof value === 'string' ? value : JSON.stringify(value))
    )
  ) {
    return `Expected ${where} to match /${matcher.matches}/, found ${JSON.stringify(value) ?? 'nothing'}.`;
  }
  if (matcher.lessThan !== undefined && !(typeof value === 'number' && value < matcher.lessThan))
    return `Expected ${where} to be less than ${matcher.lessThan}, found ${JSON.stringify(value)}.`;
  if (
    matcher.greaterThan !== undefined &&
    !(typeof value === 'number' && value > matcher.greaterThan)
  )
    return `Expected ${where} to be more than ${matcher.greaterThan}, found ${JSON.stringify(value)}.`;
  if (matcher.json) {
    if (typeof value !== 'string')
      return `Expected ${where} to be a JSON string, found ${JSON.stringify(value) ?? 'nothing'}.`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return `Expected ${where} to hold JSON, but it does not parse.`;
    }
    return matchValue(parsed, matcher.json, where);
  }
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
