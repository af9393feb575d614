// Init code: runs once per execution environment, during INIT.
console.log(`INIT starting (${process.env.AWS_LAMBDA_INITIALIZATION_TYPE})`);
const initStarted = performance.now();

const ADJECTIVES = ['Compact', 'Classic', 'Deluxe', 'Rustic', 'Modern',
  'Sturdy', 'Folding', 'Vintage', 'Smart', 'Quiet'];
const COLOURS = ['red', 'blue', 'green', 'black', 'white',
  'grey', 'oak', 'walnut', 'steel', 'brass'];
const NOUNS = ['lamp', 'desk', 'chair', 'shelf', 'kettle',
  'clock', 'mirror', 'rug', 'stool', 'bench'];

// A big lookup table built synchronously: 60,000 products by SKU.
// Heavy module-scope work like this makes every cold start longer.
function buildCatalogue(size) {
  const catalogue = new Map();
  for (let i = 0; i < size; i++) {
    const sku = `SKU-${String(i).padStart(6, '0')}`;
    const adjective = ADJECTIVES[i % 10];
    const colour = COLOURS[Math.floor(i / 10) % 10];
    const noun = NOUNS[Math.floor(i / 100) % 10];
    const name = `${adjective} ${colour} ${noun}`;
    const price = (((i * 7919) % 10_000) + 99) / 100;
    catalogue.set(sku, { sku, name, price });
  }
  return catalogue;
}

const catalogue = buildCatalogue(60_000);
const buildMs = Math.round(performance.now() - initStarted);
console.log(`catalogue of ${catalogue.size} products built in ${buildMs} ms`);

// Module scope lives as long as the environment: true until the first call.
let firstCall = true;

// Handler code: runs on every invocation, warm or cold.
/** @type {import('aws-lambda').Handler<{ sku?: string }>} */
export const handler = async (event) => {
  const coldStart = firstCall;
  firstCall = false;
  const product = catalogue.get(event.sku ?? 'SKU-000042');
  const answer = product ?? { error: `No product ${event.sku}` };
  return { ...answer, coldStart, catalogueBuildMs: buildMs };
};
