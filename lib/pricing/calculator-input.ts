/**
 * The Lambda vs Fargate calculator's form: what a learner may type, and the
 * message that says how to fix each field when the value cannot be priced.
 */
import {
  HOURS_PER_MONTH,
  type Architecture,
  type FargateWorkload,
  type LambdaWorkload,
} from './cost-model';
import { formatCount, formatDecimal } from './format';

export interface FargateTaskSize {
  vcpu: number;
  /** The memory sizes, in GB, that Fargate accepts with this vCPU size. */
  memoryGb: readonly number[];
}

function steps(from: number, to: number, step: number): number[] {
  return Array.from(
    { length: Math.floor((to - from) / step) + 1 },
    (_, index) => from + index * step,
  );
}

/**
 * Fargate's valid task sizes on Linux: each vCPU size takes only these memory sizes.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html
 */
export const FARGATE_TASK_SIZES: readonly FargateTaskSize[] = [
  { vcpu: 0.25, memoryGb: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGb: steps(1, 4, 1) },
  { vcpu: 1, memoryGb: steps(2, 8, 1) },
  { vcpu: 2, memoryGb: steps(4, 16, 1) },
  { vcpu: 4, memoryGb: steps(8, 30, 1) },
  { vcpu: 8, memoryGb: steps(16, 60, 4) },
  { vcpu: 16, memoryGb: steps(32, 120, 8) },
];

/** The memory sizes Fargate accepts for a vCPU size; empty for a size Fargate does not offer. */
export function fargateMemoryOptionsGb(vcpu: number): readonly number[] {
  return FARGATE_TASK_SIZES.find((size) => size.vcpu === vcpu)?.memoryGb ?? [];
}

/** The valid memory size for this vCPU size closest to the one chosen before, so changing vCPU keeps memory where it can. */
export function nearestFargateMemoryGb(vcpu: number, memoryGb: number): number {
  const options = fargateMemoryOptionsGb(vcpu);
  let best = options[0] ?? memoryGb;
  for (const option of options) {
    if (Math.abs(option - memoryGb) < Math.abs(best - memoryGb)) best = option;
  }
  return best;
}

/** "0.5, 1 or 2 GB", "16 to 60 GB in 4 GB steps". */
export function describeFargateMemory(vcpu: number): string {
  const options = fargateMemoryOptionsGb(vcpu);
  const [first, second] = options;
  const last = options.at(-1);
  if (options.length > 3 && first !== undefined && second !== undefined && last !== undefined) {
    return `${formatDecimal(first)} to ${formatDecimal(last)} GB in ${formatDecimal(second - first)} GB steps`;
  }
  return `${listWithOr(options.map(formatDecimal))} GB`;
}

/** "a, b or c". */
function listWithOr(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : items.join('');
}

/** The form as typed: numbers stay strings until they are parsed, so a half-typed value is kept as it is. */
export interface CalculatorForm {
  requestsPerMonth: string;
  averageDurationMs: string;
  memoryMb: string;
  lambdaArchitecture: Architecture;
  includeFreeTier: boolean;
  tasks: string;
  vcpuPerTask: string;
  memoryGbPerTask: string;
  hoursPerMonth: string;
  fargateArchitecture: Architecture;
}

export type CalculatorField = keyof CalculatorForm;

/** The Hosting lesson's worked example (3 M requests of 120 ms at 512 MB) against one small always-on task. */
export const DEFAULT_CALCULATOR_FORM: CalculatorForm = {
  requestsPerMonth: '3,000,000',
  averageDurationMs: '120',
  memoryMb: '512',
  lambdaArchitecture: 'x86_64',
  includeFreeTier: false,
  tasks: '1',
  vcpuPerTask: '0.5',
  memoryGbPerTask: '1',
  hoursPerMonth: String(HOURS_PER_MONTH),
  fargateArchitecture: 'x86_64',
};

export interface NumberRule {
  min: number;
  max: number;
  integer: boolean;
  /** The accepted range in a few words, shown under the field. */
  hint: string;
}

