// The provisioning log: recording (writer), reading (store), settings, retention and live subscribers.
import type { Database } from "bun:sqlite";
import type { Config } from "../../config";
import { AdminError } from "../../errors";
import { type StoredEntry, toLogEntry } from "./entry";
import { tenantHealth } from "./health";
import type { Health, LogEntry, LogQuery } from "./model";
import { LogPruner } from "./prune";
import { RefusalBudget } from "./refusal-budget";
import { LogSettingsStore } from "./settings";
import { LogStore } from "./store";
import { DEFAULT_WRITER_OPTIONS, LogWriter, type WriterOptions } from "./writer";

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;
const DEFAULT_SPAN_MS = { hour: 24 * 3_600_000, day: 30 * 86_400_000 } as const;
const MAX_BUCKETS = 5_000;

type LogConfig = Pick<Config, "logRetentionDays" | "logRetentionRows" | "logRefusals" | "requestTimeoutSeconds">;
/** How often ended refusal windows are looked for: a summary is written at most this long after its window. */
const REFUSAL_SWEEP_MS = 60_000;

export class RequestLog {
  readonly store: LogStore;
  readonly writer: LogWriter;
  readonly settings: LogSettingsStore;
  readonly pruner: LogPruner;
  readonly refusals: RefusalBudget;
  private refusalSweep: ReturnType<typeof setInterval> | undefined;
  /** Live-tail heartbeat; proxies drop idle connections, and clients notice a dead one. */
  heartbeatMs = 15_000;
  private readonly streams = new Set<() => void>();
  private readonly timeoutMs: number;

  constructor(db: Database, config: LogConfig, writerOptions: WriterOptions = DEFAULT_WRITER_OPTIONS) {
    this.store = new LogStore(db);
    this.writer = new LogWriter(this.store, writerOptions);
    this.settings = new LogSettingsStore(db);
    this.pruner = new LogPruner(db, { days: config.logRetentionDays, rows: config.logRetentionRows });
    this.refusals = new RefusalBudget(config.logRefusals);
    this.timeoutMs = config.requestTimeoutSeconds * 1000;
  }

  /** Reads see every answered request: whatever waits in the buffer is written first. */
  list(q: LogQuery): { entries: LogEntry[]; nextCursor: string | null; maxId: number | null } {
    this.writer.flush();
    const limit = q.limit ?? 100;
    const [time, id] = (q.cursor ?? "").split(".").map(Number);
    const cursor = q.cursor && time !== undefined && id !== undefined ? { time, id } : undefined;
    const rows = this.store.list(q, cursor, limit);
    const last = rows.at(-1);
    const more = q.after === undefined && rows.length === limit && last !== undefined;
    return {
      entries: rows.map(toLogEntry),
      nextCursor: more ? `${last.time}.${last.id}` : null,
      maxId: rows.length ? Math.max(...rows.map((r) => r.id)) : null,
    };
  }

  entry(id: number): StoredEntry | undefined {
    this.writer.flush();
    return this.store.get(id);
  }

  stats(q: { tenant?: string; bucket?: "hour" | "day"; from?: string; to?: string }, now = Date.now()) {
    this.writer.flush();
    const bucket = q.bucket ?? "hour";
    const size = BUCKET_MS[bucket];
    const to = q.to ? Date.parse(q.to) : now;
    const from = Math.floor((q.from ? Date.parse(q.from) : to - DEFAULT_SPAN_MS[bucket]) / size) * size;
    if (!(from < to)) throw new AdminError(400, "`from` must be before `to`");
    if ((to - from) / size > MAX_BUCKETS) {
      throw new AdminError(400, `at most ${MAX_BUCKETS} buckets: narrow from/to or use bucket=day`);
    }
    const found = new Map(this.store.stats(q.tenant, size, from, to).map((r) => [r.start, r]));
    const buckets = [];
    for (let start = from; start < to; start += size) {
      const row = found.get(start);
      buckets.push({ start: new Date(start).toISOString(), successes: row?.successes ?? 0, failures: row?.failures ?? 0 });
    }
    return { bucket, buckets };
  }

  health(tenantId: string, now = Date.now()): Health {
    this.writer.flush();
    return tenantHealth(this.store, tenantId, this.timeoutMs, now);
  }

  /** Registers a live-tail stream; `close` ends it at shutdown. */
  addStream(close: () => void): () => void {
    this.streams.add(close);
    return () => this.streams.delete(close);
  }

  /** Writes the summaries of ended refusal windows (of every window when `final`); returns how many. */
  sweepRefusals(now = Date.now(), final = false): number {
    const summaries = this.refusals.summaries(now, final);
    for (const summary of summaries) this.writer.push(summary);
    return summaries.length;
  }

  start() {
    this.pruner.start();
    this.refusalSweep = setInterval(() => this.sweepRefusals(), REFUSAL_SWEEP_MS);
    this.refusalSweep.unref();
  }

  /** Shutdown, before the database closes: ends live streams, then writes every remaining entry. */
  closeStreams() {
    for (const close of [...this.streams]) close();
  }

  async close() {
    this.closeStreams();
    await this.pruner.stop();
    clearInterval(this.refusalSweep);
    await this.writer.settle();
    this.sweepRefusals(Date.now(), true);
    await this.writer.close();
  }
}
