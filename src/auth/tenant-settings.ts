// Per-tenant settings: rate limit override and opt-in Entra token trust. Read on every request through a
// cache that empties whenever anything may have changed them (the CLI in another process included), so a
// change applies to the server's next request.
import type { Database } from "bun:sqlite";
import { changesOf, EpochCache } from "../db/change-watch";
import { inOneWrite } from "../db/transactions";
import type { EntraConfig } from "./entra";

/**
 * Another tenant already trusts this directory's tokens for this audience. Nothing in an Entra token names a
 * scimd tenant (its audience is Entra's provisioning app, the same for every SCIM app), so trusting it twice
 * would let one tenant's provisioning job in at the other's Tenant URL.
 */
export class EntraTrustConflict extends Error {
  constructor(
    readonly entra: EntraConfig,
    readonly otherTenant: string,
  ) {
    super(
      `tenant ${otherTenant} already accepts Entra tokens of directory ${entra.tenantId} for audience ${entra.audience}: ` +
        "those tokens name no scimd tenant, so they would work at both Tenant URLs. Trust a directory in one tenant only; " +
        "give the other a Secret Token or an OAuth client",
    );
  }
}

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

  /** Only the keys present in the patch change. Throws EntraTrustConflict, changing nothing. */
  update(tenantId: string, patch: TenantSettingsPatch): TenantSettingsValue {
    const next = inOneWrite(this.db, () => {
      if (patch.entra) {
        const other = this.entraTrustedElsewhere(tenantId, patch.entra);
        if (other) throw new EntraTrustConflict(patch.entra, other);
      }
      const current = this.get(tenantId);
      const value: TenantSettingsValue = {
        rateLimit: patch.rateLimit === undefined ? current.rateLimit : patch.rateLimit,
        entra: patch.entra === undefined ? current.entra : patch.entra,
      };
      this.db
        .query(
          `INSERT INTO tenant_settings (tenant_id, rate_limit, entra) VALUES ($tenant, $rate, $entra)
           ON CONFLICT (tenant_id) DO UPDATE SET rate_limit = excluded.rate_limit, entra = excluded.entra`,
        )
        .run({ tenant: tenantId, rate: value.rateLimit, entra: value.entra ? JSON.stringify(value.entra) : null });
      return value;
    });
    changesOf(this.db).bump();
    return next;
  }

  /**
   * The tenant, other than this one, that trusts the same directory for the same audience. The issuer does not
   * tell them apart: one directory signs v1 and v2 tokens alike.
   */
  private entraTrustedElsewhere(tenantId: string, entra: EntraConfig): string | undefined {
    const row = this.db
      .query(
        `SELECT tenant_id FROM tenant_settings
         WHERE tenant_id <> $tenant AND lower(json_extract(entra, '$.tenantId')) = $tid
           AND json_extract(entra, '$.audience') = $audience
         LIMIT 1`,
      )
      .get({ tenant: tenantId, tid: entra.tenantId.toLowerCase(), audience: entra.audience }) as { tenant_id: string } | null;
    return row?.tenant_id;
  }
}
