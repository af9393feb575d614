// A small product API with two routes:
//   { "route": "price", "sku": "SKU-000042" }  -> almost every request
//   { "route": "search", "term": "lamp" }      -> rare
const ADJECTIVES = ['Compact', 'Classic', 'Deluxe', 'Rustic', 'Modern',
  'Sturdy', 'Folding', 'Vintage', 'Smart', 'Quiet'];
const COLOURS = ['red', 'blue', 'green', 'black', 'white',
  'grey', 'oak', 'walnut', 'steel', 'brass'];
const NOUNS = ['lamp', 'desk', 'chair', 'shelf', 'kettle',
  'clock', 'mirror', 'rug', 'stool', 'bench'];
const PRODUCT_COUNT = 20_000;

function productName(i) {
  const adjective = ADJECTIVES[i % 10];
  const colour = COLOURS[Math.floor(i / 10) % 10];
  const noun = NOUNS[Math.floor(i / 100) % 10];
  return `${adjective} ${colour} ${noun}`;
}

function priceOf(i) {
  return (((i * 7919) % 10_000) + 99) / 100;
}

// Expensive: maps every prefix of every word in every product name
// ("l", "la", "lam", "lamp", …) to the products that contain it.
function buildSearchIndex() {
  console.log('building index');
  const index = new Map();
  for (let i = 0; i < PRODUCT_COUNT; i++) {
    for (const word of productName(i).toLowerCase().split(' ')) {
      for (let end = 1; end <= word.length; end++) {
        const prefix = word.slice(0, end);
        if (!index.has(prefix)) index.set(prefix, []);
        const ids = index.get(prefix);
        // Once per product, even when two of its words share the prefix.
        if (ids.at(-1) !== i) ids.push(i);
      }
    }
  }
  return index;
}

// Init code: every cold start builds the index, even for price requests.
const searchIndex = buildSearchIndex();

export const handler = async (event) => {
  if (event.route === 'search') {
    const term = String(event.term ?? '').toLowerCase();
    const ids = searchIndex.get(term) ?? [];
    return { route: 'search', term, matches: ids.length, first: ids.slice(0, 3).map(productName) };
  }
  const i = Number(String(event.sku ?? 'SKU-000042').replace('SKU-', ''));
  if (!Number.isInteger(i) || i < 0 || i >= PRODUCT_COUNT) {
    return { route: 'price', error: `No product ${event.sku}` };
  }
  return { route: 'price', sku: event.sku, name: productName(i), price: priceOf(i) };
};
