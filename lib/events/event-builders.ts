import { createHash, randomUUID } from 'node:crypto';

/**
 * Events in the shapes AWS services deliver to Lambda, built from a few
 * learner-friendly inputs. One builder per payload kind, each with the AWS
 * documentation page that defines it. Used as the code labs' event presets.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export interface HttpRequestInput {
  method?: string;
  /** The request path, e.g. "/orders/42". */
  path?: string;
  /** Query string parameters; a list gives a repeated parameter. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** A string body, or a value sent as JSON. */
  body?: unknown;
  /** The route's resource with its parameters, e.g. "/orders/{id}"; path parameters are read from it. */
  resource?: string;
  stage?: string;
  sourceIp?: string;
  now?: Date;
}

/**
 * REST API proxy integration, payload format 1.0.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
export function apiGatewayRestEvent(input: HttpRequestInput = {}) {
  const request = normaliseRequest(input);
  const resource = input.resource ?? request.path;
  const multiValueHeaders = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, [v]]),
  );
  const multiValueQuery = Object.fromEntries(
    Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
  const singleQuery = Object.fromEntries(
    Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1]! : v]),
  );
  const pathParameters = extractPathParameters(resource, request.path);
  return {
    resource,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders,
    // API Gateway sends null, not {}, when there are none.
    queryStringParameters: Object.keys(singleQuery).length > 0 ? singleQuery : null,
    multiValueQueryStringParameters:
      Object.keys(multiValueQuery).length > 0 ? multiValueQuery : null,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abcd123456',
      domainName: 'abcd123456.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcd123456',
      extendedRequestId: 'c0urseExtReqId=',
      httpMethod: request.method,
      identity: {
        sourceIp: request.sourceIp,
        userAgent: request.headers['User-Agent'] ?? null,
        accessKey: null,
        accountId: null,
        caller: null,
        user: null,
        userArn: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        apiKey: null,
        apiKeyId: null,
        principalOrgId: null,
      },
      path: `/${request.stage ?? 'prod'}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: clfTime(request.now),
      requestTimeEpoch: request.now.getTime(),
      resourceId: 'abc123',
      resourcePath: resource,
      stage: request.stage ?? 'prod',
    },
    body: request.body,
    isBase64Encoded: false,
  };
}

/**
 * HTTP API proxy integration, payload format 2.0.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function httpApiEvent(input: HttpRequestInput = {}) {
  const request = normaliseRequest(input);
  const route = input.resource ?? request.path;
  // 2.0 lower-cases header names, joins repeats with commas and moves cookies out.
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([k]) => k.toLowerCase() !== 'cookie')
      .map(([k, v]) => [k.toLowerCase(), v]),
  );
  const cookieHeader = Object.entries(request.headers).find(
    ([k]) => k.toLowerCase() === 'cookie',
  )?.[1];
  const rawQueryString = Object.entries(request.query)
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map(
        (value) => `${encodeURIComponent(k)}=${encodeURIComponent(value)}`,
      ),
    )
    .join('&');
  const queryStringParameters = Object.fromEntries(
    Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
  );
  const pathParameters = extractPathParameters(route, request.path);
  const routeKey = input.resource ? `${request.method} ${route}` : '$default';
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString,
    ...(cookieHeader
      ? {
          cookies: cookieHeader
            .split(';')
            .map((c) => c.trim())
            .filter(Boolean),
        }
      : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abcd123456',
      domainName: 'abcd123456.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcd123456',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'c0urseReqId=',
      routeKey,
      stage: request.stage ?? '$default',
      time: clfTime(request.now),
      timeEpoch: request.now.getTime(),
    },
    ...(request.body !== null ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * An S3 "object created" notification (event message structure version 2.1).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function s3PutEvent(
  input: { bucket?: string; key?: string; size?: number; now?: Date } = {},
) {
  const bucket = input.bucket ?? 'course-uploads';
  const key = input.key ?? 'images/photo 1.jpg';
  const size = input.size ?? 1024;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: (input.now ?? new Date()).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AIDAEXAMPLEPRINCIPAL' },
        requestParameters: { sourceIPAddress: '203.0.113.10' },
        responseElements: {
          'x-amz-request-id': 'C0URSE00REQUEST1',
          'x-amz-id-2': 'c0urse/id2/example=',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'on-upload',
          bucket: {
            name: bucket,
            ownerIdentity: { principalId: 'A3EXAMPLEOWNER' },
            arn: `arn:aws:s3:::${bucket}`,
          },
          // S3 URL-encodes the key in notifications, with spaces as "+".
          object: {
            key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'),
            size,
            eTag: createHash('md5').update(key).digest('hex'),
            sequencer: '0066C0URSE00000000',
          },
        },
      },
    ],
  };
}

/**
 * An SQS batch delivered by an event source mapping.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export function sqsEvent(input: { bodies?: unknown[]; queueName?: string; now?: Date } = {}) {
  const queueName = input.queueName ?? 'orders';
  const sent = (input.now ?? new Date()).getTime();
  return {
    Records: (input.bodies ?? [{ orderId: 42 }]).map((value, index) => {
      const body = typeof value === 'string' ? value : JSON.stringify(value);
      return {
        messageId: randomUUID(),
        receiptHandle: `AQEB${createHash('sha256').update(`${body}${index}`).digest('base64').slice(0, 40)}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(sent),
          SenderId: 'AIDAEXAMPLESENDER',
          ApproximateFirstReceiveTimestamp: String(sent + 5),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
        awsRegion: REGION,
      };
    }),
  };
}

/**
 * An SNS notification delivered to a subscribed function.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 */
