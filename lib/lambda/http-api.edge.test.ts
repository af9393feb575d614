import { request as httpRequest } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  LambdaClient,
  ListFunctionsCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../http/rate-limit';
import { createCountingBody } from '../http/testing/counting-body';
import {
  handleLambdaApiRequest,
  MAX_CODE_BODY_BYTES,
  MAX_INVOKE_BODY_BYTES,
  type LambdaApiDependencies,
} from './http-api';
import { createTestService, nodeFunction } from './testing/service-harness';

// Each test is one of the attacks from issue 8's fifth finding, against the real
// handler and service: the server must refuse before it reads, and keep serving.

const CHUNK = 64 * 1024;
const ORIGIN = 'http://127.0.0.1:3000';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let harness: Awaited<ReturnType<typeof createTestService>>;
let deps: LambdaApiDependencies;

beforeAll(async () => {
  harness = await createTestService();
  const { service, repository } = harness;
  deps = {
    lambda: service,
    functions: repository,
    codeStore: harness.codeStore,
    codeLinks: harness.codeLinks,
  };
  await service.createFunction(
    'edge-workspace',
    nodeFunction('echo', 'export const handler = async (event) => event;'),
  );
});
afterAll(() => harness.dispose());

/** Headers as the AWS SDK signs them, for a body it declares by hash (the SDK sends x-amz-content-sha256). */
async function signedHeaders(
  method: string,
  path: string,
  declaredSha256: string,
  secretOverride?: string,
): Promise<Headers> {
  const keys = await harness.repository.credentialsFor('edge-workspace', new Date());
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'us-east-1',
    credentials: {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: secretOverride ?? keys.secretAccessKey,
    },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 3000,
    path,
    query: {},
    headers: {
      host: '127.0.0.1:3000',
      'content-type': 'application/json',
      'x-amz-content-sha256': declaredSha256,
    },
  });
  return new Headers(signed.headers);
}

function post(path: string, headers: Headers, body: ReadableStream<Uint8Array>): Request {
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers, body, duplex: 'half' };
  return new Request(`${ORIGIN}${path}`, init);
}

const INVOKE_PATH = '/aws/lambda/2015-03-31/functions/echo/invocations';

