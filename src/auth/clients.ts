// OAuth 2.0 clients of a tenant (RFC 6749 §2.3.1, client credentials grant §4.4). The secret is shown once;
// only its SHA-256 is kept (sealed under the master key when set). A 256-bit random secret needs no slow hash.
import type { Database } from "bun:sqlite";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { whileTenantExists } from "../db/tenant-gone";
import { BoundedMap } from "./bounded-map";
import type { KeyVault } from "./key-vault";

export interface ClientInfo {
  clientId: string;
  description: string | null;
  created: string;
  secretRotated: string | null;
  lastUsed: string | null;
}

interface SecretRow {
  secret_hash: string;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest();
// Compared against when the client does not exist, so an unknown id costs the same as a wrong secret.
const NO_SUCH_CLIENT = sha256(randomBytes(32).toString("hex"));

export const newClientSecret = () => `scimd_cs_${randomBytes(32).toString("base64url")}`;

/**
 * Which secret a client has now: a short hash of its stored (hashed, maybe sealed) secret, which changes with
 * every rotation. Access tokens carry the one they were minted under, so a rotation ends them at once.
 */
export const secretGeneration = (storedSecret: string) => createHash("sha256").update(storedSecret).digest("base64url").slice(0, 16);

export class OAuthClients {
  private hashes = new BoundedMap<string, Buffer>(10_000);

  constructor(
    private db: Database,
    private vault: KeyVault,
  ) {}

  async create(tenantId: string, opts: { description?: string; now?: Date } = {}) {
    const now = (opts.now ?? new Date()).toISOString();
    const clientId = crypto.randomUUID();
    const clientSecret = newClientSecret();
    const hash = await this.seal(clientSecret);
    whileTenantExists(tenantId, () =>
      this.db
        .query(
          `INSERT INTO oauth_clients (tenant_id, client_id, secret_hash, description, created)
           VALUES ($tenant, $client, $hash, $description, $created)`,
        )
        .run({ tenant: tenantId, client: clientId, hash, description: opts.description ?? null, created: now }),
    );
    return { clientId, clientSecret, description: opts.description ?? null, created: now };
  }

  list(tenantId: string): ClientInfo[] {
    return this.db
      .query(
        `SELECT client_id AS clientId, description, created, secret_rotated AS secretRotated, last_used AS lastUsed
         FROM oauth_clients WHERE tenant_id = $tenant ORDER BY created, rowid`,
      )
      .all({ tenant: tenantId }) as ClientInfo[];
  }

  /** Access tokens of a deleted client stop working on the next request. */
  delete(tenantId: string, clientId: string): boolean {
    return this.db.query("DELETE FROM oauth_clients WHERE tenant_id = $tenant AND client_id = $client").run({ tenant: tenantId, client: clientId })
      .changes > 0;
  }

  /** The new secret, or undefined when there is no such client. Access tokens minted with the old one stop working. */
  async rotateSecret(tenantId: string, clientId: string, now = new Date()): Promise<string | undefined> {
    const clientSecret = newClientSecret();
    const changes = this.db
      .query("UPDATE oauth_clients SET secret_hash = $hash, secret_rotated = $now WHERE tenant_id = $tenant AND client_id = $client")
      .run({ tenant: tenantId, client: clientId, hash: await this.seal(clientSecret), now: now.toISOString() }).changes;
    return changes > 0 ? clientSecret : undefined;
  }

  /**
   * Constant-time check of a client's secret; records the use on success and returns the secret's generation,
   * read with the secret it was checked against (so a rotation in between cannot lend the old secret the new one's).
   */
  async authenticate(tenantId: string, clientId: string, secret: string, now = new Date()): Promise<string | undefined> {
    const row = this.db
      .query("SELECT secret_hash FROM oauth_clients WHERE tenant_id = $tenant AND client_id = $client")
      .get({ tenant: tenantId, client: clientId }) as SecretRow | null;
    const expected = row ? await this.hashOf(row.secret_hash) : NO_SUCH_CLIENT;
    const match = timingSafeEqual(sha256(secret), expected);
    if (!row || !match) return undefined;
    this.db
      .query("UPDATE oauth_clients SET last_used = $now WHERE tenant_id = $tenant AND client_id = $client")
      .run({ tenant: tenantId, client: clientId, now: now.toISOString() });
    return secretGeneration(row.secret_hash);
  }

  private seal(secret: string): Promise<string> {
    return this.vault.seal(JSON.stringify({ sha256: sha256(secret).toString("hex") }));
  }

  private async hashOf(stored: string): Promise<Buffer> {
    const hit = this.hashes.get(stored);
    if (hit) return hit;
    const { sha256: hex } = JSON.parse(await this.vault.open(stored)) as { sha256: string };
    const hash = Buffer.from(hex, "hex");
    this.hashes.set(stored, hash);
    return hash;
  }
}
