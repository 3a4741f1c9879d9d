// Per-tenant token buckets, in memory: no database write per request, and each tenant has its own bucket,
// so one noisy tenant never slows another.
/** A token bucket's fill, as of `updated` (ms). */
export interface BucketFill {
  tokens: number;
  updated: number;
}

interface Bucket extends BucketFill {
  perSecond: number;
}

/** Adds the tokens earned at `perSecond` since the bucket was last updated, up to `capacity`. */
export function refill(bucket: BucketFill, capacity: number, perSecond: number, nowMs: number): void {
  bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, nowMs - bucket.updated) / 1000) * perSecond);
  bucket.updated = nowMs;
}

/** Seconds until a bucket holding `tokens` has one again. RFC 9110 §10.2.3: whole seconds; never 0, read as "retry now". */
export const secondsUntilToken = (tokens: number, perSecond: number) => Math.max(1, Math.ceil((1 - tokens) / perSecond));

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export const BURST_FACTOR = 2;

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  /** Takes one token from `key`'s bucket, refilled at `perSecond` up to twice that. 0 = no limit. */
  take(key: string, perSecond: number, nowMs = Date.now()): RateDecision {
    if (perSecond <= 0) return { ok: true };
    const capacity = perSecond * BURST_FACTOR;
    let bucket = this.buckets.get(key);
    // A new limit (set through the admin API or the CLI) starts with a full bucket.
    if (!bucket || bucket.perSecond !== perSecond) bucket = { perSecond, tokens: capacity, updated: nowMs };
    refill(bucket, capacity, perSecond, nowMs);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: secondsUntilToken(bucket.tokens, perSecond) };
  }
}