export function snsEvent(
  input: { message?: unknown; subject?: string; topicName?: string; now?: Date } = {},
) {
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${input.topicName ?? 'order-events'}`;
  const message =
    input.message === undefined
      ? 'Hello from SNS!'
      : typeof input.message === 'string'
        ? input.message
        : JSON.stringify(input.message);
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: (input.now ?? new Date()).toISOString(),
          Signature: 'c0urseSignatureExample==',
          SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-example.pem`,
          MessageId: randomUUID(),
          Message: message,
          MessageAttributes: {},
          Type: 'Notification',
          UnsubscribeUrl: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}`,
          TopicArn: topicArn,
          Subject: input.subject ?? null,
        },
      },
    ],
  };
}

/**
 * An EventBridge scheduled event (a rule with a schedule expression).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 */
export function eventBridgeScheduledEvent(input: { ruleName?: string; now?: Date } = {}) {
  const time = input.now ?? new Date();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    // EventBridge gives the time to the second.
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [
      `arn:aws:events:${REGION}:${ACCOUNT}:rule/${input.ruleName ?? 'every-five-minutes'}`,
    ],
    detail: {},
  };
}

/** The presets a code lab offers, by name. */
export const EVENT_PRESETS = {
  'API Gateway REST API (payload 1.0)': () =>
    apiGatewayRestEvent({
      method: 'POST',
      path: '/orders',
      body: { item: 'coffee', quantity: 2 },
      headers: { 'Content-Type': 'application/json' },
    }),
  'API Gateway HTTP API (payload 2.0)': () =>
    httpApiEvent({
      method: 'GET',
      path: '/orders/42',
      resource: '/orders/{id}',
      query: { expand: 'items' },
    }),
  'S3 object created': () => s3PutEvent(),
  SQS: () => sqsEvent({ bodies: [{ orderId: 42 }, { orderId: 43 }] }),
  SNS: () => snsEvent({ message: { orderId: 42, status: 'shipped' }, subject: 'Order shipped' }),
  'EventBridge scheduled event': () => eventBridgeScheduledEvent(),
} as const;

interface NormalisedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: string | null;
  stage: string | undefined;
  sourceIp: string;
  now: Date;
}

function normaliseRequest(input: HttpRequestInput): NormalisedRequest {
  const body =
    input.body === undefined || input.body === null
      ? null
      : typeof input.body === 'string'
        ? input.body
        : JSON.stringify(input.body);
  return {
    method: (input.method ?? 'GET').toUpperCase(),
    path: input.path ?? '/',
    query: input.query ?? {},
    headers: {
      Host: 'abcd123456.execute-api.us-east-1.amazonaws.com',
      'User-Agent': 'curl/8.5.0',
      Accept: '*/*',
      ...(input.headers ?? {}),
    },
    body,
    stage: input.stage,
    sourceIp: input.sourceIp ?? '203.0.113.10',
    now: input.now ?? new Date(),
  };
}

/** "/orders/{id}" against "/orders/42" gives { id: "42" }; "{proxy+}" takes the rest of the path. */
function extractPathParameters(resource: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const pattern = resource
    .replace(/[.*?^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}+]+)(\+?)\}/g, (_match, name: string, greedy: string) => {
      names.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
  if (names.length === 0) return null;
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return null;
  return Object.fromEntries(
    names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]),
  );
}

/** API Gateway's request time, in Common Log Format: 30/Nov/2026:10:00:00 +0000. */
function clfTime(date: Date): string {
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
