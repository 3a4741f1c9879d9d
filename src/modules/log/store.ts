// SQL of the provisioning log. Statements are prepared once; filters are fixed SQL fragments with parameters.
import type { Database, Statement } from "bun:sqlite";
import { inOneWrite } from "../../db/transactions";
import { foldSql } from "../../scim/filter/sql-fold";
import { nameKey } from "../../store/name-key";
import type { PendingEntry, StoredEntry } from "./entry";
import type { LogQuery } from "./model";

const COLUMNS = `id, tenant_id AS tenantId, time, request_id AS requestId, method, path, operation,
  resource_type AS resourceType, resource_id AS resourceId, resource_name AS resourceName, status,
  scim_type AS scimType, detail, duration_ms AS durationMs, client_ip AS clientIp, user_agent AS userAgent`;
const BODIES = "request_headers AS requestHeaders, request_body AS requestBody, response_body AS responseBody";

type Params = Record<string, string | number | null>;

export interface WindowCounts {
  requests: number;
  failures: number;
  authFailures: number;
  throttled: number;
  clientErrors: number;
}

export interface Cursor {
  time: number;
  id: number;
}

/**
 * Newest first by (time, id), resuming after `cursor`; or, with `after`, the entries stored after that id,
 * oldest first. Resource, outcome and operation filters are checked on the rows the walk meets.
 */
export function listQuery(q: LogQuery, cursor: Cursor | undefined, limit: number): { sql: string; params: Params } {
  const where: string[] = [];
  const params: Params = { limit };
  const add = (sql: string, values: Params = {}) => (where.push(sql), Object.assign(params, values));
  // Polling (`after`) walks the primary key from that id; the tenant index would sort all the tenant's rows.
  if (q.tenant) add(q.after !== undefined ? "+tenant_id = $tenant" : "tenant_id = $tenant", { tenant: q.tenant });
  if (q.from) add("time >= $from", { from: Date.parse(q.from) });
  if (q.to) add("time < $to", { to: Date.parse(q.to) });
  if (q.outcome) add(q.outcome === "failure" ? "status >= 400" : "status < 400");
  if (q.operation) add("operation = $operation", { operation: q.operation });
  if (q.resource) {
    // Folded when searched, not when stored: a stored key column cost every request ~2.5 µs (bench/side-by-side).
    add(`(resource_id = $resource OR ${foldSql("resource_name")} = $resourceKey)`, { resource: q.resource, resourceKey: nameKey(q.resource) });
  }
  if (q.after !== undefined) add("id > $after", { after: q.after });
  else if (cursor) add("(time < $ct OR (time = $ct AND id < $cid))", { ct: cursor.time, cid: cursor.id });
  const order = q.after !== undefined ? "id ASC" : "time DESC, id DESC";
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  return { sql: `SELECT ${COLUMNS} FROM request_log ${filter} ORDER BY ${order} LIMIT $limit`, params };
}

// Many rows per INSERT: a statement run costs about as much as a row, and a batch is written in one go.
const ROWS_PER_INSERT = 50;
const ROW = `(${Array(18).fill("?").join(", ")})`;
const insertRows = (n: number) =>
  `INSERT INTO request_log (tenant_id, time, request_id, method, path, operation, resource_type, resource_id,
     resource_name, status, scim_type, detail, duration_ms, client_ip, user_agent,
     request_headers, request_body, response_body)
   VALUES ${Array(n).fill(ROW).join(", ")}`;

type Value = string | number | null;
/** An entry as the values of its row, in the order of the INSERT's columns. */
export type Row = Value[];

export const rowOf = (e: PendingEntry): Row => [
  e.tenantId, e.time, e.requestId, e.method, e.path, e.operation, e.resourceType, e.resourceId, e.resourceName,
  e.status, e.scimType, e.detail, e.durationMs, e.clientIp, e.userAgent, e.requestHeaders, e.requestBody, e.responseBody,
];

type Text = string | null;
const storedEntry = (r: Row, id: number): StoredEntry => ({
  id, tenantId: r[0] as string, time: r[1] as number, requestId: r[2] as string, method: r[3] as string,
  path: r[4] as string, operation: r[5] as PendingEntry["operation"], resourceType: r[6] as Text,
  resourceId: r[7] as Text, resourceName: r[8] as Text, status: r[9] as number, scimType: r[10] as Text,
  detail: r[11] as Text, durationMs: r[12] as number, clientIp: r[13] as Text, userAgent: r[14] as Text,
  requestHeaders: r[15] as Text, requestBody: r[16] as Text, responseBody: r[17] as Text,
});

export class LogStore {
  private readonly insert: Statement;
  private readonly insertMany: Statement;
  private readonly tenantExists: Statement;
  private readonly byId: Statement;
  private readonly names: Record<string, Statement>;

