// Secret Tokens: JWTs signed with the tenant's key (kid in the header, tenant bound in aud, unique jti).
// The token itself is never stored, only its metadata, so a revocation is a row, checked on every request.
import type { Database } from "bun:sqlite";
import { changesOf, EpochCache } from "../db/change-watch";
import { noSuchTenant, whileTenantExists } from "../db/tenant-gone";
import { SignJWT } from "jose";
import { TOKEN_ALG, TOKEN_ISSUER, type TenantKeys, tenantAudience, verifyTenantJwt } from "./tenant-keys";

export { TOKEN_ISSUER, tenantAudience };


export interface TokenInfo {
  jti: string;
  kid: string;
  description: string | null;
  created: string;
  expires: string | null;
  revoked: string | null;
  lastUsed: string | null;
  /** When the token's signing key was (or, in a rotation's overlap, will be) retired: from then on it fails. */
  keyRetired: string | null;
}

interface VerifiedClaims {
  tenantId: string;
  jti: string;
  kid: string;
  exp?: number;
}

interface StatusRow {
  revoked: string | null;
  expires: string | null;
  retired: string | null;
}

// RFC 6750 §2.1 b64token; anything else is malformed before any crypto runs.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
export const MAX_TOKEN_LENGTH = 4096;
const VERIFIED_CACHE_SIZE = 10_000;
const LAST_USED_EVERY_MS = 60_000;

/** Bounds of an expiring Secret Token's lifetime: a minute, and a century (beyond it no date can be written). */
export const MIN_TOKEN_LIFETIME_SECONDS = 60;
export const MAX_TOKEN_LIFETIME_SECONDS = 100 * 365 * 86_400;
export const isTokenLifetime = (seconds: number) => seconds >= MIN_TOKEN_LIFETIME_SECONDS && seconds <= MAX_TOKEN_LIFETIME_SECONDS;

export class TokenService {
  // Signature checks are cached per exact token string; revocation and key state are read fresh every time.
  private verified = new Map<string, VerifiedClaims>();
  private lastUsedWritten = new Map<string, number>();

  // Revocation and key state, exact because the cache empties whenever anything may have changed them.
  private statuses: EpochCache<StatusRow | null>;

  constructor(
    private db: Database,
    private keys: TenantKeys,
  ) {
    this.statuses = new EpochCache(changesOf(db));
  }

