// Estimates how many execution environments a function needs, and whether
// it will be throttled. Event: { requestsPerSecond, averageDurationMs, reservedConcurrency? }

// Concurrent executions per account per Region, shared by all its functions.
const ACCOUNT_DEFAULT_LIMIT = 1000;

export const handler = async (event) => {
  const { requestsPerSecond, averageDurationMs, reservedConcurrency } = event;

  // TODO: concurrency = requests per second × average duration in seconds, rounded up.
  const concurrency = requestsPerSecond;

  // TODO: a function with reserved concurrency can never run more than that many at once.
  const limit = ACCOUNT_DEFAULT_LIMIT;

  return { concurrency, limit, throttled: concurrency > limit };
};
