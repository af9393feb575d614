import { randomUUID } from 'node:crypto';

// Init code: once per execution environment.
const environmentId = randomUUID().slice(0, 8);
let requestsServed = 0;
console.log(`new environment ${environmentId}`);

// Exercise: also return busyMs, the total time this environment has spent
// waiting on requests so far, this one included.
/** @type {import('aws-lambda').Handler<{ waitMs?: number }>} */
export const handler = async (event) => {
  requestsServed += 1;
  // Stands in for a call to a database or another service: the environment
  // is busy, and cannot take another request, until this finishes.
  const waitMs = event.waitMs ?? 400;
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return { environmentId, requestsServed, waitedMs: waitMs };
};
