'use client';

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { buildBreakEvenChart } from '@/lib/pricing/break-even-chart';
import {
  DEFAULT_CALCULATOR_FORM,
  FARGATE_TASK_SIZES,
  NUMBER_RULES,
  fargateMemoryOptionsGb,
  nearestFargateMemoryGb,
  parseCalculatorForm,
  type CalculatorForm,
  type CalculatorInput,
  type NumberField,
} from '@/lib/pricing/calculator-input';
import { compareCosts, describeBreakEven, describeVerdict } from '@/lib/pricing/compare';
import {
  FARGATE_PRICES,
  LAMBDA_FREE_GB_SECONDS,
  LAMBDA_FREE_REQUESTS,
  LAMBDA_PRICE_PER_REQUEST,
  type Architecture,
} from '@/lib/pricing/cost-model';
import { formatCount, formatDecimal, formatUsd } from '@/lib/pricing/format';
import { BreakEvenChart } from './BreakEvenChart';

const DEFAULT_INPUT: CalculatorInput = (() => {
  const parsed = parseCalculatorForm(DEFAULT_CALCULATOR_FORM);
  if (!parsed.ok)
    throw new Error(`The calculator's default form is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.input;
})();

/** The chart is drawn at its real width in px, so its text stays 12 px on a phone; this is the width before it is measured. */
const INITIAL_CHART_WIDTH = 640;

/** Announce the result once typing pauses for this long, not on every keystroke. */
const ANNOUNCE_DELAY_MS = 800;

const LAMBDA_ARCHITECTURES: readonly { value: Architecture; label: string }[] = [
  { value: 'x86_64', label: 'x86_64' },
  { value: 'arm64', label: 'arm64 (Graviton)' },
];
const FARGATE_ARCHITECTURES: readonly { value: Architecture; label: string }[] = [
  { value: 'x86_64', label: 'Linux/x86_64' },
  { value: 'arm64', label: 'Linux/ARM64 (Graviton)' },
];

const INPUT_CLASSES =
  'mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 dark:bg-slate-900 dark:text-slate-100';
const INPUT_BORDER = {
  valid: 'border-slate-400 dark:border-slate-500',
  invalid: 'border-red-700 dark:border-red-400',
} as const;

/** The hint under a field, or the error in its place; the input names whichever is shown. */
function FieldMessage({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  if (error) {
    return (
      <p id={id} className="mt-1 flex gap-1.5 text-sm font-medium text-red-700 dark:text-red-400">
        <svg
          aria-hidden="true"
          viewBox="0 0 16 16"
          className="mt-0.5 size-4 shrink-0"
          fill="currentColor"
        >
          <path d="M8 1.5 15 14.5H1L8 1.5Zm-.75 4.5v4h1.5V6h-1.5Zm0 5.25v1.5h1.5v-1.5h-1.5Z" />
        </svg>
        {error}
      </p>
    );
  }
  if (!hint) return null;
  return (
    <p id={id} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
      {hint}
    </p>
  );
}

interface NumberInputProps {
  field: NumberField;
  label: string;
  value: string;
  error: string | undefined;
  /** Whole numbers get a digits keypad, others one with a decimal point. */
  decimal?: boolean;
  onChange(value: string): void;
}

function NumberInput({ field, label, value, error, decimal = false, onChange }: NumberInputProps) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900 dark:text-slate-100">
        {label}
      </label>
      <input
        id={id}
        name={field}
        type="text"
        inputMode={decimal ? 'decimal' : 'numeric'}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-message`}
        className={`${INPUT_CLASSES} ${error ? INPUT_BORDER.invalid : INPUT_BORDER.valid}`}
      />
      <FieldMessage id={`${id}-message`} hint={NUMBER_RULES[field].hint} error={error} />
    </div>
  );
}

interface SelectInputProps {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  error?: string;
  hint?: string;
  onChange(value: string): void;
}

function SelectInput({ label, value, options, error, hint, onChange }: SelectInputProps) {
  const id = useId();
  const described = Boolean(error ?? hint);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900 dark:text-slate-100">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described ? `${id}-message` : undefined}
        className={`${INPUT_CLASSES} ${error ? INPUT_BORDER.invalid : INPUT_BORDER.valid}`}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessage id={`${id}-message`} hint={hint} error={error} />
    </div>
  );
}

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-700">
      <legend className="px-1 font-semibold text-slate-900 dark:text-slate-100">{legend}</legend>
      {children}
    </fieldset>
  );
}

interface CostLine {
  label: string;
  detail: string;
  amount: string;
}

