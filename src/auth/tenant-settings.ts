// Per-tenant settings: rate limit override and opt-in Entra token trust. Read on every request through a
// cache that empties whenever anything may have changed them (the CLI in another process included), so a
// change applies to the server's next request.
import type { Database } from "bun:sqlite";
import { changesOf, EpochCache } from "../db/change-watch";
import type { EntraConfig } from "./entra";

export interface TenantSettingsValue {
  /** Requests per second; null = SCIMD_RATE_LIMIT; 0 = no limit. */
  rateLimit: number | null;
  entra: EntraConfig | null;
}

export interface TenantSettingsPatch {
  rateLimit?: number | null;
  entra?: EntraConfig | null;
}

interface Row {
  rate_limit: number | null;
  entra: string | null;
}

export class TenantSettings {
  private cache: EpochCache<TenantSettingsValue>;

  constructor(private db: Database) {
    this.cache = new EpochCache(changesOf(db));
  }

  get(tenantId: string): TenantSettingsValue {
    return this.cache.get(tenantId, () => {
      const row = this.db.query("SELECT rate_limit, entra FROM tenant_settings WHERE tenant_id = $tenant").get({ tenant: tenantId }) as Row | null;
      return {
        rateLimit: row?.rate_limit ?? null,
        entra: row?.entra ? (JSON.parse(row.entra) as EntraConfig) : null,
      };
    });
  }

  /** Only the keys present in the patch change. */
  update(tenantId: string, patch: TenantSettingsPatch): TenantSettingsValue {
    const current = this.get(tenantId);
    const next: TenantSettingsValue = {
      rateLimit: patch.rateLimit === undefined ? current.rateLimit : patch.rateLimit,
      entra: patch.entra === undefined ? current.entra : patch.entra,
    };
    this.db
      .query(
        `INSERT INTO tenant_settings (tenant_id, rate_limit, entra) VALUES ($tenant, $rate, $entra)
         ON CONFLICT (tenant_id) DO UPDATE SET rate_limit = excluded.rate_limit, entra = excluded.entra`,
      )
      .run({ tenant: tenantId, rate: next.rateLimit, entra: next.entra ? JSON.stringify(next.entra) : null });
    changesOf(this.db).bump();
    return next;
  }
}
