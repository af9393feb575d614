// CPU-bound work: count the prime numbers below a limit by trial division.
// No waiting on anything: the only thing that makes it faster is more CPU.
const isPrime = (n) => {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
};

/** Lambda gives a function the equivalent of one vCPU at 1,769 MB. */
const ONE_VCPU_MB = 1769;

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
  // CPU grows with memory, but this handler runs on one thread, so it can
  // use at most one vCPU: beyond 1,769 MB the extra vCPUs sit idle.
  const cpuShare = Math.round(Math.min(1, memoryMb / ONE_VCPU_MB) * 1000) / 1000;
  const moreMemoryHelps = memoryMb < ONE_VCPU_MB;
  return { limit, primes: count, ms, memoryMb, cpuShare, moreMemoryHelps };
};
