/** How many keys a limiter remembers by default; past it the least recently seen is forgotten. */
export const DEFAULT_MAX_RATE_LIMIT_KEYS = 10_000;

/** Expired buckets dropped per call, so forgetting keeps pace with new keys at O(1) each. */
const EXPIRED_SWEEP_PER_CALL = 2;

export interface RateLimitOptions {
  /** Requests per second a key may sustain: tokens added to its bucket each second. */
  ratePerSecond: number;
  /** Requests a key may send at once: the bucket's size, full for a key not seen before. */
  burst: number;
  /**
   * Keys remembered at once. A key past this evicts the least recently seen one,
   * so a caller rotating keys (addresses, access keys) cannot grow the map.
   * @default DEFAULT_MAX_RATE_LIMIT_KEYS
   */
  maxKeys?: number;
  /** The clock, in milliseconds; tests pass their own. @default Date.now */
  now?: () => number;
}

/** Whether one request may go ahead, and if not, when its caller may try again. */
export type RateLimitDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** Whole seconds until the bucket holds a token again. */ retryAfterSeconds: number;
    };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets keyed by caller (a client address, a workspace). Memory stays
 * bounded: at most maxKeys buckets, kept in least-recently-seen order, and a
 * bucket that has refilled is dropped, since a full bucket and a missing one
 * mean the same thing.
 */
export class RateLimiter {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxKeys: number;
  private readonly now: () => number;
  /** Insertion order is recency order: a key seen again is moved to the end. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError(
        `A rate limit needs ratePerSecond > 0 and burst >= 1 (got ${options.ratePerSecond} and ${options.burst}).`,
      );
    }
    this.ratePerSecond = options.ratePerSecond;
    this.burst = options.burst;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_RATE_LIMIT_KEYS;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token from key's bucket, or says how long until one is there. */
  take(key: string): RateLimitDecision {
    const now = this.now();
    this.forgetExpired(now);
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.refill(bucket, now) : this.burst;
    if (bucket) this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, updatedAt: now });
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.ratePerSecond)),
      };
    }
    this.buckets.set(key, { tokens: tokens - 1, updatedAt: now });
    while (this.buckets.size > this.maxKeys) this.forgetOldest();
    return { allowed: true };
  }

  /** Keys remembered now (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): number {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    return Math.min(this.burst, bucket.tokens + elapsedSeconds * this.ratePerSecond);
  }

  /**
   * Drops refilled buckets from the least recently seen end, stopping at the first
   * one still refilling: cheap, and maxKeys bounds the map whatever it leaves.
   */
  private forgetExpired(now: number): void {
    for (let i = 0; i < EXPIRED_SWEEP_PER_CALL; i++) {
      const oldest = this.buckets.entries().next();
      if (oldest.done) return;
      const [key, bucket] = oldest.value;
      if (this.refill(bucket, now) < this.burst) return;
      this.buckets.delete(key);
    }
  }

  private forgetOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
