// One function, many triggers: work out which AWS service sent the event.
// Return { source } with one of: "apigateway-http", "apigateway-rest", "s3",
// "sqs", "sns", "eventbridge", or "unknown" for anything else.
export const handler = async (event) => {
  return { source: detectSource(event) };
};

function detectSource(event) {
  // A first attempt: right for some events, wrong for others. Try each preset.
  if (event.requestContext) return 'apigateway-http';
  if (event.Records?.[0]?.eventSource === 'aws:s3') return 's3';
  // TODO: REST APIs (payload 1.0), SQS, SNS and EventBridge.
  return 'unknown';
}
