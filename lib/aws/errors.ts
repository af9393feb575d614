import { randomUUID } from 'node:crypto';

/** An AWS REST-JSON error, ready to send from a web Response or a Node response alike. */
export interface AwsErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface AwsErrorOptions {
  /** The `Reason` field some errors carry, e.g. TooManyRequestsException's CallerRateLimitExceeded. */
  reason?: string;
  /**
   * Seconds before a retry may succeed, sent as Retry-After: the Lambda API model
   * binds TooManyRequestsException's retryAfterSeconds to that header.
   */
  retryAfterSeconds?: number;
}

/**
 * The shape the AWS SDKs read from REST-JSON services such as Lambda: the error
 * type in x-amzn-ErrorType, `Type` and `message` (and `Reason`) in the body.
 */
export function formatAwsError(
  status: number,
  type: string,
  message: string,
  options: AwsErrorOptions = {},
): AwsErrorReply {
  const body = {
    Type: status >= 500 ? 'Service' : 'User',
    message,
    ...(options.reason ? { Reason: options.reason } : {}),
  };
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': type,
      'x-amzn-requestid': randomUUID(),
      ...(options.retryAfterSeconds !== undefined
        ? { 'retry-after': String(options.retryAfterSeconds) }
        : {}),
    },
    body: JSON.stringify(body),
  };
}

/** formatAwsError as a web Response. */
export function awsErrorResponse(
  status: number,
  type: string,
  message: string,
  options?: AwsErrorOptions,
): Response {
  const reply = formatAwsError(status, type, message, options);
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

/** TooManyRequestsException's reason when one caller sends too fast. */
export const CALLER_RATE_LIMIT_EXCEEDED = 'CallerRateLimitExceeded';

/** Lambda's throttling answer for a caller over its request rate. */
export function callerThrottledReply(message: string, retryAfterSeconds: number): AwsErrorReply {
  return formatAwsError(429, 'TooManyRequestsException', message, {
    reason: CALLER_RATE_LIMIT_EXCEEDED,
    retryAfterSeconds,
  });
}
