import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The cookie that carries the anonymous learner id. */
export const LEARNER_COOKIE = 'learner';
/** How long a learner cookie stays valid without a visit; each visit renews it. */
export const LEARNER_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

const LEARNER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A learner's anonymous identity, resolved from a request's cookie. */
export interface LearnerSession {
  learnerId: string;
  /** True when the request had no valid cookie and a new workspace was started. */
  isNew: boolean;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** `<learner id>.<expiry, seconds since epoch>.<HMAC-SHA256>` */
export function createLearnerToken(learnerId: string, secret: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + LEARNER_COOKIE_MAX_AGE_S;
  const payload = `${learnerId}.${expires}`;
  return `${payload}.${sign(payload, secret)}`;
}

/** The learner id in a token, or undefined when it is malformed, forged or expired. */
export function verifyLearnerToken(token: string, secret: string, now: Date): string | undefined {
  const [learnerId, expires, signature, ...rest] = token.split('.');
  if (!learnerId || !expires || !signature || rest.length > 0) return undefined;
  if (!LEARNER_ID.test(learnerId) || !/^\d{1,12}$/.test(expires)) return undefined;
  const expected = Buffer.from(sign(`${learnerId}.${expires}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (Number(expires) * 1000 <= now.getTime()) return undefined;
  return learnerId;
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The learner behind a request. A missing, malformed, forged or expired cookie
 * starts a fresh workspace rather than failing the request.
 */
export function resolveLearner(
  request: Request,
  secret: string,
  now: Date = new Date(),
): LearnerSession {
  const token = readCookie(request.headers.get('cookie'), LEARNER_COOKIE);
  const learnerId = token === undefined ? undefined : verifyLearnerToken(token, secret, now);
  return learnerId ? { learnerId, isNew: false } : { learnerId: randomUUID(), isNew: true };
}

/**
 * The Set-Cookie value that (re)issues the learner cookie. Renewed on every
 * response so an active learner never expires. `Secure` is added on HTTPS.
 */
export function learnerCookieHeader(
  learnerId: string,
  secret: string,
  request: Request,
  now: Date = new Date(),
): string {
  const secure =
    new URL(request.url).protocol === 'https:' ||
    request.headers.get('x-forwarded-proto') === 'https';
  return [
    `${LEARNER_COOKIE}=${createLearnerToken(learnerId, secret, now)}`,
    'Path=/',
    `Max-Age=${LEARNER_COOKIE_MAX_AGE_S}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
