// OAuth 2.0 access tokens from the client credentials grant: short-lived JWTs in the RFC 9068 profile
// (`typ: at+jwt`, so a Secret Token can never pass for one and vice versa), signed with the tenant's key.
// They are not rows in `tokens`; key retirement, client deletion and secret rotation are checked per request.
import type { Database } from "bun:sqlite";
import { SignJWT } from "jose";
import { BoundedMap } from "./bounded-map";
import { TOKEN_ALG, TOKEN_ISSUER, type TenantKeys, tenantAudience, verifyTenantJwt } from "./tenant-keys";

export const ACCESS_TOKEN_TYP = "at+jwt";
export const OAUTH_SCOPE = "scim";

interface AccessClaims {
  tenantId: string;
  clientId: string;
  kid: string;
  iat: number;
  exp: number;
}

interface StateRow {
  retired: string | null;
  client: string | null;
  rotated: string | null;
}

export class AccessTokens {
  private verified = new BoundedMap<string, AccessClaims>(10_000);

  constructor(
    private db: Database,
    private keys: TenantKeys,
    readonly ttlSeconds: number,
  ) {}

  async issue(tenantId: string, clientId: string, now = new Date()): Promise<{ token: string; expiresIn: number }> {
    const key = await this.keys.current(tenantId);
    if (!key) throw new Error(`tenant ${tenantId} has no active signing key`);
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ client_id: clientId, scope: OAUTH_SCOPE })
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
        `SELECT k.retired, c.client_id AS client, c.secret_rotated AS rotated
         FROM signing_keys k LEFT JOIN oauth_clients c ON c.tenant_id = k.tenant_id AND c.client_id = $client
         WHERE k.tenant_id = $tenant AND k.kid = $kid`,
      )
      .get({ tenant: tenantId, kid: claims.kid, client: claims.clientId }) as StateRow | null;
    if (!state || !state.client) return false;
    if (state.retired && state.retired <= now.toISOString()) return false;
    // iat has whole seconds: a token from the second of the rotation survives it, one from before does not.
    if (state.rotated && claims.iat < Math.floor(Date.parse(state.rotated) / 1000)) return false;
    return true;
  }

  private async verifySignature(tenantId: string, token: string, now: Date): Promise<AccessClaims | undefined> {
    const verified = await verifyTenantJwt(this.keys, tenantId, token, {
      typ: ACCESS_TOKEN_TYP,
      requiredClaims: ["exp", "iat", "jti", "client_id"],
      currentDate: now,
    });
    if (!verified) return undefined;
    const { payload } = verified;
    if (typeof payload.client_id !== "string" || payload.exp === undefined || payload.iat === undefined) return undefined;
    const claims: AccessClaims = { tenantId, clientId: payload.client_id, kid: verified.kid, iat: payload.iat, exp: payload.exp };
    this.verified.set(token, claims);
    return claims;
  }
}