  async issue(tenantId: string, opts: { expiresInSeconds?: number; description?: string; now?: Date } = {}) {
    const life = opts.expiresInSeconds;
    if (life !== undefined && !isTokenLifetime(life)) {
      throw new RangeError(`a token's lifetime must be from ${MIN_TOKEN_LIFETIME_SECONDS} to ${MAX_TOKEN_LIFETIME_SECONDS} seconds`);
    }
    const now = opts.now ?? new Date();
    const key = await this.keys.current(tenantId);
    if (!key) {
      // A tenant always has a current key (it is stored with the tenant and with each rotation): none means
      // the tenant was deleted, maybe while this request was on its way here.
      if (!this.db.query("SELECT 1 FROM tenants WHERE id = $id").get({ id: tenantId })) throw noSuchTenant(tenantId);
      throw new Error(`tenant ${tenantId} has no active signing key`);
    }
    const jti = crypto.randomUUID();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = opts.expiresInSeconds ? iat + opts.expiresInSeconds : undefined;
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: "JWT" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(tenantId))
      .setJti(jti)
      .setIssuedAt(iat);
    if (exp) jwt.setExpirationTime(exp);
    const token = await jwt.sign(key.privateKey);
    whileTenantExists(tenantId, () =>
      this.db
        .query(
          "INSERT INTO tokens (tenant_id, jti, kid, description, created, expires) VALUES ($tenant, $jti, $kid, $description, $created, $expires)",
        )
        .run({
          tenant: tenantId,
          jti,
          kid: key.kid,
          description: opts.description ?? null,
          created: now.toISOString(),
          expires: exp ? new Date(exp * 1000).toISOString() : null,
        }),
    );
    return { jti, token, expires: exp ? new Date(exp * 1000).toISOString() : null };
  }

  list(tenantId: string): TokenInfo[] {
    return this.db
      .query(
        `SELECT t.jti, t.kid, t.description, t.created, t.expires, t.revoked, t.last_used AS lastUsed, k.retired AS keyRetired
         FROM tokens t LEFT JOIN signing_keys k ON k.tenant_id = t.tenant_id AND k.kid = t.kid
         WHERE t.tenant_id = $tenant ORDER BY t.created, t.rowid`,
      )
      .all({ tenant: tenantId }) as TokenInfo[];
  }

  /** Returns false when no such token exists for this tenant. */
  revoke(tenantId: string, jti: string, now = new Date()): boolean {
    const changes = this.db
      .query("UPDATE tokens SET revoked = coalesce(revoked, $now) WHERE tenant_id = $tenant AND jti = $jti")
      .run({ tenant: tenantId, jti, now: now.toISOString() }).changes;
    changesOf(this.db).bump();
    return changes > 0;
  }

  /** The tenant's claims if the token is valid for exactly this tenant; undefined for every kind of failure. */
  async verify(tenantId: string, token: string, now = new Date()): Promise<VerifiedClaims | undefined> {
    if (token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) return undefined;
    const claims = this.verified.get(token) ?? (await this.verifySignature(tenantId, token, now));
    return claims && this.check(tenantId, claims, now);
  }

  /**
   * verify's answer for a token whose signature was checked before, without a promise (Entra sends the same
   * token for weeks: this is nearly every request); null when the token was not seen, or not as a Secret Token.
   */
  verifyKnown(tenantId: string, token: string, now = new Date()): VerifiedClaims | undefined | null {
    const claims = this.verified.get(token);
    return claims ? this.check(tenantId, claims, now) : null;
  }

  /** Tenant, expiry, revocation and key retirement: checked on every request, the signature only once. */
  private check(tenantId: string, claims: VerifiedClaims, now: Date): VerifiedClaims | undefined {
    if (claims.tenantId !== tenantId) return undefined;
    if (claims.exp !== undefined && claims.exp * 1000 <= now.getTime()) return undefined;
    const status = this.statuses.get(`${tenantId}/${claims.jti}/${claims.kid}`, () =>
      this.db
        .query(
          `SELECT t.revoked, t.expires, k.retired FROM tokens t
           JOIN signing_keys k ON k.tenant_id = t.tenant_id AND k.kid = t.kid
           WHERE t.tenant_id = $tenant AND t.jti = $jti AND t.kid = $kid`,
        )
        .get({ tenant: tenantId, jti: claims.jti, kid: claims.kid }) as StatusRow | null,
    );
    if (!status || status.revoked) return undefined;
    if (status.retired && status.retired <= now.toISOString()) return undefined;
    this.touch(tenantId, claims.jti, now);
    return claims;
  }

  private async verifySignature(tenantId: string, token: string, now: Date): Promise<VerifiedClaims | undefined> {
    // Secret Tokens carry typ JWT; an OAuth access token (at+jwt) must not pass for one. One without expiry
    // has no age limit, but none can have lived longer than the longest lifetime a token can be given.
    const verified = await verifyTenantJwt(this.keys, tenantId, token, {
      typ: "JWT",
      requiredClaims: ["jti", "iat"],
      maxTokenAgeSeconds: MAX_TOKEN_LIFETIME_SECONDS,
      currentDate: now,
    });
    if (!verified) return undefined;
    const claims: VerifiedClaims = { tenantId, jti: verified.payload.jti as string, kid: verified.kid, exp: verified.payload.exp };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }

  private touch(tenantId: string, jti: string, now: Date) {
    const last = this.lastUsedWritten.get(jti) ?? 0;
    if (now.getTime() - last < LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(jti, now.getTime());
    this.db
      .query("UPDATE tokens SET last_used = $now WHERE tenant_id = $tenant AND jti = $jti")
      .run({ tenant: tenantId, jti, now: now.toISOString() });
  }
}
