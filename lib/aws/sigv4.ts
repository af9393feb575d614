import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// AWS Signature Version 4, checked on the receiving side.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// Computed here rather than through @smithy/signature-v4, a signer that rewrites the request
// and answers only asynchronously; its tests sign with it instead, as an oracle
// (docs/decisions/006-sigv4-verified-here-smithy-as-oracle.md).

/** Maximum clock skew accepted between X-Amz-Date and now, as AWS does (15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The only signing algorithm accepted: SigV4 with HMAC-SHA256 (not SigV4a, not SigV2). */
const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** The last element of every SigV4 credential scope. */
const SCOPE_TERMINATOR = 'aws4_request';

/** The payload-hash header value that leaves the body unsigned. */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A request as received, with everything the signature covers. */
export interface SignedRequest {
  /** The HTTP method, e.g. "POST". */
  method: string;
  /** The raw URL path as received (still percent-encoded), e.g. "/2015-03-31/functions/my-fn/invocations". */
  path: string;
  /** The query string. */
  query: URLSearchParams;
  /** The request headers (WHATWG Headers: lower-case names, repeated headers joined with ", "). */
  headers: Headers;
  /** The raw body bytes. */
  body: Uint8Array;
}

/** Who signed a request, read from its credential scope. */
export interface VerifiedCaller {
  accessKeyId: string;
  region: string;
  service: string;
}

/** Why a signature was refused; `code` is the error code AWS answers with in the same case. */
export type SignatureErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'RequestExpired';

/** A request whose SigV4 signature is missing, malformed, stale or wrong. */
export class SignatureError extends Error {
  override name = 'SignatureError';
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface ParsedAuthorization {
  accessKeyId: string;
  /** yyyymmdd */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** What a request carries before its body: the method, path, query and headers. */
export type SignedRequestHead = Omit<SignedRequest, 'body'>;

/**
 * A request whose Authorization header, signing time and access key have been
 * checked, and whose body has not been read yet. `verifyBody` finishes the check
 * once the body is in.
 */
export interface PendingSignature {
  caller: VerifiedCaller;
  /**
   * Whether the signature itself is already proven: true when the client declared
   * the body's hash in a signed x-amz-content-sha256 header (the AWS SDKs do), so
   * only the hash of the body remains to be compared.
   */
  signatureVerified: boolean;
  /** Throws SignatureError unless the body is the one that was signed. */
  verifyBody(body: Uint8Array): void;
}

/**
 * Verifies the Authorization header (AWS4-HMAC-SHA256 only). lookupSecret returns the
 * secret access key for an access key id, or undefined when unknown.
 */
export async function verifySigV4(
  request: SignedRequest,
  lookupSecret: (accessKeyId: string) => Promise<string | undefined>,
  now: Date = new Date(),
): Promise<VerifiedCaller> {
  const pending = await verifySigV4Head(request, lookupSecret, now);
  pending.verifyBody(request.body);
  return pending.caller;
}

/**
 * Checks everything a signature can prove without the body, so that a server
 * can refuse an unsigned, stale or forged request before it reads a byte of it:
 * the header's form, the signing time, the access key, and — when the client
 * signed the body's hash in x-amz-content-sha256 — the signature itself.
 */
export async function verifySigV4Head(
  request: SignedRequestHead,
  lookupSecret: (accessKeyId: string) => Promise<string | undefined>,
  now: Date = new Date(),
): Promise<PendingSignature> {
  const authorization = request.headers.get('authorization');
  if (authorization === null || authorization.trim() === '') {
    throw new SignatureError(
      'MissingAuthenticationToken',
      'The request is not signed: send an "Authorization: AWS4-HMAC-SHA256 …" header, as the AWS SDKs and CLI do when they have credentials.',
    );
  }
  const auth = parseAuthorization(authorization);
  if (!auth.signedHeaders.includes('host')) {
    throw new SignatureError(
      'IncompleteSignature',
      'The Host header must be signed: add "host" to SignedHeaders.',
    );
  }

  const requestTime = readRequestTime(request.headers);
  const timestamp = formatAmzDate(requestTime);
  if (timestamp.slice(0, 8) !== auth.scopeDate) {
    throw new SignatureError(
      'SignatureDoesNotMatch',
      `The date in the credential scope (${auth.scopeDate}) is not the day of the request (${timestamp}): sign with the same date as X-Amz-Date.`,
    );
  }
  const skew = Math.abs(now.getTime() - requestTime.getTime());
  if (skew > MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      'RequestExpired',
      `The request was signed at ${timestamp}, more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes from the server's time (${formatAmzDate(now)}): check your clock and send it again.`,
    );
  }
  const declaredHash = readDeclaredPayloadHash(request.headers);

  const secret = await lookupSecret(auth.accessKeyId);
  if (secret === undefined) {
    throw new SignatureError(
      'InvalidClientTokenId',
      `The access key id "${auth.accessKeyId}" is not known here: use the access key shown in your course workspace.`,
    );
  }

  const caller = { accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service };
  const verifySignature = (payloadHash: string) => {
    const canonicalRequest = [
      request.method.toUpperCase(),
      createCanonicalUri(request.path),
      createCanonicalQuery(request.query),
      createCanonicalHeaders(request.headers, auth.signedHeaders),
      auth.signedHeaders.join(';'),
      payloadHash,
    ].join('\n');
    const scope = [auth.scopeDate, auth.region, auth.service, SCOPE_TERMINATOR].join('/');
    const stringToSign = [SIGV4_ALGORITHM, timestamp, scope, hashHex(canonicalRequest)].join('\n');
    const signingKey = deriveSigningKey(secret, auth.scopeDate, auth.region, auth.service);
    const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
    // Signature was checked to be 64 hex digits, so both buffers are 32 bytes long.
    if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
      throw new SignatureError(
        'SignatureDoesNotMatch',
        'The request signature does not match: check the secret access key, and that nothing changed the request after it was signed.',
      );
    }
  };

