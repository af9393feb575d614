// Lambda calls this exported function once for every event it receives.
// `event` is the JSON the caller sent; `context` describes this invocation.
// The @type line lets the editor complete `context.` from the aws-lambda typings.
/** @type {import('aws-lambda').Handler<{ name?: string }>} */
export const handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  console.log('awsRequestId', context.awsRequestId);
  console.log('functionName', context.functionName);
  console.log('memoryLimitInMB', context.memoryLimitInMB);
  console.log('remaining ms', context.getRemainingTimeInMillis());

  // Exercise: return an API Gateway-style response instead of this object.
  return { message: 'Hello from Lambda' };
};
