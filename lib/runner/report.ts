/**
 * Lambda's log lines and REPORT figures (formats in ../shared/AWS-FACTS.md):
 * tab-separated fields, Duration and Init Duration with two decimals, Billed
 * Duration rounded up to the next millisecond, INIT billed since August 2025.
 */

/** x86 price per GB-second, first tier, us-east-1 (aws.amazon.com/lambda/pricing). */
export const PRICE_PER_GB_SECOND_X86 = 0.0000166667;
/** Price per request: $0.20 per million. */
export const PRICE_PER_REQUEST = 0.2 / 1_000_000;

export interface ReportFigures {
  requestId: string;
  version: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start only. */
  initDurationMs: number | undefined;
}

/** ceil(Init Duration + Duration) on a cold start, ceil(Duration) otherwise. */
export function billedDurationMs(
  figures: Pick<ReportFigures, 'durationMs' | 'initDurationMs'>,
): number {
  return Math.ceil(round2(figures.durationMs) + round2(figures.initDurationMs ?? 0));
}

/** What one invocation costs at on-demand x86 prices: the request plus GB-seconds billed. */
export function invocationCostUsd(
  figures: Pick<ReportFigures, 'durationMs' | 'initDurationMs' | 'memorySizeMb'>,
): number {
  const gbSeconds = (billedDurationMs(figures) / 1000) * (figures.memorySizeMb / 1024);
  return PRICE_PER_REQUEST + gbSeconds * PRICE_PER_GB_SECOND_X86;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function reportLine(figures: ReportFigures): string {
  const fields = [
    `REPORT RequestId: ${figures.requestId}`,
    `Duration: ${round2(figures.durationMs).toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(figures)} ms`,
    `Memory Size: ${figures.memorySizeMb} MB`,
    `Max Memory Used: ${figures.maxMemoryUsedMb} MB`,
  ];
  if (figures.initDurationMs !== undefined)
    fields.push(`Init Duration: ${round2(figures.initDurationMs).toFixed(2)} ms`);
  return fields.join('\t');
}

/** The invocation's whole log as CloudWatch would hold it. */
export function formatInvocationLog(
  figures: ReportFigures,
  output: string,
  initOutput = '',
): string {
  const body = output.length === 0 || output.endsWith('\n') ? output : `${output}\n`;
  const init =
    initOutput.length === 0 || initOutput.endsWith('\n') ? initOutput : `${initOutput}\n`;
  return `${init}${startLine(figures.requestId, figures.version)}\n${body}${endLine(figures.requestId)}\n${reportLine(figures)}\n`;
}

/** Milliseconds to the two decimals Lambda reports. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
