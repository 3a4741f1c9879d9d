// OAuth 2.0 access tokens from the client credentials grant: short-lived JWTs in the RFC 9068 profile
// (`typ: at+jwt`, so a Secret Token can never pass for one and vice versa), signed with the tenant's key.
// They are not rows in `tokens`; key retirement, client deletion and secret rotation are checked per request.
import type { Database } from "bun:sqlite";
import { SignJWT } from "jose";
import { BoundedMap } from "./bounded-map";
import { secretGeneration } from "./clients";
import { TOKEN_ALG, TOKEN_ISSUER, type TenantKeys, tenantAudience, verifyTenantJwt } from "./tenant-keys";

export const ACCESS_TOKEN_TYP = "at+jwt";
export const OAUTH_SCOPE = "scim";
/** The claim naming the client secret a token was minted with (see secretGeneration). */
export const SECRET_GENERATION_CLAIM = "secret_gen";
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 86_400;

interface AccessClaims {
  tenantId: string;
  clientId: string;
  secretGeneration: string;
  kid: string;
  exp: number;
}

interface StateRow {
  retired: string | null;
  /** The client's stored secret; null when the client is gone. */
  secret: string | null;
}

export class AccessTokens {
  private verified = new BoundedMap<string, AccessClaims>(10_000);

  constructor(
    private db: Database,
    private keys: TenantKeys,
    readonly ttlSeconds: number,
  ) {}

  /**
   * `generation`: the secret the client authenticated with, as OAuthClients.authenticate returned it. Null when
   * the tenant has no signing key, which a live tenant always has: it was deleted since the client authenticated.
   */
  async issue(tenantId: string, clientId: string, generation: string, now = new Date()): Promise<{ token: string; expiresIn: number } | null> {
    const key = await this.keys.current(tenantId);
    if (!key) return null;
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ client_id: clientId, scope: OAUTH_SCOPE, [SECRET_GENERATION_CLAIM]: generation })
      .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(tenantAudience(tenantId))
      .setSubject(clientId)
      .setJti(crypto.randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(key.privateKey);
    return { token, expiresIn: this.ttlSeconds };
  }

  /** True when the token is a live access token of exactly this tenant. */
  async verify(tenantId: string, token: string, now = new Date()): Promise<boolean> {
    const claims = this.verified.get(token) ?? (await this.verifySignature(tenantId, token, now));
    if (!claims || claims.tenantId !== tenantId || claims.exp * 1000 <= now.getTime()) return false;
    const state = this.db
      .query(
        `SELECT k.retired, c.secret_hash AS secret
         FROM signing_keys k LEFT JOIN oauth_clients c ON c.tenant_id = k.tenant_id AND c.client_id = $client
         WHERE k.tenant_id = $tenant AND k.kid = $kid`,
      )
      .get({ tenant: tenantId, kid: claims.kid, client: claims.clientId }) as StateRow | null;
    if (!state || state.secret === null) return false;
    if (state.retired && state.retired <= now.toISOString()) return false;
    // Minted with a secret the client no longer has: rotated since, however recently.
    return secretGeneration(state.secret) === claims.secretGeneration;
  }

  private async verifySignature(tenantId: string, token: string, now: Date): Promise<AccessClaims | undefined> {
    const verified = await verifyTenantJwt(this.keys, tenantId, token, {
      typ: ACCESS_TOKEN_TYP,
      requiredClaims: ["exp", "iat", "jti", "client_id", SECRET_GENERATION_CLAIM],
      // The longest SCIMD_ACCESS_TOKEN_TTL (config.ts), not the current one: lowering it does not end tokens already out.
      maxTokenAgeSeconds: MAX_ACCESS_TOKEN_TTL_SECONDS,
      currentDate: now,
    });
    if (!verified) return undefined;
    const { payload } = verified;
    const generation = payload[SECRET_GENERATION_CLAIM];
    if (typeof payload.client_id !== "string" || typeof generation !== "string" || payload.exp === undefined) return undefined;
    const claims: AccessClaims = { tenantId, clientId: payload.client_id, secretGeneration: generation, kid: verified.kid, exp: payload.exp };
    this.verified.set(token, claims);
    return claims;
  }
}
