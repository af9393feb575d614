/**
 * The geometry of the calculator's chart, monthly cost against requests per
 * month, computed without React so it can be tested: a log-scale x axis
 * around the learner's volume and the break-even point, a linear y axis in
 * USD, Lambda's cost as a line, Fargate's as a flat line, and the points a
 * text alternative lists.
 */
import type { CostComparison } from './compare';
import { lambdaMonthlyCost } from './cost-model';
import { formatCount, formatCountShort, formatUsd, formatUsdTick } from './format';
import { niceStep } from '../charts/nice-scale';

/** Space around the plot for tick labels, axis titles and the "your volume" label, in px. */
export const CHART_MARGIN = { top: 40, right: 24, bottom: 48, left: 60 } as const;

/** Tick labels are 12 px text: about this wide per character. */
const CHARACTER_WIDTH = 7;

/** Lambda's line is sampled this many times per power of ten (each step is x1.1). */
const SAMPLES_PER_DECADE = 24;

export interface Tick {
  value: number;
  /** x for an x-axis tick, y for a y-axis tick, in px. */
  position: number;
  /** Empty when there is no room to label every tick. */
  label: string;
}

export interface Label {
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

export interface ChartPoint {
  requests: number;
  cost: number;
  x: number;
  y: number;
}

export interface DataRow {
  requests: number;
  lambda: number;
  fargate: number;
  note?: 'Break-even' | 'Your volume';
}

export interface BreakEvenChart {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** Requests per month at the left and right edges: powers of ten. */
  xDomain: [number, number];
  /** USD per month at the top edge; the bottom is $0. */
  yMax: number;
  xTicks: Tick[];
  yTicks: Tick[];
  /** SVG path data; Lambda's line stops where it leaves the top of the plot. */
  lambdaPath: string;
  fargatePath: string;
  fargateY: number;
  /** Where the lines cross, when they do. */
  breakEven?: { point: ChartPoint; label: Label };
  /** The learner's volume; absent at 0 requests, which a log scale cannot show. */
  current?: { x: number; lambda: ChartPoint; fargate: ChartPoint; label: Label };
  /** Each power of ten on the x axis, the break-even and the learner's volume, in order. */
  rows: DataRow[];
  /** What the chart shows, in sentences, for its text alternative. */
  description: string;
}

/**
 * The decades the x axis spans: one power of ten either side of the learner's
 * volume and the break-even point, at least four in all, starting at 1 request.
 */
export function requestDecades(
  requestsPerMonth: number,
  breakEvenRequests: number,
): [number, number] {
  const anchors = [requestsPerMonth, breakEvenRequests].filter(
    (value) => Number.isFinite(value) && value >= 1,
  );
  if (anchors.length === 0) anchors.push(1_000_000);
  let low = Math.max(0, Math.floor(Math.log10(Math.min(...anchors))) - 1);
  let high = Math.ceil(Math.log10(Math.max(...anchors))) + 1;
  while (high - low < 4) {
    if (low > 0 && (high - low) % 2 === 1) low -= 1;
    else high += 1;
  }
  return [low, high];
}

function labelWidth(text: string): number {
  return text.length * CHARACTER_WIDTH;
}

function pathData(points: readonly { x: number; y: number }[]): string {
  return points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`)
    .join('');
}

export function buildBreakEvenChart(
  comparison: CostComparison,
  size: { width: number; height: number },
): BreakEvenChart {
  const { width, height } = size;
  const { lambda: workload } = comparison.input;
  const requestsPerMonth = workload.requestsPerMonth;
  const breakEven = comparison.breakEvenRequests;
  const fargateCost = comparison.fargate.total;
  const lambdaCost = (requests: number) =>
    lambdaMonthlyCost({ ...workload, requestsPerMonth: requests }).total;

  const plot = {
    left: CHART_MARGIN.left,
    right: width - CHART_MARGIN.right,
    top: CHART_MARGIN.top,
    bottom: height - CHART_MARGIN.bottom,
  };
  const [lowDecade, highDecade] = requestDecades(requestsPerMonth, breakEven);
  const xDomain: [number, number] = [10 ** lowDecade, 10 ** highDecade];
  const x = (requests: number) =>
    plot.left +
    ((Math.log10(requests) - lowDecade) / (highDecade - lowDecade)) * (plot.right - plot.left);

  // Fargate sits at half height or lower, so the crossing is visible; the learner's Lambda cost always fits.
  const showsCurrent = requestsPerMonth >= xDomain[0];
  const wanted = Math.max(
    fargateCost * 2,
    showsCurrent ? lambdaCost(requestsPerMonth) * 1.15 : 0,
    0.04,
  );
  const step = niceStep(wanted / 4);
  const yMax = Math.ceil(wanted / step - 1e-9) * step;
  const y = (cost: number) => plot.bottom - (cost / yMax) * (plot.bottom - plot.top);

  const decades = Array.from(
    { length: highDecade - lowDecade + 1 },
    (_, index) => lowDecade + index,
  );
  const room = Math.max(2, Math.floor((plot.right - plot.left) / 48));
  const stride = Math.ceil(decades.length / room);
  const xTicks = decades.map((decade, index) => ({
    value: 10 ** decade,
    position: x(10 ** decade),
    label: index % stride === 0 ? formatCountShort(10 ** decade) : '',
  }));
  const yTicks = Array.from({ length: Math.round(yMax / step) + 1 }, (_, index) => ({
    value: index * step,
    position: y(index * step),
    label: formatUsdTick(index * step),
  }));

  // Lambda's cost is piecewise linear in requests, so on a log axis it curves: sample it, and pass exactly through the marked points.
  const samples = new Set<number>();
  const sampleCount = (highDecade - lowDecade) * SAMPLES_PER_DECADE;
  for (let index = 0; index <= sampleCount; index += 1)
    samples.add(10 ** (lowDecade + index / SAMPLES_PER_DECADE));
  for (const marked of [requestsPerMonth, breakEven])
    if (marked >= xDomain[0] && marked <= xDomain[1]) samples.add(marked);
  const lambdaPoints: { x: number; y: number }[] = [];
  for (const requests of [...samples].sort((a, b) => a - b)) {
    const point = { x: x(requests), y: y(lambdaCost(requests)) };
    const previous = lambdaPoints.at(-1);
    if (point.y >= plot.top) {
      lambdaPoints.push(point);
      continue;
    }
    // Cost only grows with requests: once the line leaves the top it stays out, so end it on the edge.
    if (previous)
      lambdaPoints.push({
        x: previous.x + ((plot.top - previous.y) / (point.y - previous.y)) * (point.x - previous.x),
        y: plot.top,
      });
    break;
  }

  const fargateY = y(fargateCost);
  const point = (requests: number, cost: number): ChartPoint => ({
    requests,
    cost,
    x: x(requests),
    y: y(cost),
  });

  const currentX = showsCurrent ? x(requestsPerMonth) : undefined;

  let breakEvenMark: BreakEvenChart['breakEven'];
  if (Number.isFinite(breakEven) && breakEven >= xDomain[0] && breakEven <= xDomain[1]) {
    const crossing = point(breakEven, fargateCost);
    const text = `Break-even ${formatCountShort(breakEven)}`;
    const textWidth = labelWidth(text);
    // Above and left of the crossing the plot is empty (Lambda is below Fargate there), and so is below and right.
    const aboveLeft: Label = { text, x: crossing.x - 10, y: crossing.y - 10, anchor: 'end' };
    const belowRight: Label = {
      text,
      x: Math.min(crossing.x + 10, width - 4 - textWidth),
      y: crossing.y + 20,
      anchor: 'start',
    };
    const fitsAboveLeft =
      aboveLeft.x - textWidth >= plot.left &&
      (currentX === undefined ||
        currentX < aboveLeft.x - textWidth - 4 ||
        currentX > aboveLeft.x + 4);
    breakEvenMark = { point: crossing, label: fitsAboveLeft ? aboveLeft : belowRight };
  }

  let current: BreakEvenChart['current'];
  if (currentX !== undefined) {
    const text = `Your volume ${formatCountShort(requestsPerMonth)}`;
    const half = labelWidth(text) / 2;
    current = {
      x: currentX,
      lambda: point(requestsPerMonth, lambdaCost(requestsPerMonth)),
      fargate: point(requestsPerMonth, fargateCost),
      label: {
        text,
        x: Math.min(Math.max(currentX, half + 4), width - half - 4),
        y: plot.top - 8,
        anchor: 'middle',
      },
    };
  }

  const rowsByRequests = new Map<number, DataRow>();
  for (const tick of xTicks)
    rowsByRequests.set(tick.value, {
      requests: tick.value,
      lambda: lambdaCost(tick.value),
      fargate: fargateCost,
    });
  if (breakEvenMark)
    rowsByRequests.set(breakEven, {
      requests: breakEven,
      lambda: lambdaCost(breakEven),
      fargate: fargateCost,
      note: 'Break-even',
    });
  rowsByRequests.set(requestsPerMonth, {
    requests: requestsPerMonth,
    lambda: lambdaCost(requestsPerMonth),
    fargate: fargateCost,
    note: 'Your volume',
  });
  const rows = [...rowsByRequests.values()].sort((a, b) => a.requests - b.requests);

  const sentences = [
    `Requests per month run along a log scale from ${formatCount(xDomain[0])} to ${formatCount(xDomain[1])}.`,
    `Lambda's monthly cost rises with requests, from ${formatUsd(lambdaCost(xDomain[0]))} to ${formatUsd(lambdaCost(xDomain[1]))}; Fargate's stays at ${formatUsd(fargateCost)} at every volume.`,
    breakEvenMark
      ? `The lines cross at the break-even point, ${formatCount(breakEven)} requests.`
      : 'The lines do not cross.',
    `Your volume, ${formatCount(requestsPerMonth)} requests, costs ${formatUsd(comparison.lambda.total)} on Lambda and ${formatUsd(fargateCost)} on Fargate${current ? '' : '; a log scale cannot show 0, so it is not marked'}.`,
  ];

  return {
    width,
    height,
    plot,
    xDomain,
    yMax,
    xTicks,
    yTicks,
    lambdaPath: pathData(lambdaPoints),
    fargatePath: pathData([
      { x: plot.left, y: fargateY },
      { x: plot.right, y: fargateY },
    ]),
    fargateY,
    breakEven: breakEvenMark,
    current,
    rows,
    description: sentences.join(' '),
  };
}
