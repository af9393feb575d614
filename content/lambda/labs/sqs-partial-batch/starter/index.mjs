// Called by an SQS event source mapping with a batch of messages in event.Records.
// Each message body should be JSON such as {"orderId": 41}.
export const handler = async (event) => {
  for (const record of event.Records) {
    // A body that is not valid JSON throws here, and the whole batch fails:
    // every message in it, good or bad, goes back to the queue to be retried.
    const order = JSON.parse(record.body);
    console.log(`processed order ${order.orderId}`);
  }
  // Exercise: catch the failures, and report only those messages with
  // { batchItemFailures: [{ itemIdentifier: <the record's messageId> }] }.
};