  constructor(private readonly db: Database) {
    // Positional: binding 18 named parameters costs more than the insert itself.
    this.insert = db.query(insertRows(1));
    this.insertMany = db.query(insertRows(ROWS_PER_INSERT));
    this.tenantExists = db.query("SELECT 1 AS found FROM tenants WHERE id = $id");
    this.byId = db.query(`SELECT ${COLUMNS}, ${BODIES} FROM request_log WHERE id = $id`);
    this.names = {
      User: db.query("SELECT user_name AS name FROM users WHERE tenant_id = $tenant AND id = $id"),
      Group: db.query("SELECT display_name AS name FROM groups WHERE tenant_id = $tenant AND id = $id"),
    };
  }

  /**
   * One transaction per batch; returns the entries that were stored, with their ids. Rows of tenant ids that
   * do not exist are never stored: a stranger's URL cannot create rows.
   */
  insertRows(batch: Row[]): StoredEntry[] {
    const exists = new Map<string, boolean>();
    const known = (tenantId: string) => {
      let found = exists.get(tenantId);
      if (found === undefined) exists.set(tenantId, (found = this.tenantExists.get({ id: tenantId }) !== null));
      return found;
    };
    const rows = batch.filter((r) => known(r[0] as string));
    const ids: number[] = [];
    inOneWrite(this.db, () => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
        const { lastInsertRowid } = this.insertMany.run(...(rows.slice(i, i + ROWS_PER_INSERT).flat() as Value[]));
        // The rows of one INSERT take consecutive ids: each is one more than the largest ever given (AUTOINCREMENT),
        // and no other writer can come in between while this transaction holds the write lock.
        const first = Number(lastInsertRowid) - ROWS_PER_INSERT + 1;
        for (let k = 0; k < ROWS_PER_INSERT; k++) ids.push(first + k);
      }
      for (; i < rows.length; i++) ids.push(Number(this.insert.run(...(rows[i] as Value[])).lastInsertRowid));
    });
    return rows.map((r, k) => storedEntry(r, ids[k] as number));
  }

  /** The current name of a resource, for log entries that only carry its id. */
  nameOf(tenant: string, resourceType: string, id: string): string | null {
    const row = this.names[resourceType]?.get({ tenant, id }) as { name: string } | null | undefined;
    return row?.name ?? null;
  }

  get(id: number): StoredEntry | undefined {
    return (this.byId.get({ id }) as StoredEntry | null) ?? undefined;
  }

  list(q: LogQuery, cursor: Cursor | undefined, limit: number): StoredEntry[] {
    const { sql, params } = listQuery(q, cursor, limit);
    return this.db.query(sql).all(params) as StoredEntry[];
  }

  stats(tenant: string | undefined, bucketMs: number, from: number, to: number) {
    const sql = `SELECT (time / $size) * $size AS start, coalesce(sum(status < 400), 0) AS successes,
        coalesce(sum(status >= 400), 0) AS failures
      FROM request_log WHERE ${tenant ? "tenant_id = $tenant AND " : ""}time >= $from AND time < $to
      GROUP BY 1 ORDER BY 1`;
    const params: Params = { size: bucketMs, from, to };
    if (tenant) params.tenant = tenant;
    return this.db.query(sql).all(params) as { start: number; successes: number; failures: number }[];
  }

  /** Counts for the health page; `timeoutMs`: an answer that slow counts as a timeout. */
  window(tenant: string, since: number, timeoutMs: number): WindowCounts {
    const sql = `SELECT count(*) AS requests,
        coalesce(sum(status >= 500 OR duration_ms >= $timeoutMs), 0) AS failures,
        coalesce(sum(status IN (401, 403)), 0) AS authFailures,
        coalesce(sum(status = 429 AND duration_ms < $timeoutMs), 0) AS throttled,
        coalesce(sum(status >= 400 AND status < 500 AND status NOT IN (401, 403, 429) AND duration_ms < $timeoutMs), 0)
          AS clientErrors
      FROM request_log WHERE tenant_id = $tenant AND time >= $since`;
    return this.db.query(sql).get({ tenant, since, timeoutMs }) as WindowCounts;
  }

  lastRequest(tenant: string): number | null {
    const row = this.db.query("SELECT max(time) AS t FROM request_log WHERE tenant_id = $tenant").get({ tenant });
    return (row as { t: number | null }).t;
  }

  lastTestConnection(tenant: string): { time: number; status: number } | null {
    const sql = `SELECT time, status FROM request_log WHERE tenant_id = $tenant AND operation = 'test_connection'
      ORDER BY time DESC LIMIT 1`;
    return this.db.query(sql).get({ tenant }) as { time: number; status: number } | null;
  }
}