function CostCard({
  title,
  total,
  lines,
}: {
  title: string;
  total: number;
  lines: readonly CostLine[];
}) {
  return (
    <div className="rounded-lg bg-slate-50 px-4 py-3 dark:bg-slate-900">
      <p className="font-semibold text-slate-900 dark:text-slate-100">{title}</p>
      <p className="mt-1 text-2xl font-bold text-slate-900 tabular-nums dark:text-slate-100">
        {formatUsd(total)}{' '}
        <span className="text-sm font-normal text-slate-600 dark:text-slate-400">per month</span>
      </p>
      <dl className="mt-2 space-y-1.5 text-sm">
        {lines.map((line) => (
          <div key={line.label} className="grid grid-cols-[1fr_auto] items-baseline gap-x-3">
            <dt className="font-medium text-slate-900 dark:text-slate-100">{line.label}</dt>
            <dd className="text-right font-medium text-slate-900 tabular-nums dark:text-slate-100">
              {line.amount}
            </dd>
            <dd className="col-span-2 text-xs text-slate-600 dark:text-slate-400">{line.detail}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Follows the chart's container so the chart can be drawn at its real width. */
function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * Lambda against Fargate for a workload the learner describes: both monthly
 * bills with their parts, which is cheaper, the break-even volume and a chart
 * of cost against requests. Prices come from lib/pricing/cost-model.ts.
 */
export function CostCalculator() {
  const [form, setForm] = useState<CalculatorForm>(DEFAULT_CALCULATOR_FORM);
  const [lastValid, setLastValid] = useState<CalculatorInput>(DEFAULT_INPUT);
  const [announcement, setAnnouncement] = useState('');
  const [chartBox, chartWidth] = useWidth(INITIAL_CHART_WIDTH);
  const headingId = useId();

  const update = (patch: Partial<CalculatorForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    const parsed = parseCalculatorForm(next);
    if (parsed.ok) setLastValid(parsed.input);
  };

  const parsed = parseCalculatorForm(form);
  const errors = parsed.ok ? {} : parsed.errors;
  const errorCount = Object.keys(errors).length;
  // While a field is being corrected, the results stay on the last inputs that could be priced.
  const comparison = compareCosts(parsed.ok ? parsed.input : lastValid);
  const chartHeight = Math.round(Math.min(360, Math.max(260, chartWidth * 0.6)));
  const chart = buildBreakEvenChart(comparison, { width: chartWidth, height: chartHeight });
  const verdict = describeVerdict(comparison);
  const breakEven = describeBreakEven(comparison);

  const message = parsed.ok
    ? `${verdict} ${breakEven}`
    : `Results not updated: ${errorCount === 1 ? '1 field needs' : `${errorCount} fields need`} correcting.`;
  const touched = form !== DEFAULT_CALCULATOR_FORM;
  useEffect(() => {
    if (!touched) return;
    const timer = setTimeout(() => setAnnouncement(message), ANNOUNCE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [message, touched]);

  const { lambda: lambdaInput, fargate: fargateInput } = comparison.input;
  const before = comparison.lambdaBeforeFreeTier;
  const billedMs = Math.ceil(lambdaInput.averageDurationMs);
  const lambdaLines: CostLine[] = [
    {
      label: 'Requests',
      detail: `${formatCount(lambdaInput.requestsPerMonth)} × ${formatUsd(LAMBDA_PRICE_PER_REQUEST * 1e6)} per million`,
      amount: formatUsd(before.requests),
    },
    {
      label: 'Compute',
      detail: `${formatDecimal(before.gbSeconds)} GB-seconds (${formatCount(billedMs)} ms × ${formatDecimal(lambdaInput.memoryMb / 1024)} GB each)`,
      amount: formatUsd(before.compute),
    },
  ];
  if (lambdaInput.includeFreeTier) {
    lambdaLines.push({
      label: 'Free tier',
      detail: `${formatCount(LAMBDA_FREE_REQUESTS)} requests and ${formatCount(LAMBDA_FREE_GB_SECONDS)} GB-seconds`,
      amount:
        comparison.freeTierDeducted > 0
          ? `−${formatUsd(comparison.freeTierDeducted)}`
          : formatUsd(0),
    });
  }
  const prices = FARGATE_PRICES[fargateInput.architecture];
  const taskHours = fargateInput.tasks * fargateInput.hoursPerMonth;
  const fargateLines: CostLine[] = [
    {
      label: 'vCPU',
      detail: `${formatDecimal(taskHours * fargateInput.vcpuPerTask)} vCPU-hours × $${prices.perVcpuHour}`,
      amount: formatUsd(comparison.fargate.vcpu),
    },
    {
      label: 'Memory',
      detail: `${formatDecimal(taskHours * fargateInput.memoryGbPerTask)} GB-hours × $${prices.perGbHour}`,
      amount: formatUsd(comparison.fargate.memory),
    },
  ];

  const vcpu = Number(form.vcpuPerTask);
  const memoryOptions = fargateMemoryOptionsGb(vcpu).map((gb) => ({
    value: String(gb),
    label: `${formatDecimal(gb)} GB`,
  }));

  return (
    <section
      aria-labelledby={headingId}
      className="not-prose my-8 rounded-lg border border-slate-300 p-4 sm:p-5 dark:border-slate-600"
    >
      <p
        id={headingId}
        className="text-xs font-bold tracking-wide text-slate-600 uppercase dark:text-slate-400"
      >
        Cost calculator: Lambda or Fargate
      </p>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
        Monthly on-demand prices in US East (N. Virginia) at the time of writing. Change any value;
        the results and the chart follow.
      </p>

      <form
        onSubmit={(event) => event.preventDefault()}
        noValidate
        className="mt-4 grid gap-4 md:grid-cols-2"
      >
        <Fieldset legend="AWS Lambda">
          <NumberInput
            field="requestsPerMonth"
            label="Requests per month"
            value={form.requestsPerMonth}
            error={errors.requestsPerMonth}
            onChange={(value) => update({ requestsPerMonth: value })}
          />
          <NumberInput
            field="averageDurationMs"
            label="Average duration (ms)"
            decimal
            value={form.averageDurationMs}
            error={errors.averageDurationMs}
            onChange={(value) => update({ averageDurationMs: value })}
          />
          <NumberInput
            field="memoryMb"
            label="Memory (MB)"
            value={form.memoryMb}
            error={errors.memoryMb}
            onChange={(value) => update({ memoryMb: value })}
          />
          <SelectInput
            label="Architecture"
            value={form.lambdaArchitecture}
            options={LAMBDA_ARCHITECTURES}
            onChange={(value) => update({ lambdaArchitecture: value as Architecture })}
          />
          <div className="flex items-start gap-2">
            <input
              id={`${headingId}-free-tier`}
              type="checkbox"
              checked={form.includeFreeTier}
              onChange={(event) => update({ includeFreeTier: event.target.checked })}
              aria-describedby={`${headingId}-free-tier-hint`}
              className="mt-1 size-4 shrink-0 accent-brand-600"
            />
            <div>
              <label
                htmlFor={`${headingId}-free-tier`}
                className="text-sm font-medium text-slate-900 dark:text-slate-100"
              >
                Include the free tier
              </label>
              <p
                id={`${headingId}-free-tier-hint`}
                className="text-xs text-slate-600 dark:text-slate-400"
              >
                Subtracts 1,000,000 requests and 400,000 GB-seconds a month.
              </p>
            </div>
          </div>
        </Fieldset>

        <Fieldset legend="AWS Fargate">
          <NumberInput
            field="tasks"
            label="Number of tasks"
            value={form.tasks}
            error={errors.tasks}
            onChange={(value) => update({ tasks: value })}
          />
          <SelectInput
            label="vCPU per task"
            value={form.vcpuPerTask}
            options={FARGATE_TASK_SIZES.map((size) => ({
              value: String(size.vcpu),
              label: `${formatDecimal(size.vcpu)} vCPU`,
            }))}
            error={errors.vcpuPerTask}
            onChange={(value) =>
              update({
                vcpuPerTask: value,
                memoryGbPerTask: String(
                  nearestFargateMemoryGb(Number(value), Number(form.memoryGbPerTask)),
                ),
              })
            }
          />
          <SelectInput
            label="Memory per task (GB)"
            value={form.memoryGbPerTask}
            options={memoryOptions}
            error={errors.memoryGbPerTask}
            hint="The sizes Fargate offers with this vCPU."
            onChange={(value) => update({ memoryGbPerTask: value })}
          />
          <NumberInput
            field="hoursPerMonth"
            label="Hours per month each task runs"
            decimal
            value={form.hoursPerMonth}
            error={errors.hoursPerMonth}
            onChange={(value) => update({ hoursPerMonth: value })}
          />
          <SelectInput
            label="Architecture"
            value={form.fargateArchitecture}
            options={FARGATE_ARCHITECTURES}
            onChange={(value) => update({ fargateArchitecture: value as Architecture })}
          />
        </Fieldset>
      </form>

      <div className="mt-6 space-y-4">
        {!parsed.ok && (
          <p className="rounded-md border border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-400 dark:bg-amber-950/50 dark:text-amber-200">
            <strong>Results not updated.</strong> Correct the{' '}
            {errorCount === 1 ? 'field' : `${errorCount} fields`} marked above; until then the
            figures below are for your last valid inputs.
          </p>
        )}
        <p className="font-semibold text-slate-900 dark:text-slate-100">{verdict}</p>
        <div className="grid gap-4 md:grid-cols-2">
          <CostCard title="AWS Lambda" total={comparison.lambda.total} lines={lambdaLines} />
          <CostCard title="AWS Fargate" total={comparison.fargate.total} lines={fargateLines} />
        </div>
        <p className="text-slate-800 dark:text-slate-200">{breakEven}</p>
        <div ref={chartBox}>
          <BreakEvenChart
            chart={chart}
            title="Monthly cost of Lambda and Fargate by requests per month"
          />
        </div>
      </div>

      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </section>
  );
}
