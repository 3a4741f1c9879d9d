// Failed client authentications at the token endpoint, per tenant, client address and client_id: past a burst,
// further attempts are refused before any secret is checked, until the bucket refills. Keyed by client_id too, so
// a stranger guessing ids, even from the same proxy address, never drains the real client's bucket; and it
// refills by itself, so no one can lock a client out for longer than they keep failing at its pace.
import { type BucketFill, refill, secondsUntilToken } from "../http/rate-limit";

export const FAILED_ATTEMPTS_BURST = 10;
export const FAILED_ATTEMPTS_PER_MINUTE = 10;
/** Keys kept at once; past it the oldest goes (a flood of new keys forgets old ones, never the current one). */
const MAX_KEYS = 10_000;

export class FailedAttempts {
  private buckets = new Map<string, BucketFill>();

  constructor(
    private readonly burst = FAILED_ATTEMPTS_BURST,
    private readonly perMinute = FAILED_ATTEMPTS_PER_MINUTE,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may now. */
  retryAfter(key: string, nowMs = Date.now()): number {
    const bucket = this.refilled(key, nowMs);
    if (!bucket || bucket.tokens >= 1) return 0;
    return secondsUntilToken(bucket.tokens, this.perMinute / 60);
  }

  fail(key: string, nowMs = Date.now()): void {
    const bucket = this.refilled(key, nowMs) ?? { tokens: this.burst, updated: nowMs };
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    this.buckets.delete(key);
    if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value as string);
    this.buckets.set(key, bucket);
  }

  private refilled(key: string, nowMs: number): BucketFill | undefined {
    const bucket = this.buckets.get(key);
    if (bucket) refill(bucket, this.burst, this.perMinute / 60, nowMs);
    return bucket;
  }
}