  if (declaredHash === undefined) {
    return {
      caller,
      signatureVerified: false,
      verifyBody: (body) => verifySignature(hashHex(body)),
    };
  }
  // The declared hash is part of the canonical request, so the signature can be proven now.
  verifySignature(declaredHash);
  return {
    caller,
    signatureVerified: true,
    verifyBody: (body) => {
      if (hashHex(body) !== declaredHash.toLowerCase()) {
        throw new SignatureError(
          'SignatureDoesNotMatch',
          "The x-amz-content-sha256 header is not the body's SHA-256: the body changed after it was signed, send it again unchanged.",
        );
      }
    },
  };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex` */
function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new SignatureError(
      'IncompleteSignature',
      `Unsupported authorization scheme "${algorithm.slice(0, 40)}": sign requests with Signature Version 4 (${SIGV4_ALGORITHM}).`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new SignatureError(
      'IncompleteSignature',
      'The Authorization header must contain Credential=, SignedHeaders= and Signature=, separated by commas.',
    );
  }

  const [accessKeyId, scopeDate, region, service, terminator, ...extra] = credential.split('/');
  if (
    !accessKeyId ||
    !scopeDate ||
    !region ||
    !service ||
    terminator !== SCOPE_TERMINATOR ||
    extra.length > 0
  ) {
    throw new SignatureError(
      'IncompleteSignature',
      `Credential must be "<access key id>/<yyyymmdd>/<region>/<service>/${SCOPE_TERMINATOR}".`,
    );
  }
  if (!/^\d{8}$/.test(scopeDate)) {
    throw new SignatureError(
      'IncompleteSignature',
      `The credential scope date "${scopeDate}" must be yyyymmdd.`,
    );
  }
  // Header names are tokens (RFC 9110); SigV4 lists them lower-case, separated by ";".
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+(;[!#$%&'*+.^_`|~0-9a-z-]+)*$/.test(signedHeaders)) {
    throw new SignatureError(
      'IncompleteSignature',
      'SignedHeaders must list lower-case header names separated by ";", e.g. "host;x-amz-date".',
    );
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw new SignatureError(
      'IncompleteSignature',
      'Signature must be 64 lower-case hexadecimal digits.',
    );
  }
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/** The signing time: X-Amz-Date (yyyymmddThhmmssZ), or else the HTTP Date header. */
function readRequestTime(headers: Headers): Date {
  const amzDate = headers.get('x-amz-date');
  if (amzDate !== null) {
    const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate.trim());
    const time = match
      ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`)
      : undefined;
    // The round trip also refuses days that do not exist, such as 20260231.
    if (!match || !time || Number.isNaN(time.getTime()) || formatAmzDate(time) !== amzDate.trim()) {
      throw new SignatureError(
        'IncompleteSignature',
        `X-Amz-Date "${amzDate.slice(0, 40)}" must be an ISO 8601 basic UTC time, e.g. 20261130T120000Z.`,
      );
    }
    return time;
  }
  const date = headers.get('date');
  if (date !== null) {
    const time = new Date(date);
    if (Number.isNaN(time.getTime())) {
      throw new SignatureError(
        'IncompleteSignature',
        `The Date header "${date.slice(0, 40)}" is not an HTTP date.`,
      );
    }
    return time;
  }
  throw new SignatureError(
    'IncompleteSignature',
    'A signed request needs an X-Amz-Date (or Date) header with the signing time.',
  );
}

/** ISO 8601 basic format, as in X-Amz-Date: 20261130T120000Z. */
function formatAmzDate(time: Date): string {
  return time
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * The body's SHA-256 as the client declared it in X-Amz-Content-SHA256 (hex, as
 * sent, since the signature covers it so), or undefined when it left the header out and the body must be hashed.
 */
function readDeclaredPayloadHash(headers: Headers): string | undefined {
  const declared = headers.get('x-amz-content-sha256');
  if (declared === null) return undefined;
  if (declared === UNSIGNED_PAYLOAD) {
    // Accepting it would leave the body (a function's event or code) unauthenticated.
    throw new SignatureError(
      'SignatureDoesNotMatch',
      `This endpoint does not accept ${UNSIGNED_PAYLOAD}: sign the body, or leave out the x-amz-content-sha256 header.`,
    );
  }
  if (!/^[0-9a-f]{64}$/i.test(declared)) {
    throw new SignatureError(
      'SignatureDoesNotMatch',
      "The x-amz-content-sha256 header must be the body's SHA-256 in hexadecimal.",
    );
  }
  return declared;
}

/**
 * The path normalised (empty, "." and ".." segments resolved) and then percent-encoded
 * once more, as AWS SDKs do for every service but S3: the path on the wire is already
 * encoded, so "my-fn%3A1" is signed as "my-fn%253A1".
 */
function createCanonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeRfc3986(segment));
  }
  const trailingSlash = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailingSlash}`;
}

