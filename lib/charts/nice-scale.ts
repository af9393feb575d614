/** Round steps and ticks for the axes of the course's hand-drawn SVG charts. */

/** The tick step nearest to a rough one: 1, 2 or 5 times a power of ten, or 2.5 for steps of 1 or more (below that, 2.5 would need a third decimal). */
export function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const factors = power >= 1 ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10];
  const factor = factors.find((candidate) => fraction <= candidate) ?? 10;
  return factor * power;
}

/** Tick values from 0 to at least `max`, about `count` of them, at a step from niceStep. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const step = niceStep(max / count);
  const ticks: number[] = [];
  for (let value = 0; value < max + step / 2 && ticks.length <= count * 3; value += step)
    ticks.push(Number(value.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}
