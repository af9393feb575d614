// Estimates how many execution environments a function needs, and whether
// it will be throttled. Event: { requestsPerSecond, averageDurationMs, reservedConcurrency? }

// Concurrent executions per account per Region, shared by all its functions.
const ACCOUNT_DEFAULT_LIMIT = 1000;

export const handler = async (event) => {
  const { requestsPerSecond, averageDurationMs, reservedConcurrency } = event;

  // Each request in flight needs its own environment. Multiply before dividing so that
  // whole numbers stay exact: 100 × 70 / 1000 is 7, but 100 × 0.07 is 7.000000000000001.
  const concurrency = Math.ceil((requestsPerSecond * averageDurationMs) / 1000);

  // `??`, not `||`: a reserved concurrency of 0 is a real setting (it stops all invocations).
  const limit = reservedConcurrency ?? ACCOUNT_DEFAULT_LIMIT;

  return { concurrency, limit, throttled: concurrency > limit };
};