describe('the Lambda API refuses before it reads', () => {
  it('answers an unsigned chunked POST of 50 MB with 403 having pulled at most one chunk', async () => {
    const body = createCountingBody(50 * 1024 * 1024, CHUNK);
    const response = await handleLambdaApiRequest(
      post(
        '/aws/lambda/2015-03-31/functions/',
        new Headers({ 'content-type': 'application/json' }),
        body.stream,
      ),
      deps,
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(body.pulledBytes).toBeLessThanOrEqual(CHUNK);
  });

  it.each([
    [
      'a forged signature',
      async () =>
        signedHeaders('POST', INVOKE_PATH, EMPTY_SHA256, 'not-the-secret-not-the-secret-not-the'),
      'InvalidSignatureException',
    ],
    [
      'an unknown access key',
      async () =>
        new Headers({
          authorization: `AWS4-HMAC-SHA256 Credential=AKIANOBODY/${amzDate().slice(0, 8)}/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
          'x-amz-date': amzDate(),
          host: '127.0.0.1:3000',
        }),
      'UnrecognizedClientException',
    ],
    [
      'a stale signing time',
      async () =>
        new Headers({
          authorization: `AWS4-HMAC-SHA256 Credential=AKIANOBODY/20200101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
          'x-amz-date': '20200101T000000Z',
          host: '127.0.0.1:3000',
        }),
      'InvalidSignatureException',
    ],
    [
      'a malformed Authorization header',
      async () =>
        new Headers({ authorization: 'AWS4-HMAC-SHA256 Credential=x', host: '127.0.0.1:3000' }),
      'IncompleteSignatureException',
    ],
  ])(
    'answers %s on a 50 MB chunked POST with 403 having pulled at most one chunk',
    async (_case, headers, type) => {
      const body = createCountingBody(50 * 1024 * 1024, CHUNK);
      const response = await handleLambdaApiRequest(
        post(INVOKE_PATH, await headers(), body.stream),
        deps,
      );
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe(type);
      expect(body.pulledBytes).toBeLessThanOrEqual(CHUNK);
    },
  );

  it('stops a signed chunked Invoke body at 6 MB plus one chunk with RequestTooLargeException', async () => {
    const body = createCountingBody(40 * 1024 * 1024, CHUNK);
    const response = await handleLambdaApiRequest(
      post(INVOKE_PATH, await signedHeaders('POST', INVOKE_PATH, EMPTY_SHA256), body.stream),
      deps,
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    expect(await response.json()).toEqual({
      Type: 'User',
      message: `Request must be smaller than ${MAX_INVOKE_BODY_BYTES} bytes for the InvokeFunction operation.`,
    });
    expect(body.pulledBytes).toBeGreaterThan(MAX_INVOKE_BODY_BYTES - CHUNK);
    expect(body.pulledBytes).toBeLessThanOrEqual(MAX_INVOKE_BODY_BYTES + CHUNK);
    expect(body.cancelled).toBe(true);
  });

  it('stops a signed chunked CreateFunction body at its 70 MB limit plus one chunk', async () => {
    const path = '/aws/lambda/2015-03-31/functions/';
    const body = createCountingBody(MAX_CODE_BODY_BYTES + 10 * CHUNK, CHUNK);
    const response = await handleLambdaApiRequest(
      post(path, await signedHeaders('POST', path, EMPTY_SHA256), body.stream),
      deps,
    );
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBeLessThanOrEqual(MAX_CODE_BODY_BYTES + CHUNK);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const body = createCountingBody(7 * 1024 * 1024, CHUNK);
    const headers = await signedHeaders('POST', INVOKE_PATH, EMPTY_SHA256);
    headers.set('content-length', String(7 * 1024 * 1024));
    const response = await handleLambdaApiRequest(post(INVOKE_PATH, headers, body.stream), deps);
    expect(response.status).toBe(413);
    expect(body.pulledBytes).toBe(0);
  });

  it('still invokes with a signed body that matches its declared hash, and refuses one that does not', async () => {
    const api = await harness.serveLambdaApi();
    const lambda = await sdkClient(api);
    expect(
      (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName),
    ).toEqual(['echo']);

    const swapped = await handleLambdaApiRequest(
      post(
        INVOKE_PATH,
        await signedHeaders('POST', INVOKE_PATH, EMPTY_SHA256),
        new Blob(['{"swapped":true}']).stream(),
      ),
      deps,
    );
    expect(swapped.status).toBe(403);
    expect(swapped.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('answers an unsigned 50 MB chunked upload over a real socket before the client has sent it', async () => {
    const api = await harness.serveLambdaApi();
    const { status, sentBytes } = await uploadUntilAnswered(
      `${api}/2015-03-31/functions/`,
      50 * 1024 * 1024,
    );
    expect(status).toBe(403);
    expect(sentBytes).toBeLessThan(50 * 1024 * 1024);
    // The server still serves a signed caller.
    expect(
      (await (await sdkClient(api)).send(new ListFunctionsCommand({}))).Functions,
    ).toHaveLength(1);
  });
});

describe('the Lambda API throttles a workspace', () => {
  it('answers TooManyRequestsException with Reason CallerRateLimitExceeded and Retry-After, then recovers', async () => {
    let now = 1_000_000;
    const api = await harness.serveLambdaApi({
      workspaceRate: new RateLimiter({ ratePerSecond: 2, burst: 3, now: () => now }),
    });
    const lambda = await sdkClient(api);
    for (let i = 0; i < 3; i++) await lambda.send(new ListFunctionsCommand({}));

    const throttled = await lambda
      .send(new ListFunctionsCommand({}))
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(TooManyRequestsException);
    expect(throttled).toMatchObject({
      $metadata: { httpStatusCode: 429 },
      Reason: 'CallerRateLimitExceeded',
      retryAfterSeconds: '1',
      Type: 'User',
    });

    now += 500;
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toHaveLength(1);
  });
});

function amzDate(time = new Date()): string {
  return time
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

async function sdkClient(endpoint: string): Promise<LambdaClient> {
  const keys = await harness.repository.credentialsFor('edge-workspace', new Date());
  return new LambdaClient({ endpoint, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
}

/** Sends chunks as fast as the socket takes them until the server answers; returns what it answered and how much was sent. */
function uploadUntilAnswered(
  url: string,
  totalBytes: number,
): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const chunk = Buffer.alloc(CHUNK, 0x61);
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        agent: false,
      },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentBytes });
        req.destroy();
      },
    );
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const write = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.byteLength;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    write();
  });
}
