// A batch job: each item needs a call to a slow service that answers in
// about half a second. (There is no network here, so a timer stands in for it.)
const slowService = (item) => new Promise((resolve) => setTimeout(() => resolve(`${item}: done`), 500));

// Stop starting new items once less than this is left: one item (0.5 s)
// plus a generous safety margin for a slow or busy machine.
const STOP_WHEN_LEFT_MS = 1500;

export const handler = async (event, context) => {
  const items = event.items ?? ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const results = [];

  for (const item of items) {
    if (context.getRemainingTimeInMillis() < STOP_WHEN_LEFT_MS) {
      console.log(`stopping early with ${context.getRemainingTimeInMillis()} ms left`);
      break;
    }
    results.push(await slowService(item));
    console.log(`processed ${item}, ${context.getRemainingTimeInMillis()} ms left`);
  }

  // The caller can send the remaining items again in a new invocation.
  return { processed: results.length, remaining: items.length - results.length, results };
};
