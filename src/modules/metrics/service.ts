// /metrics content: request metrics kept in memory, directory sizes counted at scrape time.
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import type { RequestLog } from "../log/service";
import { Exposition, sample } from "./exposition";
import { RequestMetrics } from "./request-metrics";

// One GROUP BY each over the tenant_id-first indexes, whatever the number of tenants.
const PER_TENANT = {
  scimd_users: ["Users per tenant.", "SELECT tenant_id AS tenant, count(*) AS n FROM users GROUP BY tenant_id"],
  scimd_groups: ["Groups per tenant.", "SELECT tenant_id AS tenant, count(*) AS n FROM groups GROUP BY tenant_id"],
  scimd_group_memberships: [
    "Group memberships per tenant.",
    "SELECT tenant_id AS tenant, count(*) AS n FROM group_members GROUP BY tenant_id",
  ],
} as const;

export class Metrics {
  readonly requests = new RequestMetrics();

  constructor(
    private readonly db: Database,
    private readonly log: RequestLog,
    private readonly version: string,
    /** Serve /metrics without the admin token (SCIMD_METRICS_PUBLIC=1). */
    public isPublic: boolean,
  ) {
    log.writer.onStored((entries) => this.requests.observe(entries));
  }

  private perTenant(name: string, tenants: string[], sql: string): string[] {
    const counts = new Map((this.db.query(sql).all() as { tenant: string; n: number }[]).map((r) => [r.tenant, r.n]));
    return tenants.map((tenant) => sample(name, { tenant }, counts.get(tenant) ?? 0));
  }

  private walBytes(): number {
    const file = this.db.filename;
    if (!file || file === ":memory:") return 0;
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  }

  render(): string {
    this.log.writer.flush();
    const tenants = (this.db.query("SELECT id FROM tenants ORDER BY id").all() as { id: string }[]).map((r) => r.id);
    this.requests.retainTenants(new Set(tenants));
    const { page_count } = this.db.query("PRAGMA page_count").get() as { page_count: number };
    const { page_size } = this.db.query("PRAGMA page_size").get() as { page_size: number };
    const out = new Exposition();
    const one = (name: string, type: "gauge" | "counter", help: string, value: number, labels = {}) =>
      out.family(name, type, help, [sample(name, labels, value)]);
    one("scimd_build_info", "gauge", "Always 1; the version is a label.", 1, { version: this.version });
    out.family(
      "scimd_scim_requests_total",
      "counter",
      "SCIM requests answered, by tenant, operation kind and status class.",
      this.requests.requestSamples("scimd_scim_requests_total"),
    );
    out.family(
      "scimd_scim_request_duration_seconds",
      "histogram",
      "Time to answer a SCIM request, by tenant and operation kind.",
      this.requests.latencySamples("scimd_scim_request_duration_seconds"),
    );
    one("scimd_tenants", "gauge", "Tenants.", tenants.length);
    for (const [name, [help, sql]] of Object.entries(PER_TENANT)) {
      out.family(name, "gauge", help, this.perTenant(name, tenants, sql));
    }
    one("scimd_database_bytes", "gauge", "Size of the database file (page_count * page_size).", page_count * page_size);
    one("scimd_database_wal_bytes", "gauge", "Size of the write-ahead log file.", this.walBytes());
    one("scimd_process_resident_memory_bytes", "gauge", "Resident set size of the process.", process.memoryUsage.rss());
    const w = this.log.writer;
    one("scimd_request_log_buffered_entries", "gauge", "Log entries waiting to be written.", w.buffered);
    const unattributed = "SCIM requests for tenant ids that do not exist (not logged).";
    one("scimd_request_log_unattributed_total", "counter", unattributed, w.unattributed);
    const lost = "Log entries given up (database unwritable too long, or after shutdown).";
    one("scimd_request_log_lost_total", "counter", lost, w.lost);
    const unlogged = "Refused SCIM requests past a tenant's SCIMD_LOG_REFUSALS, counted in a summary entry instead of one each.";
    one("scimd_request_log_refusals_unlogged_total", "counter", unlogged, this.log.refusals.unloggedTotal);
    return out.toString();
  }
}
