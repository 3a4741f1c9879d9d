// Retention: by age (SCIMD_LOG_RETENTION_DAYS) and by count per tenant (SCIMD_LOG_RETENTION_ROWS); 0 turns a
// limit off. The count is per tenant so that one tenant's traffic (even 401s at its URL) never evicts another's log.
// Runs in the background in small chunks, yielding between them, so SCIM writes never wait long for the lock.
import type { Database } from "bun:sqlite";

const CHUNK = 5_000;
const DAY_MS = 86_400_000;

export interface Retention {
  days: number;
  rows: number;
}

// By `time`, the start of the request, along the request_log_time index. Not by id: an entry's id is given when
// it is stored, so a slow request started long ago has a larger id than faster ones that started after it.
export const DELETE_OLDER_CHUNK =
  "DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE time < $since ORDER BY time LIMIT $chunk)";
// The count limit walks request_log_tenant_time: tenant by tenant (one index seek each), then within a tenant
// newest first by (time, id), the order the log lists entries in, to the first entry past the limit. That walk
// goes in steps of WALK entries from an edge, so no one statement holds the process for long on a big log.
export const NEXT_LOGGED_TENANT = "SELECT tenant_id FROM request_log WHERE tenant_id > $after ORDER BY tenant_id LIMIT 1";
export const NTH_OLDER_ENTRY = `SELECT time, id FROM request_log WHERE tenant_id = $tenant AND (time, id) < ($time, $id)
  ORDER BY time DESC, id DESC LIMIT 1 OFFSET $skip`;
export const DELETE_TENANT_UP_TO_CHUNK = `DELETE FROM request_log WHERE id IN (SELECT id FROM request_log
  WHERE tenant_id = $tenant AND (time, id) <= ($time, $id) ORDER BY time, id LIMIT $chunk)`;
const WALK = 50_000;
const ABOVE_ALL = { time: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };

type Edge = { time: number; id: number };

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export class LogPruner {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly retention: Retention,
  ) {}

  /** Runs a chunked DELETE until it deletes less than a chunk, yielding to requests in between. */
  private async deleteInChunks(sql: string, params: Record<string, string | number>): Promise<number> {
    const chunk = this.db.query(sql);
    let deleted = 0;
    for (;;) {
      const { changes } = chunk.run({ ...params, chunk: CHUNK });
      deleted += changes;
      if (changes < CHUNK) return deleted;
      await yieldToRequests();
    }
  }

  private deleteOlderThan(since: number): Promise<number> {
    return this.deleteInChunks(DELETE_OLDER_CHUNK, { since });
  }

  /** The tenant's newest entry past the count limit, or null when it has no more than the limit. */
  private async firstOverLimit(tenant: string): Promise<Edge | null> {
    const nth = this.db.query(NTH_OLDER_ENTRY);
    let edge = ABOVE_ALL;
    let skip = this.retention.rows;
    for (; skip > WALK; skip -= WALK) {
      const next = nth.get({ tenant, ...edge, skip: WALK - 1 }) as Edge | null;
      if (next === null) return null;
      edge = next;
      await yieldToRequests();
    }
    return nth.get({ tenant, ...edge, skip }) as Edge | null;
  }

  /** Each tenant keeps its newest `rows` entries. */
  private async deleteOverCount(): Promise<number> {
    const nextTenant = this.db.query(NEXT_LOGGED_TENANT);
    let deleted = 0;
    for (let after = ""; ; ) {
      const next = nextTenant.get({ after }) as { tenant_id: string } | null;
      if (next === null) return deleted;
      after = next.tenant_id;
      const edge = await this.firstOverLimit(after);
      if (edge !== null) deleted += await this.deleteInChunks(DELETE_TENANT_UP_TO_CHUNK, { tenant: after, ...edge });
      await yieldToRequests();
    }
  }

  /** One pass; returns the number of rows deleted. Concurrent calls share the running pass. */
  prune(now = Date.now()): Promise<number> {
    this.running ??= (async () => {
      try {
        let deleted = 0;
        if (this.retention.days > 0) deleted += await this.deleteOlderThan(now - this.retention.days * DAY_MS);
        if (this.retention.rows > 0) deleted += await this.deleteOverCount();
        return deleted;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  start(everyMs = 10 * 60_000, firstAfterMs = 30_000) {
    const run = () =>
      void this.prune().catch((error: unknown) => console.error("[scimd] request log retention failed:", error));
    const first = setTimeout(() => {
      run();
      this.timer = setInterval(run, everyMs);
      this.timer.unref();
    }, firstAfterMs);
    first.unref();
    this.timer = first;
  }

  async stop() {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