/** The typed number fields and their limits: Lambda's memory and timeout limits, a 31-day month. */
export const NUMBER_RULES = {
  requestsPerMonth: {
    min: 0,
    max: 1e12,
    integer: true,
    hint: `A whole number from 0 to ${formatCount(1e12)}.`,
  },
  averageDurationMs: {
    min: 1,
    max: 900_000,
    integer: false,
    hint: 'From 1 to 900,000 ms (the 15-minute timeout).',
  },
  memoryMb: { min: 128, max: 10_240, integer: true, hint: 'A whole number from 128 to 10,240 MB.' },
  tasks: { min: 1, max: 10_000, integer: true, hint: 'A whole number from 1 to 10,000.' },
  hoursPerMonth: {
    min: 1,
    max: 744,
    integer: false,
    hint: `From 1 to 744 (a 31-day month); ${HOURS_PER_MONTH} is always on.`,
  },
} as const satisfies Partial<Record<CalculatorField, NumberRule>>;

export type NumberField = keyof typeof NUMBER_RULES;

export type FieldResult = { ok: true; value: number } | { ok: false; error: string };

/** Digits with an optional sign, decimal point and exponent ("3e6"), once separators are removed. */
const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Reads one typed number, accepting thousands separators ("3,000,000") and spaces. */
export function parseNumberField(raw: string, rule: NumberRule): FieldResult {
  const text = raw.replace(/[\s,_]/g, '');
  const fail = (problem: string): FieldResult => ({ ok: false, error: `${problem} ${rule.hint}` });
  if (text === '') return fail('Required.');
  const value = Number(text);
  if (!NUMBER_PATTERN.test(text) || !Number.isFinite(value)) return fail('Not a number.');
  if (rule.integer && !Number.isInteger(value)) return fail('Must be a whole number.');
  if (value < rule.min) return fail('Too small.');
  if (value > rule.max) return fail('Too large.');
  return { ok: true, value };
}

export interface CalculatorInput {
  lambda: LambdaWorkload;
  fargate: FargateWorkload;
}

export type CalculatorErrors = Partial<Record<CalculatorField, string>>;

export type ParsedCalculatorForm =
  { ok: true; input: CalculatorInput } | { ok: false; errors: CalculatorErrors };

/** Turns the form into workloads the cost model can price, or says what to fix in each field that cannot be. */
export function parseCalculatorForm(form: CalculatorForm): ParsedCalculatorForm {
  const errors: CalculatorErrors = {};
  const numbers = {} as Record<NumberField, number>;
  for (const field of Object.keys(NUMBER_RULES) as NumberField[]) {
    const result = parseNumberField(form[field], NUMBER_RULES[field]);
    if (result.ok) numbers[field] = result.value;
    else errors[field] = result.error;
  }

  const vcpuPerTask = Number(form.vcpuPerTask);
  const memoryGbPerTask = Number(form.memoryGbPerTask);
  const memoryOptions = fargateMemoryOptionsGb(vcpuPerTask);
  if (memoryOptions.length === 0) {
    errors.vcpuPerTask = `Fargate offers ${listWithOr(FARGATE_TASK_SIZES.map((size) => formatDecimal(size.vcpu)))} vCPU per task.`;
  } else if (!memoryOptions.includes(memoryGbPerTask)) {
    errors.memoryGbPerTask = `A ${formatDecimal(vcpuPerTask)} vCPU task takes ${describeFargateMemory(vcpuPerTask)}.`;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      lambda: {
        requestsPerMonth: numbers.requestsPerMonth,
        averageDurationMs: numbers.averageDurationMs,
        memoryMb: numbers.memoryMb,
        architecture: form.lambdaArchitecture,
        includeFreeTier: form.includeFreeTier,
      },
      fargate: {
        tasks: numbers.tasks,
        vcpuPerTask,
        memoryGbPerTask,
        hoursPerMonth: numbers.hoursPerMonth,
        architecture: form.fargateArchitecture,
      },
    },
  };
}
