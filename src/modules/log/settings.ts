// Per-tenant log settings. The recorder asks on every request, so the answer comes from memory; the admin
// API is the only writer and keeps the copy current.
import type { Database } from "bun:sqlite";
import type { LogSettings } from "./model";

export class LogSettingsStore {
  private readonly capturing = new Set<string>();

  constructor(private readonly db: Database) {
    const rows = db.query("SELECT tenant_id AS id FROM log_settings WHERE capture_bodies = 1").all() as { id: string }[];
    for (const row of rows) this.capturing.add(row.id);
  }

  /** Whether any tenant captures bodies: while none does, a request need not say which tenant it is for. */
  capturesAny(): boolean {
    return this.capturing.size > 0;
  }

  capturesBodies(tenantId: string): boolean {
    return this.capturing.size > 0 && this.capturing.has(tenantId);
  }

  get(tenantId: string): LogSettings {
    const row = this.db.query("SELECT capture_bodies AS c FROM log_settings WHERE tenant_id = $tenantId").get({ tenantId }) as
      | { c: number }
      | null;
    return { captureBodies: row?.c === 1 };
  }

  set(tenantId: string, settings: LogSettings): LogSettings {
    this.db
      .query(
        `INSERT INTO log_settings (tenant_id, capture_bodies) VALUES ($tenantId, $capture)
         ON CONFLICT (tenant_id) DO UPDATE SET capture_bodies = excluded.capture_bodies`,
      )
      .run({ tenantId, capture: settings.captureBodies ? 1 : 0 });
    if (settings.captureBodies) this.capturing.add(tenantId);
    else this.capturing.delete(tenantId);
    return this.get(tenantId);
  }
}