/** Parameters sorted by encoded name, then encoded value, each side RFC 3986-encoded. */
function createCanonicalQuery(query: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of query) pairs.push([encodeRfc3986(name), encodeRfc3986(value)]);
  pairs.sort(
    ([nameA, valueA], [nameB, valueB]) =>
      compareStrings(nameA, nameB) || compareStrings(valueA, valueB),
  );
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** `name:value\n` for each signed header, values trimmed with inner whitespace runs collapsed. */
function createCanonicalHeaders(headers: Headers, signedHeaders: readonly string[]): string {
  let canonical = '';
  for (const name of signedHeaders) {
    const value = headers.get(name);
    if (value === null) {
      throw new SignatureError(
        'SignatureDoesNotMatch',
        `The header "${name}" is listed in SignedHeaders but missing from the request: send every header that was signed.`,
      );
    }
    canonical += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  return canonical;
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  let key = createHmac('sha256', `AWS4${secret}`).update(date, 'utf8').digest();
  for (const part of [region, service, SCOPE_TERMINATOR])
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  return key;
}

function hashHex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Percent-encodes every byte of the UTF-8 form except the unreserved A-Z a-z 0-9 - _ . ~ */
function encodeRfc3986(value: string): string {
  // encodeURIComponent also leaves ! ' ( ) * alone; RFC 3986 reserves them.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Byte order, which SigV4 sorts by (encoded strings are ASCII, so code units are bytes). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
