// Counts the prime numbers below event.limit by trial division: a small job
// that keeps the CPU busy. The Python lab runs exactly the same algorithm,
// so the two runtimes return the same numbers and you can compare the time.

// Exercise: log which runtime and Node.js version run this code, once per
// environment, and return them as runtime and nodeVersion.

function isPrime(n) {
  if (n < 2) return false;
  for (let divisor = 2; divisor * divisor <= n; divisor++) {
    if (n % divisor === 0) return false;
  }
  return true;
}

/** @type {import('aws-lambda').Handler<{ limit?: number }>} */
export const handler = async (event) => {
  const limit = Number(event.limit ?? 50000);
  let count = 0;
  let largest = null;
  for (let n = 2; n < limit; n++) {
    if (isPrime(n)) {
      count++;
      largest = n;
    }
  }
  // AWS_EXECUTION_ENV names the runtime, e.g. AWS_Lambda_nodejs24.x.
  return { runtime: process.env.AWS_EXECUTION_ENV, limit, count, largest };
};
