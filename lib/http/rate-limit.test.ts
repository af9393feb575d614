import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('lets a burst through, refuses the next request with a wait, and recovers at the rate', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 5, now: time.now });
    for (let i = 0; i < 5; i++) expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });

    time.advance(499);
    expect(limiter.take('a').allowed).toBe(false);
    time.advance(1);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps each key to its own bucket', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, now: time.now });
    expect(limiter.take('flooder').allowed).toBe(true);
    expect(limiter.take('flooder').allowed).toBe(false);
    expect(limiter.take('someone else').allowed).toBe(true);
  });

  it('says how many whole seconds a slow rate needs', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 0.1, burst: 1, now: time.now });
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('remembers at most maxKeys callers however many keys an attacker rotates through', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 10, maxKeys: 100, now: time.now });
    for (let i = 0; i < 10_000; i++) limiter.take(`key-${i}`);
    expect(limiter.size).toBe(100);
  });

  it('forgets callers whose buckets have refilled', () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 10, now: time.now });
    for (let i = 0; i < 50; i++) limiter.take(`key-${i}`);
    time.advance(1_000);
    for (let i = 0; i < 50; i++) limiter.take('steady');
    expect(limiter.size).toBe(1);
  });

  it('refuses a configuration that would let nothing through', () => {
    expect(() => new RateLimiter({ ratePerSecond: 0, burst: 10 })).toThrow(RangeError);
    expect(() => new RateLimiter({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
