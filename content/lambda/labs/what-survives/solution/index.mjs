import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

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

// A cache, never the source of truth: a missing or unreadable file means "compute again".
function cachedPrimeCount() {
  if (existsSync(CACHE_FILE)) {
    try {
      const cached = JSON.parse(readFileSync(CACHE_FILE, 'utf8'));
      if (cached.limit === LIMIT) {
        console.log('cache hit');
        return cached.count;
      }
    } catch {
      // A half-written or corrupt file: fall through and rebuild it.
    }
  }
  console.log('cache miss');
  const count = countPrimes(LIMIT);
  writeFileSync(CACHE_FILE, JSON.stringify({ limit: LIMIT, count }));
  return count;
}

export const handler = async (event, context) => {
  invocations += 1;
  appendFileSync(VISITS_FILE, `${context.awsRequestId}\n`);
  const linesInTmpFile = readFileSync(VISITS_FILE, 'utf8').trim().split('\n').length;

  const primeCount = cachedPrimeCount();

  return { invocations, linesInTmpFile, environmentStartedAt, primesBelow: LIMIT, primeCount };
};
