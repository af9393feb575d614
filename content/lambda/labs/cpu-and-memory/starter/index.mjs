// CPU-bound work: count the prime numbers below a limit by trial division.
// No waiting on anything: the only thing that makes it faster is more CPU.
const isPrime = (n) => {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
};

/** @type {import('aws-lambda').Handler<{ limit?: number }>} */
export const handler = async (event, context) => {
  // Bounded, so that even 128 MB finishes well within the 30 s timeout.
  const limit = Math.min(event.limit ?? 1_500_000, 2_500_000);

  const started = Date.now();
  let count = 0;
  for (let n = 2; n < limit; n++) {
    if (isPrime(n)) count++;
  }
  const ms = Date.now() - started;

  const memoryMb = Number(context.memoryLimitInMB);
  console.log(`${count} primes below ${limit} in ${ms} ms at ${memoryMb} MB`);
  // Exercise: also return cpuShare (the share of one vCPU this single thread
  // can use at this memory size) and moreMemoryHelps (true or false).
  return { limit, primes: count, ms, memoryMb };
};
