// A batch job: each item needs a call to a slow service that answers in
// about half a second. (There is no network here, so a timer stands in for it.)
const slowService = (item) => new Promise((resolve) => setTimeout(() => resolve(`${item}: done`), 500));

export const handler = async (event, context) => {
  const items = event.items ?? ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const results = [];

  // One item after another: 10 items × 0.5 s = 5 s, longer than the 3 s timeout.
  for (const item of items) {
    results.push(await slowService(item));
    console.log(`processed ${item}, ${context.getRemainingTimeInMillis()} ms left`);
  }

  return { processed: results.length, remaining: items.length - results.length, results };
};
