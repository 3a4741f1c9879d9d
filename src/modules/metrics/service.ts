// /metrics content: request metrics kept in memory, directory sizes counted at scrape time.
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import type { RequestLog } from "../log/service";
import { Exposition, sample } from "./exposition";
import { RequestMetrics } from "./request-metrics";

type CountRow = { tenant: string; n: number };

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

  private perTenant(tenants: string[], sql: string): string[][] {
    const counts = new Map((this.db.query(sql).all() as CountRow[]).map((r) => [r.tenant, r.n]));
    return tenants.map((t) => [t, String(counts.get(t) ?? 0)]);
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
    const gauge = (name: string, rows: string[][]) => rows.map(([tenant = "", n = "0"]) => sample(name, { tenant }, Number(n)));
    const { page_count } = this.db.query("PRAGMA page_count").get() as { page_count: number };
    const { page_size } = this.db.query("PRAGMA page_size").get() as { page_size: number };
    return new Exposition()
      .family("scimd_build_info", "gauge", "Always 1; the version is a label.", [sample("scimd_build_info", { version: this.version }, 1)])
      .family("scimd_scim_requests_total", "counter", "SCIM requests answered, by tenant, operation kind and status class.",
        this.requests.requestSamples("scimd_scim_requests_total"))
      .family("scimd_scim_request_duration_seconds", "histogram", "Time to answer a SCIM request, by tenant and operation kind.",
        this.requests.latencySamples("scimd_scim_request_duration_seconds"))
      .family("scimd_tenants", "gauge", "Tenants.", [sample("scimd_tenants", {}, tenants.length)])
      .family("scimd_users", "gauge", "Users per tenant.",
        gauge("scimd_users", this.perTenant(tenants, "SELECT tenant_id AS tenant, count(*) AS n FROM users GROUP BY tenant_id")))
      .family("scimd_groups", "gauge", "Groups per tenant.",
        gauge("scimd_groups", this.perTenant(tenants, "SELECT tenant_id AS tenant, count(*) AS n FROM groups GROUP BY tenant_id")))
      .family("scimd_group_memberships", "gauge", "Group memberships per tenant.",
        gauge("scimd_group_memberships",
          this.perTenant(tenants, "SELECT tenant_id AS tenant, count(*) AS n FROM group_members GROUP BY tenant_id")))
      .family("scimd_database_bytes", "gauge", "Size of the database file (page_count * page_size).",
        [sample("scimd_database_bytes", {}, page_count * page_size)])
      .family("scimd_database_wal_bytes", "gauge", "Size of the write-ahead log file.", [sample("scimd_database_wal_bytes", {}, this.walBytes())])
      .family("scimd_process_resident_memory_bytes", "gauge", "Resident set size of the process.",
        [sample("scimd_process_resident_memory_bytes", {}, process.memoryUsage.rss())])
      .family("scimd_request_log_buffered_entries", "gauge", "Log entries waiting to be written.",
        [sample("scimd_request_log_buffered_entries", {}, this.log.writer.buffered)])
      .family("scimd_request_log_unattributed_total", "counter", "SCIM requests for tenant ids that do not exist (not logged).",
        [sample("scimd_request_log_unattributed_total", {}, this.log.writer.unattributed)])
      .family("scimd_request_log_lost_total", "counter", "Log entries given up (database unwritable too long, or after shutdown).",
        [sample("scimd_request_log_lost_total", {}, this.log.writer.lost)])
      .toString();
  }
}
