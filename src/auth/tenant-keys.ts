// Per-tenant ES256 signing keys, each with its own kid. Newest first; a retired key stops verifying.
import type { Database } from "bun:sqlite";
import { type CryptoKey, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify } from "jose";
import { issuedAtChecks } from "./clock-skew";
import type { KeyVault } from "./key-vault";

export const TOKEN_ALG = "ES256";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

interface KeyRow {
  kid: string;
  private_jwk: string;
  retired: string | null;
}

export interface NewKey {
  kid: string;
  /** The private JWK, sealed under the master key when one is set. */
  sealed: string;
}

export class TenantKeys {
  private cache = new Map<string, SigningKey>();

  constructor(
    private db: Database,
    private vault: KeyVault,
  ) {}

  /**
   * A key pair, sealed and not yet stored: made before anything is written, so that the write that retires a
   * tenant's keys (or creates the tenant) can store it too, and no request ever finds the tenant without a key.
   */
  async generate(): Promise<NewKey> {
    const { privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = crypto.randomUUID();
    return { kid, sealed: await this.vault.seal(JSON.stringify({ ...jwk, kid, alg: TOKEN_ALG })) };
  }

  store(tenantId: string, key: NewKey, now = new Date()): void {
    this.db
      .query("INSERT INTO signing_keys (tenant_id, kid, alg, private_jwk, created) VALUES ($tenant, $kid, $alg, $jwk, $created)")
      .run({ tenant: tenantId, kid: key.kid, alg: TOKEN_ALG, jwk: key.sealed, created: now.toISOString() });
  }

  /** The newest key that is not retired: new tokens are signed with it. */
  async current(tenantId: string): Promise<SigningKey | undefined> {
    const row = this.db
      .query("SELECT kid, private_jwk, retired FROM signing_keys WHERE tenant_id = $tenant AND retired IS NULL ORDER BY created DESC, rowid DESC LIMIT 1")
      .get({ tenant: tenantId }) as KeyRow | null;
    return row ? this.load(tenantId, row) : undefined;
  }

  /** A key by kid, for verification; whether it is retired yet is the caller's check, made on every request. */
  async find(tenantId: string, kid: string): Promise<SigningKey | undefined> {
    const row = this.db
      .query("SELECT kid, private_jwk, retired FROM signing_keys WHERE tenant_id = $tenant AND kid = $kid")
      .get({ tenant: tenantId, kid }) as KeyRow | null;
    return row ? this.load(tenantId, row) : undefined;
  }

  private async load(tenantId: string, row: KeyRow): Promise<SigningKey> {
    const cacheKey = `${tenantId}/${row.kid}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const jwk = JSON.parse(await this.vault.open(row.private_jwk)) as JWK;
    const { d: _d, ...publicJwk } = jwk;
    const key: SigningKey = {
      kid: row.kid,
      privateKey: (await importJWK(jwk, TOKEN_ALG)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, TOKEN_ALG)) as CryptoKey,
    };
    this.cache.set(cacheKey, key);
    return key;
  }
}

export const TOKEN_ISSUER = "scimd";
export const tenantAudience = (tenantId: string) => `urn:scimd:tenant:${tenantId}`;

/**
 * Verifies a JWT that scimd signed with one of the tenant's keys: algorithm, issuer, the tenant in the audience
 * and the `typ` of the token kind are pinned, and an `iat` in the future is refused. Undefined for every kind of failure.
 */
export async function verifyTenantJwt(
  keys: TenantKeys,
  tenantId: string,
  token: string,
  opts: { typ: string; requiredClaims: string[]; maxTokenAgeSeconds: number; currentDate?: Date },
): Promise<{ payload: JWTPayload; kid: string } | undefined> {
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== TOKEN_ALG || typeof header.kid !== "string") return undefined;
    const key = await keys.find(tenantId, header.kid);
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [TOKEN_ALG],
      typ: opts.typ,
      issuer: TOKEN_ISSUER,
      audience: tenantAudience(tenantId),
      requiredClaims: opts.requiredClaims,
      ...issuedAtChecks(opts.maxTokenAgeSeconds),
      currentDate: opts.currentDate,
    });
    return { payload, kid: header.kid };
  } catch {
    return undefined;
  }
}
