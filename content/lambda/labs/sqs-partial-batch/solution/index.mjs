// Called by an SQS event source mapping with a batch of messages in event.Records.
// Each message body should be JSON such as {"orderId": 41}.
// The mapping must have ReportBatchItemFailures in its FunctionResponseTypes.
export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body);
      console.log(`processed order ${order.orderId}`);
    } catch (error) {
      console.log(`failed message ${record.messageId}: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  // An empty list tells Lambda that every message succeeded and can be deleted.
  return { batchItemFailures };
};
