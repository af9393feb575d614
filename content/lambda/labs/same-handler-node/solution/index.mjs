// Counts the prime numbers below event.limit by trial division: a small job
// that keeps the CPU busy. The Python lab runs exactly the same algorithm,
// so the two runtimes return the same numbers and you can compare the time.

// Init code: AWS_EXECUTION_ENV is e.g. AWS_Lambda_nodejs24.x; the runtime's
// identifier is what follows the prefix. process.versions.node is e.g. 24.1.0.
const runtime = (process.env.AWS_EXECUTION_ENV ?? '').replace(/^AWS_Lambda_/, '');
const nodeVersion = process.versions.node;
console.log(`runtime ${runtime} on Node.js ${nodeVersion}`);

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
  return { runtime, nodeVersion, limit, count, largest };
};
