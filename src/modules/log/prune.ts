// Retention: by age (SCIMD_LOG_RETENTION_DAYS) and by count (SCIMD_LOG_RETENTION_ROWS); 0 turns a limit off.
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
// By id, the order entries were stored in: the count limit keeps the newest.
const DELETE_BELOW_CHUNK =
  "DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE id < $cutoff ORDER BY id LIMIT $chunk)";

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export class LogPruner {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly retention: Retention,
  ) {}

  /** Runs a chunked DELETE until it deletes less than a chunk, yielding to requests in between. */
  private async deleteInChunks(sql: string, params: Record<string, number>): Promise<number> {
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

  private deleteBelow(cutoff: number): Promise<number> {
    return this.deleteInChunks(DELETE_BELOW_CHUNK, { cutoff });
  }

  private countCutoff(): number | undefined {
    if (this.retention.rows === 0) return undefined;
    const { n } = this.db.query("SELECT count(*) AS n FROM request_log").get() as { n: number };
    if (n <= this.retention.rows) return undefined;
    const row = this.db
      .query("SELECT id FROM request_log ORDER BY id LIMIT 1 OFFSET $skip")
      .get({ skip: n - this.retention.rows }) as { id: number } | null;
    return row?.id;
  }

  /** One pass; returns the number of rows deleted. Concurrent calls share the running pass. */
  prune(now = Date.now()): Promise<number> {
    this.running ??= (async () => {
      try {
        let deleted = 0;
        if (this.retention.days > 0) deleted += await this.deleteOlderThan(now - this.retention.days * DAY_MS);
        const byCount = this.countCutoff();
        if (byCount !== undefined) deleted += await this.deleteBelow(byCount);
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
