import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiGatewayRestEvent,
  EVENT_PRESETS,
  eventBridgeScheduledEvent,
  httpApiEvent,
  s3PutEvent,
  snsEvent,
  sqsEvent,
} from './event-builders';

const NOW = new Date('2026-11-30T10:00:00.123Z');

describe('apiGatewayRestEvent (payload 1.0)', () => {
  it('carries headers twice, single and multi-value, and path parameters from the resource', () => {
    const event = apiGatewayRestEvent({
      method: 'post',
      path: '/orders/42',
      resource: '/orders/{id}',
      query: { tag: ['a', 'b'] },
      body: { x: 1 },
      now: NOW,
    });
    expect(event).toMatchObject({
      resource: '/orders/{id}',
      path: '/orders/42',
      httpMethod: 'POST',
      pathParameters: { id: '42' },
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        httpMethod: 'POST',
        stage: 'prod',
        path: '/prod/orders/42',
        resourcePath: '/orders/{id}',
        requestTime: '30/Nov/2026:10:00:00 +0000',
        requestTimeEpoch: NOW.getTime(),
      },
    });
    for (const [name, value] of Object.entries(event.headers))
      expect(event.multiValueHeaders[name]).toEqual([value]);
  });

  it('uses null, not empty objects, when there is no query, path parameter or body', () => {
    expect(apiGatewayRestEvent({ path: '/' })).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      body: null,
    });
  });

  it('gives {proxy+} the rest of the path', () => {
    expect(
      apiGatewayRestEvent({ path: '/files/a/b.txt', resource: '/files/{proxy+}' }).pathParameters,
    ).toEqual({ proxy: 'a/b.txt' });
  });
});

describe('httpApiEvent (payload 2.0)', () => {
  it('lower-cases headers, moves cookies out, joins repeated query values and names the route', () => {
    const event = httpApiEvent({
      method: 'GET',
      path: '/orders/42',
      resource: '/orders/{id}',
      query: { tag: ['a b', 'c'] },
      headers: { Cookie: 'a=1; b=2', 'X-Trace': 't' },
      now: NOW,
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /orders/{id}',
      rawPath: '/orders/42',
      rawQueryString: 'tag=a%20b&tag=c',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { tag: 'a b,c' },
      pathParameters: { id: '42' },
      requestContext: {
        http: { method: 'GET', path: '/orders/42', protocol: 'HTTP/1.1' },
        routeKey: 'GET /orders/{id}',
        stage: '$default',
        timeEpoch: NOW.getTime(),
      },
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'x-trace': 't', host: expect.any(String) });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event).not.toHaveProperty('body');
  });

  it('uses the $default route when no route is given, and leaves out empty parts', () => {
    const event = httpApiEvent({ path: '/' });
    expect(event.routeKey).toBe('$default');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
  });
});

describe('record-based events', () => {
  it('S3: URL-encodes the key with + for spaces, as notifications do', () => {
    const [record] = s3PutEvent({
      bucket: 'b',
      key: 'photos/my cat.jpg',
      size: 5,
      now: NOW,
    }).Records;
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: NOW.toISOString(),
      s3: {
        bucket: { name: 'b', arn: 'arn:aws:s3:::b' },
        object: { key: 'photos/my+cat.jpg', size: 5 },
      },
    });
  });

  it('SQS: one record per message, with the body as a string and its MD5', () => {
    const { Records } = sqsEvent({ bodies: [{ a: 1 }, 'plain'], queueName: 'q' });
    expect(Records.map((r) => r.body)).toEqual(['{"a":1}', 'plain']);
    for (const record of Records) {
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
      expect(record).toMatchObject({
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q',
        attributes: { ApproximateReceiveCount: '1' },
      });
    }
    expect(new Set(Records.map((r) => r.messageId)).size).toBe(2);
  });

  it('SNS: the message as a string under Sns, from the topic', () => {
    const [record] = snsEvent({ message: { ok: true }, subject: 'S', topicName: 't' }).Records;
    expect(record).toMatchObject({
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        Message: '{"ok":true}',
        Subject: 'S',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      },
    });
    expect(record!.EventSubscriptionArn.startsWith('arn:aws:sns:us-east-1:123456789012:t:')).toBe(
      true,
    );
  });

  it('EventBridge: a scheduled event from aws.events with the time to the second', () => {
    expect(eventBridgeScheduledEvent({ ruleName: 'r', now: NOW })).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-11-30T10:00:00Z',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/r'],
      detail: {},
    });
  });
});

describe('EVENT_PRESETS', () => {
  it('offers every preset as JSON-serialisable data', () => {
    for (const [name, build] of Object.entries(EVENT_PRESETS)) {
      const event = build();
      expect(JSON.parse(JSON.stringify(event)), name).toEqual(event);
    }
    expect(Object.keys(EVENT_PRESETS)).toHaveLength(6);
  });
});
