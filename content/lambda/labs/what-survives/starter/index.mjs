import { appendFileSync, readFileSync } from 'node:fs';

// Module scope runs once per execution environment, during INIT.
let invocations = 0;
const environmentStartedAt = new Date().toISOString();

// Files in /tmp live as long as the execution environment.
const VISITS_FILE = '/tmp/visits.log';
const CACHE_FILE = '/tmp/prime-count.json';
const LIMIT = 300_000;

// Deliberately slow: counts the primes below `limit` by trial division.
function countPrimes(limit) {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

export const handler = async (event, context) => {
  invocations += 1;
  appendFileSync(VISITS_FILE, `${context.awsRequestId}\n`);
  const linesInTmpFile = readFileSync(VISITS_FILE, 'utf8').trim().split('\n').length;

  // Exercise: cache this result in CACHE_FILE. Read it if the file exists
  // ("cache hit"); otherwise compute it, write it there ("cache miss").
  const primeCount = countPrimes(LIMIT);

  return { invocations, linesInTmpFile, environmentStartedAt, primesBelow: LIMIT, primeCount };
};
