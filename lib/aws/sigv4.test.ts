import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  MAX_CLOCK_SKEW_MS,
  SignatureError,
  type SignedRequest,
  verifySigV4,
  verifySigV4Head,
} from './sigv4';

const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = new Date('2026-11-30T12:00:00Z');

const lookupSecret = async (accessKeyId: string) =>
  accessKeyId === ACCESS_KEY_ID ? SECRET : undefined;

interface SignOptions {
  method?: string;
  /** The path as the client puts it on the wire. */
  path: string;
  query?: Record<string, string | string[]>;
  body?: string;
  secret?: string;
  accessKeyId?: string;
  signingDate?: Date;
  /** False leaves out x-amz-content-sha256, so the verifier must hash the body itself. */
  applyChecksum?: boolean;
  unsignableHeaders?: Set<string>;
  /** Signed with the request, as the SDK signs any header it sends. */
  extraHeaders?: Record<string, string>;
  /** Temporary credentials: the SDK then signs x-amz-security-token too. */
  sessionToken?: string;
}

/** Signs with the AWS SDK's own signer, then turns the result into what a server receives. */
async function signRequest(options: SignOptions): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'us-east-1',
    credentials: {
      accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
      secretAccessKey: options.secret ?? SECRET,
      sessionToken: options.sessionToken,
    },
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: options.method ?? 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3000,
      path: options.path,
      query: options.query ?? {},
      headers: {
        host: '127.0.0.1:3000',
        'content-type': 'application/json',
        ...options.extraHeaders,
      },
      body: options.body,
    },
    { signingDate: options.signingDate ?? NOW, unsignableHeaders: options.unsignableHeaders },
  );
  // Through the wire: the query string is encoded by the client and decoded by the server.
  const queryString = Object.entries(signed.query ?? {})
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value ?? '']).map(
        (v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`,
      ),
    )
    .join('&');
  return {
    method: signed.method,
    path: signed.path,
    query: new URLSearchParams(queryString),
    headers: new Headers(signed.headers),
    body: new TextEncoder().encode(options.body ?? ''),
  };
}

async function readErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'verified';
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    return error.code;
  }
}

const INVOKE_BODY = JSON.stringify({ hello: 'world', items: [1, 2, 3] });

describe('verifySigV4', () => {
  it('accepts a GET with query parameters and returns the caller', async () => {
    const request = await signRequest({
      path: '/2015-03-31/functions/',
      query: {
        MaxItems: '10',
        Marker: 'a b/c+d=e&f',
        FunctionVersion: 'ALL',
        tag: ['zeta', 'alpha'],
      },
    });
    await expect(verifySigV4(request, lookupSecret, NOW)).resolves.toEqual({
      accessKeyId: ACCESS_KEY_ID,
      region: 'us-east-1',
      service: 'lambda',
    });
  });

  it('accepts a POST with a JSON body', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/aws/lambda/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
    });
    expect(request.headers.get('x-amz-content-sha256')).toMatch(/^[0-9a-f]{64}$/);
    await expect(verifySigV4(request, lookupSecret, NOW)).resolves.toMatchObject({
      accessKeyId: ACCESS_KEY_ID,
    });
  });

  it('hashes the body itself when x-amz-content-sha256 is absent', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
      applyChecksum: false,
    });
    expect(request.headers.has('x-amz-content-sha256')).toBe(false);
    await expect(verifySigV4(request, lookupSecret, NOW)).resolves.toMatchObject({
      service: 'lambda',
    });
    const tampered = {
      ...request,
      body: new TextEncoder().encode(INVOKE_BODY.replace('world', 'there')),
    };
    expect(await readErrorCode(verifySigV4(tampered, lookupSecret, NOW))).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it.each([
    ['a raw "$LATEST" and ":" qualifier', '/2015-03-31/functions/my-fn:$LATEST/invocations'],
    [
      'the SDK-encoded form of "my-fn:$LATEST"',
      '/2015-03-31/functions/my-fn%3A%24LATEST/invocations',
    ],
    [
      'an ARN with encoded colons',
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations',
    ],
    ['an encoded space', '/2015-03-31/functions/my%20fn/invocations'],
    ['a trailing slash', '/2015-03-31/functions/'],
  ])('accepts a path with %s, signed as the SDK signs it', async (_case, path) => {
    const request = await signRequest({ method: 'POST', path, body: INVOKE_BODY });
    await expect(verifySigV4(request, lookupSecret, NOW)).resolves.toMatchObject({
      accessKeyId: ACCESS_KEY_ID,
    });
  });

  // The canonical form is where a hand-written verifier could drift from AWS's:
  // each of these is signed by the SDK's signer and must verify here.
  it.each([
    ['a non-ASCII path segment', { path: '/2015-03-31/functions/caf%C3%A9/invocations' }],
    [
      "RFC 3986's reserved !'()* in the path",
      { path: "/2015-03-31/functions/it's(a)*test*!/invocations" },
    ],
    ['dot segments in the path', { path: '/2015-03-31/functions/./other/../my-fn/invocations' }],
    [
      'reserved, non-ASCII and empty query values',
      { path: '/2015-03-31/functions/', query: { q: "it's (a) *test*!", ünï: 'çödé', empty: '' } },
    ],
    ['a repeated query name', { path: '/2015-03-31/functions/', query: { tag: ['b', 'a', 'a'] } }],
    [
      'a signed header with runs of spaces inside',
      { path: '/2015-03-31/functions/', extraHeaders: { 'x-amz-meta-note': 'a   b \t c' } },
    ],
    [
      'a session token',
      { path: '/2015-03-31/functions/', sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+/=' },
    ],
  ])('accepts %s, signed as the SDK signs it', async (_case, options: SignOptions) => {
    const request = await signRequest({ method: 'POST', body: INVOKE_BODY, ...options });
    await expect(verifySigV4(request, lookupSecret, NOW)).resolves.toMatchObject({
      accessKeyId: ACCESS_KEY_ID,
    });
    // Verified, not waved through: one more query parameter and it no longer matches.
    const mutated = new URLSearchParams(request.query);
    mutated.append('x', '1');
    expect(
      await readErrorCode(verifySigV4({ ...request, query: mutated }, lookupSecret, NOW)),
    ).toBe('SignatureDoesNotMatch');
  });

  it('accepts a request signed a little in the future, within the allowed skew', async () => {
    const request = await signRequest({
      path: '/2015-03-31/functions/',
      signingDate: new Date(NOW.getTime() + MAX_CLOCK_SKEW_MS - 60_000),
    });
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe('verified');
  });

  it('refuses a request signed with the wrong secret', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
      secret: 'not-the-secret',
    });
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('refuses a body changed after signing', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
    });
    const tampered = {
      ...request,
      body: new TextEncoder().encode(INVOKE_BODY.replace('world', 'there')),
    };
    expect(await readErrorCode(verifySigV4(tampered, lookupSecret, NOW))).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('refuses a path or query changed after signing', async () => {
    const request = await signRequest({
      path: '/2015-03-31/functions/',
      query: { MaxItems: '10' },
    });
    expect(
      await readErrorCode(
        verifySigV4({ ...request, path: '/2015-03-31/functions/other' }, lookupSecret, NOW),
      ),
    ).toBe('SignatureDoesNotMatch');
    expect(
      await readErrorCode(
        verifySigV4({ ...request, query: new URLSearchParams('MaxItems=11') }, lookupSecret, NOW),
      ),
    ).toBe('SignatureDoesNotMatch');
  });

  it('refuses an UNSIGNED-PAYLOAD body hash', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
    });
    request.headers.set('x-amz-content-sha256', 'UNSIGNED-PAYLOAD');
    await expect(verifySigV4(request, lookupSecret, NOW)).rejects.toThrow(/UNSIGNED-PAYLOAD/);
  });

  it('refuses an unknown access key id', async () => {
    const request = await signRequest({
      path: '/2015-03-31/functions/',
      accessKeyId: 'AKIDUNKNOWN',
    });
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe(
      'InvalidClientTokenId',
    );
  });

  it('refuses a request without an Authorization header', async () => {
    const request = await signRequest({ path: '/2015-03-31/functions/' });
    request.headers.delete('authorization');
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe(
      'MissingAuthenticationToken',
    );
  });

  it.each([
    ['another scheme', 'Bearer abc.def'],
    ['SigV2', 'AWS AKIDEXAMPLE:c2lnbmF0dXJl'],
    ['no fields', 'AWS4-HMAC-SHA256'],
    [
      'a truncated credential',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1, SignedHeaders=host;x-amz-date, Signature=' +
        'a'.repeat(64),
    ],
    [
      'a short signature',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    ],
    [
      'upper-case signed headers',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/lambda/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=' +
        'a'.repeat(64),
    ],
  ])('refuses a malformed Authorization header: %s', async (_case, header) => {
    const request = await signRequest({ path: '/2015-03-31/functions/' });
    request.headers.set('authorization', header);
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe(
      'IncompleteSignature',
    );
  });

  it('refuses a signature that does not cover the Host header', async () => {
    const request = await signRequest({
      path: '/2015-03-31/functions/',
      unsignableHeaders: new Set(['host']),
    });
    expect(request.headers.get('authorization')).not.toMatch(/SignedHeaders=[^,]*host/);
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe(
      'IncompleteSignature',
    );
  });

  it('refuses a request without X-Amz-Date or Date', async () => {
    const request = await signRequest({ path: '/2015-03-31/functions/' });
    request.headers.delete('x-amz-date');
    await expect(verifySigV4(request, lookupSecret, NOW)).rejects.toThrow(/X-Amz-Date/);
  });

  it('refuses a credential scope dated another day than X-Amz-Date', async () => {
    const request = await signRequest({ path: '/2015-03-31/functions/' });
    request.headers.set('x-amz-date', '20261201T120000Z');
    expect(
      await readErrorCode(verifySigV4(request, lookupSecret, new Date('2026-12-01T12:00:00Z'))),
    ).toBe('SignatureDoesNotMatch');
  });

  it('refuses a request signed 20 minutes ago', async () => {
    const request = await signRequest({
      path: '/2015-03-31/functions/',
      signingDate: new Date(NOW.getTime() - 20 * 60 * 1000),
    });
    expect(await readErrorCode(verifySigV4(request, lookupSecret, NOW))).toBe('RequestExpired');
  });
});

describe('verifySigV4Head', () => {
  const withoutBody = ({ body: _body, ...head }: SignedRequest) => head;

  it('proves the signature before the body when the body hash was signed, then checks the body', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
    });
    const pending = await verifySigV4Head(withoutBody(request), lookupSecret, NOW);
    expect(pending.signatureVerified).toBe(true);
    expect(() => pending.verifyBody(request.body)).not.toThrow();
    expect(() => pending.verifyBody(new TextEncoder().encode('{"swapped":1}'))).toThrow(
      SignatureError,
    );
  });

  it('refuses a forged signature before any body is read', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
      secret: 'not-the-secret',
    });
    expect(await readErrorCode(verifySigV4Head(withoutBody(request), lookupSecret, NOW))).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('leaves the signature to the body when no hash was declared', async () => {
    const request = await signRequest({
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      body: INVOKE_BODY,
      applyChecksum: false,
      secret: 'not-the-secret',
    });
    const pending = await verifySigV4Head(withoutBody(request), lookupSecret, NOW);
    expect(pending.signatureVerified).toBe(false);
    expect(() => pending.verifyBody(request.body)).toThrow(/signature does not match/);
  });

  it('refuses an unknown key, and a declared hash that is not one, without a body', async () => {
    const unknown = await signRequest({
      path: '/2015-03-31/functions/',
      accessKeyId: 'AKIDUNKNOWN',
    });
    expect(await readErrorCode(verifySigV4Head(withoutBody(unknown), lookupSecret, NOW))).toBe(
      'InvalidClientTokenId',
    );
    const request = await signRequest({ path: '/2015-03-31/functions/' });
    request.headers.set('x-amz-content-sha256', 'not-a-hash');
    expect(await readErrorCode(verifySigV4Head(withoutBody(request), lookupSecret, NOW))).toBe(
      'SignatureDoesNotMatch',
    );
  });
});
