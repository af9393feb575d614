import { describe, expect, it } from 'vitest';
import {
  CHART_MARGIN,
  buildBreakEvenChart,
  requestDecades,
  type BreakEvenChart,
} from './break-even-chart';
import { HOSTING_EXAMPLE } from './testing/hosting-example';
import { compareCosts } from './compare';

const size = { width: 640, height: 360 };

function chartFor(requestsPerMonth: number, width = size.width): BreakEvenChart {
  return buildBreakEvenChart(
    compareCosts({ ...HOSTING_EXAMPLE, lambda: { ...HOSTING_EXAMPLE.lambda, requestsPerMonth } }),
    { width, height: size.height },
  );
}

function pathPoints(path: string): { x: number; y: number }[] {
  return [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((match) => ({
    x: Number(match[1]),
    y: Number(match[2]),
  }));
}

describe('requestDecades', () => {
  it('spans one decade beyond the volume and the break-even on each side', () => {
    expect(requestDecades(3_000_000, 15_016_681)).toEqual([5, 9]);
    expect(requestDecades(1_000, 50_000_000_000)).toEqual([2, 12]);
  });

  it('spans at least four decades, never below 1 request', () => {
    expect(requestDecades(1_000_000, Number.POSITIVE_INFINITY)).toEqual([4, 8]);
    expect(requestDecades(1, 2)).toEqual([0, 4]);
    expect(requestDecades(0, Number.POSITIVE_INFINITY)).toEqual([4, 8]);
  });
});

describe('buildBreakEvenChart', () => {
  const chart = chartFor(3_000_000);

  it('scales x by powers of ten and y in round dollars', () => {
    expect(chart.xDomain).toEqual([1e5, 1e9]);
    expect(chart.xTicks.map((tick) => tick.label)).toEqual(['100K', '1M', '10M', '100M', '1B']);
    expect(chart.xTicks[0]?.position).toBe(CHART_MARGIN.left);
    expect(chart.xTicks.at(-1)?.position).toBe(size.width - CHART_MARGIN.right);
    // Fargate's $18.02 at no more than half height: $40 in steps of $10.
    expect(chart.yMax).toBe(40);
    expect(chart.yTicks.map((tick) => tick.label)).toEqual(['$0', '$10', '$20', '$30', '$40']);
    expect(chart.fargateY).toBeGreaterThanOrEqual((chart.plot.top + chart.plot.bottom) / 2);
  });

  it("marks the break-even where Lambda's line meets Fargate's", () => {
    const mark = chart.breakEven;
    expect(mark).toBeDefined();
    if (!mark) return;
    expect(mark.point.y).toBeCloseTo(chart.fargateY, 6);
    const onLambda = pathPoints(chart.lambdaPath).find(
      (point) => Math.abs(point.x - mark.point.x) < 0.06,
    );
    expect(onLambda?.y).toBeCloseTo(mark.point.y, 0);
    // Between the 10M and 100M ticks.
    expect(mark.point.x).toBeGreaterThan(chart.xTicks[2]?.position ?? Infinity);
    expect(mark.point.x).toBeLessThan(chart.xTicks[3]?.position ?? -Infinity);
    expect(mark.label.text).toBe('Break-even 15M');
  });

  it("labels the break-even above and left of the crossing, unless the learner's volume line runs through that spot", () => {
    const clear = chartFor(300_000).breakEven;
    expect(clear?.label.anchor).toBe('end');
    expect(clear?.label.y).toBeLessThan(clear?.point.y ?? -Infinity);
    // 3M sits about 100 px left of the 15M crossing, under a label about 100 px wide: it goes below and right instead.
    expect(chart.breakEven?.label.anchor).toBe('start');
    expect(chart.breakEven?.label.x).toBeGreaterThan(chart.breakEven?.point.x ?? Infinity);
    expect(chart.breakEven?.label.y).toBeGreaterThan(chart.breakEven?.point.y ?? Infinity);
  });

  it("keeps Lambda's line inside the plot, ending on the top edge", () => {
    const points = pathPoints(chart.lambdaPath);
    expect(points.length).toBeGreaterThan(20);
    for (const point of points) {
      expect(point.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(point.x).toBeLessThanOrEqual(chart.plot.right);
      expect(point.y).toBeGreaterThanOrEqual(chart.plot.top - 0.05);
      expect(point.y).toBeLessThanOrEqual(chart.plot.bottom + 0.05);
    }
    expect(points.at(-1)?.y).toBeCloseTo(chart.plot.top, 1);
    // Cost never falls as requests grow.
    points
      .slice(1)
      .forEach((point, index) =>
        expect(point.y).toBeLessThanOrEqual((points[index]?.y ?? Infinity) + 0.05),
      );
  });

  it("marks the learner's volume on both lines", () => {
    expect(chart.current?.lambda.cost).toBeCloseTo(3.6, 4);
    expect(chart.current?.fargate.y).toBe(chart.fargateY);
    expect(chart.current?.label.text).toBe('Your volume 3M');
  });

  it("lists every decade, the break-even and the learner's volume in order", () => {
    expect(chart.rows.map((row) => row.note ?? row.requests)).toEqual([
      1e5,
      1e6,
      'Your volume',
      1e7,
      'Break-even',
      1e8,
      1e9,
    ]);
    expect(chart.description).toMatch(/cross at the break-even point, 15,01\d,\d{3} requests/);
  });

  it('labels fewer ticks and moves the break-even label inside a narrow chart', () => {
    const narrow = chartFor(3_000_000, 240);
    const labelled = narrow.xTicks.filter((tick) => tick.label !== '');
    expect(labelled.length).toBeLessThan(narrow.xTicks.length);
    labelled
      .slice(1)
      .forEach((tick, index) =>
        expect(tick.position - (labelled[index]?.position ?? 0)).toBeGreaterThanOrEqual(48),
      );
    expect(narrow.breakEven?.label.anchor).toBe('start');
    expect(narrow.breakEven?.label.x).toBeLessThanOrEqual(240 - 4 - 'Break-even 15M'.length * 7);
    expect(narrow.current?.label.x).toBeLessThanOrEqual(
      240 - 4 - ('Your volume 3M'.length * 7) / 2,
    );
  });

  it('leaves out a volume of 0, which a log scale cannot show, without NaN anywhere', () => {
    const empty = chartFor(0);
    expect(empty.current).toBeUndefined();
    expect(empty.description).toMatch(
      /Your volume, 0 requests, costs \$0\.00 on Lambda and \$18\.02 on Fargate; a log scale cannot show 0, so it is not marked\./,
    );
    expect(JSON.stringify(empty)).not.toMatch(/NaN|null/);
  });

  it('says the lines do not cross when Lambda is always cheaper', () => {
    const always = buildBreakEvenChart(
      { ...compareCosts(HOSTING_EXAMPLE), breakEvenRequests: Number.POSITIVE_INFINITY },
      size,
    );
    expect(always.breakEven).toBeUndefined();
    expect(always.xDomain).toEqual([1e4, 1e8]);
    expect(always.description).toMatch(/The lines do not cross\./);
  });
});
