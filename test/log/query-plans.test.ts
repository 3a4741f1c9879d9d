// The log holds up to a million rows: its reads must walk an index in order, never sort or scan the table.
import { describe, expect, test } from "bun:test";
import { migrate } from "../../src/db/migrate";
import { openDatabase } from "../../src/db/open";
import type { LogQuery } from "../../src/modules/log/model";
import { DELETE_OLDER_CHUNK, DELETE_TENANT_UP_TO_CHUNK, NEXT_LOGGED_TENANT, NTH_OLDER_ENTRY } from "../../src/modules/log/prune";
import { listQuery } from "../../src/modules/log/store";

const db = openDatabase(":memory:");
migrate(db);
const plan = (sql: string, params: Record<string, string | number | null> = {}) =>
  (db.query(`EXPLAIN QUERY PLAN ${sql}`).all(params as never) as { detail: string }[]).map((r) => r.detail).join(" | ");
const list = (q: LogQuery, cursor?: { time: number; id: number }) => {
  const { sql, params } = listQuery(q, cursor, 100);
  return plan(sql, params);
};

describe("query plans", () => {
  test.each([
    ["a tenant's newest entries", { tenant: "t" }, undefined],
    ["a tenant's next page", { tenant: "t" }, { time: 5, id: 3 }],
    ["a tenant's failures in a time range", { tenant: "t", outcome: "failure", from: "2030-01-01T00:00:00Z" }, undefined],
    ["every tenant's newest entries", {}, undefined],
    ["every tenant's next page", {}, { time: 5, id: 3 }],
  ] as [string, LogQuery, { time: number; id: number } | undefined][])("%s: an index in order, no sort", (_name, q, cursor) => {
    const p = list(q, cursor);
    expect(p).toMatch(/USING (COVERING )?INDEX request_log_(tenant_)?time/);
    expect(p).not.toContain("TEMP B-TREE");
  });

  test("polling a tenant with `after` walks the primary key from that id", () => {
    expect(list({ tenant: "t", after: 10 })).toBe("SEARCH request_log USING INTEGER PRIMARY KEY (rowid>?)");
  });

  test("retention by age walks the time index, oldest first", () => {
    const p = plan(DELETE_OLDER_CHUNK, { since: 5, chunk: 5000 });
    expect(p).toContain("COVERING INDEX request_log_time (time<?)");
    expect(p).not.toContain("SCAN");
    expect(p).not.toContain("TEMP B-TREE");
  });

  test("retention by count, per tenant: one index seek per tenant, then that tenant's index range only", () => {
    const noScanNoSort = (p: string) => {
      expect(p).not.toContain("SCAN");
      expect(p).not.toContain("TEMP B-TREE");
    };
    const next = plan(NEXT_LOGGED_TENANT, { after: "t" });
    expect(next).toBe("SEARCH request_log USING COVERING INDEX request_log_tenant_time (tenant_id>?)");
    const edge = plan(NTH_OLDER_ENTRY, { tenant: "t", time: 5, id: 3, skip: 1000 });
    expect(edge).toBe("SEARCH request_log USING COVERING INDEX request_log_tenant_time (tenant_id=? AND time<?)");
    const chunk = plan(DELETE_TENANT_UP_TO_CHUNK, { tenant: "t", time: 5, id: 3, chunk: 5000 });
    expect(chunk).toContain("COVERING INDEX request_log_tenant_time (tenant_id=? AND time<?)");
    for (const p of [next, edge, chunk]) noScanNoSort(p);
  });

  test("health and stats counts read the covering index only", () => {
    const window = "SELECT count(*), sum(status >= 500 OR duration_ms >= 1) FROM request_log WHERE tenant_id = 't' AND time >= 5";
    expect(plan(window)).toContain("COVERING INDEX request_log_tenant_time (tenant_id=? AND time>?)");
    expect(plan("SELECT max(time) FROM request_log WHERE tenant_id = 't'")).toContain("COVERING INDEX");
    expect(plan("SELECT time FROM request_log WHERE tenant_id = 't' AND operation = 'test_connection' ORDER BY time DESC LIMIT 1"))
      .toContain("INDEX request_log_tenant_probe");
  });
});
