import type { Database } from "bun:sqlite";
import { changesOf } from "../../db/change-watch";
import { whileTenantExists } from "../../db/tenant-gone";
import { inOneWrite } from "../../db/transactions";
import type { TenantKeys } from "../../auth/tenant-keys";
import type { TokenService } from "../../auth/tokens";

export interface Tenant {
  id: string;
  name: string;
  created: string;
}

export interface TenantCounts {
  users: number;
  groups: number;
}

/** How long tokens of a rotated-out key may keep working: a rotation is for a leaked key, so not for long. */
export const MAX_KEY_OVERLAP_SECONDS = 30 * 86_400;
export const isKeyOverlap = (seconds: number) => Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_KEY_OVERLAP_SECONDS;

export class TenantService {
  constructor(
    private db: Database,
    private keys: TenantKeys,
    private tokens: TokenService,
  ) {}

  /** Creates the tenant, its first signing key and its first Secret Token (shown once). */
  async create(name: string, now = new Date()): Promise<{ tenant: Tenant; token: string; jti: string }> {
    const tenant: Tenant = { id: crypto.randomUUID(), name, created: now.toISOString() };
    const key = await this.keys.generate();
    inOneWrite(this.db, () => {
      this.db.query("INSERT INTO tenants (id, name, created) VALUES ($id, $name, $created)").run({ ...tenant });
      this.keys.store(tenant.id, key, now);
    });
    const { token, jti } = await this.tokens.issue(tenant.id, { description: "created with the tenant", now });
    return { tenant, token, jti };
  }

  list(): Tenant[] {
    return this.db.query("SELECT id, name, created FROM tenants ORDER BY created, rowid").all() as Tenant[];
  }

  get(id: string): Tenant | undefined {
    return (this.db.query("SELECT id, name, created FROM tenants WHERE id = $id").get({ id }) as Tenant | null) ?? undefined;
  }

  counts(id: string): TenantCounts {
    const users = this.db.query("SELECT count(*) AS n FROM users WHERE tenant_id = $id").get({ id }) as { n: number };
    const groups = this.db.query("SELECT count(*) AS n FROM groups WHERE tenant_id = $id").get({ id }) as { n: number };
    return { users: users.n, groups: groups.n };
  }

  /** Deletes the tenant and, through ON DELETE CASCADE, every row that belongs to it. */
  delete(id: string): boolean {
    const deleted = this.db.transaction(() => {
      this.db.query("DELETE FROM group_members WHERE tenant_id = $id").run({ id });
      return this.db.query("DELETE FROM tenants WHERE id = $id").run({ id }).changes > 0;
    })();
    changesOf(this.db).bump();
    return deleted;
  }

  /**
   * New signing key; the previous ones are retired after `overlapSeconds` (0 = at once), and tokens signed
   * with them stop working then. Returns the new kid.
   */
  async rotateKey(id: string, overlapSeconds = 0, now = new Date()): Promise<string> {
    if (!isKeyOverlap(overlapSeconds)) throw new RangeError(`a key rotation's overlap must be from 0 to ${MAX_KEY_OVERLAP_SECONDS} seconds`);
    const retireAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
    // Made first, stored in the write that retires the old keys: a token asked for meanwhile always has a key.
    const key = await this.keys.generate();
    whileTenantExists(id, () =>
      inOneWrite(this.db, () => {
        this.db
          .query("UPDATE signing_keys SET retired = $at WHERE tenant_id = $id AND (retired IS NULL OR retired > $at)")
          .run({ id, at: retireAt });
        this.keys.store(id, key, now);
      }),
    );
    changesOf(this.db).bump();
    return key.kid;
  }
}
