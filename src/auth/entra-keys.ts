// One Entra directory's signing keys (its JWKS), through jose's remote key set, which caches them and refetches
// at most once per cooldown for unknown kids. What jose does not do: survive a JWKS that cannot be fetched.
// Then the keys fetched last keep verifying (Microsoft rolls them over weeks, not minutes), and the fetch is not
// retried before the cooldown ends, so an outage neither refuses every token nor makes each request wait on it.
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from "jose";

/** The JWKS could not be fetched and none was fetched before: no token can be checked, right or wrong. */
export class EntraKeysUnavailable extends Error {}

type KeyLookup = ReturnType<typeof createLocalJWKSet>;

export class EntraKeySet {
  private remote: ReturnType<typeof createRemoteJWKSet>;
  private failedAt = Number.NEGATIVE_INFINITY;
  private last: { jwks: unknown; lookup: KeyLookup } | undefined;

  constructor(
    uri: string,
    private readonly cooldownMs = 30_000,
  ) {
    this.remote = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000, cooldownDuration: cooldownMs, cacheMaxAge: 10 * 60_000 });
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (Date.now() - this.failedAt < this.cooldownMs) return this.lastFetched()(header, token);
    try {
      return await this.remote(header, token);
    } catch (error) {
      // The keys were fetched and none fits: the token's fault, not the JWKS's.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      this.failedAt = Date.now();
      return this.lastFetched()(header, token);
    }
  };

  /** jose keeps the last JWKS it fetched when a refetch fails. */
  private lastFetched(): KeyLookup {
    const jwks = this.remote.jwks();
    if (!jwks) throw new EntraKeysUnavailable();
    if (this.last?.jwks !== jwks) this.last = { jwks, lookup: createLocalJWKSet(jwks) };
    return this.last.lookup;
  }
}
