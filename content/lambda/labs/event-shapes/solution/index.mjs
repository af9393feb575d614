// One function, many triggers: work out which AWS service sent the event.
// Return { source } with one of: "apigateway-http", "apigateway-rest", "s3",
// "sqs", "sns", "eventbridge", or "unknown" for anything else.
export const handler = async (event) => {
  return { source: detectSource(event) };
};

function detectSource(event) {
  if (event === null || typeof event !== 'object') return 'unknown';

  // API Gateway: both payload formats have a requestContext, so look further.
  if (event.version === '2.0' && event.requestContext?.http) return 'apigateway-http';
  if (typeof event.httpMethod === 'string' && event.requestContext) return 'apigateway-rest';

  // S3, SQS and SNS deliver a Records array; the first record names its source.
  // SNS spells the field with a capital E: EventSource.
  const record = Array.isArray(event.Records) ? event.Records[0] : undefined;
  if (record?.eventSource === 'aws:s3') return 's3';
  if (record?.eventSource === 'aws:sqs') return 'sqs';
  if (record?.EventSource === 'aws:sns') return 'sns';

  // EventBridge events carry "detail-type" and "detail" at the top level.
  if (typeof event['detail-type'] === 'string' && 'detail' in event) return 'eventbridge';

  return 'unknown';
}
