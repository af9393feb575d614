/**
 * Watches the event loop while `work` runs: a 1 ms interval notes the longest gap between
 * its ticks (counted from the moment watching starts, so a block that begins in the same
 * turn is seen too) and how many times it ran. A step that holds the loop shows as a gap
 * as long as the step, whatever else the machine is doing.
 */
export async function watchEventLoop<T>(
  work: () => Promise<T>,
): Promise<{ result: T; longestGapMs: number; ticks: number }> {
  let last = performance.now();
  let longestGapMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks += 1;
  }, 1);
  try {
    const result = await work();
    longestGapMs = Math.max(longestGapMs, performance.now() - last);
    return { result, longestGapMs, ticks };
  } finally {
    clearInterval(timer);
  }
}
