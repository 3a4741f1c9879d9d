// Entries wait in memory and are written in batches, so recording costs the request path nothing but an
// array push. A request's entry may also be pushed unbuilt (plain data): it is then classified with its
// batch, away from the request. Listeners (metrics, live tail) see each stored batch.
// While the server runs, batches are handed to the log's own thread (see log-thread.ts), which builds and
// stores them with a LogWriter of its own; the request thread then never builds or inserts an entry.
import { built, type UnbuiltEntry } from "./build-entry";
import type { PendingEntry, StoredEntry } from "./entry";
import type { LogStore } from "./store";

export interface WriterOptions {
  flushMs: number;
  batchSize: number;
  /** Beyond this many unwritten entries (the database refusing writes for a long time) the oldest go. */
  maxBuffered: number;
}

export const DEFAULT_WRITER_OPTIONS: WriterOptions = { flushMs: 250, batchSize: 500, maxBuffered: 200_000 };

export type StoredListener = (entries: StoredEntry[]) => void;

/** An entry, or the data to build it from. */
export type LogItem = PendingEntry | UnbuiltEntry;

/** Another thread that stores batches (see LogThread). */
export interface BatchForwarder {
  /** Takes the batch; false when it cannot (then this writer stores it itself). */
  forward(batch: LogItem[]): boolean;
  /** Resolves once every batch forwarded so far is stored, or held for retry over there. */
  drained(): Promise<void>;
}

export class LogWriter {
  private buffer: LogItem[] = [];
  private forwarder: BatchForwarder | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<StoredListener>();
  private closed = false;
  /** Requests seen by the recorder whose entry is not pushed yet (still being answered, or bodies being read). */
  private open = 0;
  /** Entries for tenant ids that do not exist (never stored). */
  unattributed = 0;
  /** Entries given up: buffer overflow, or recorded after shutdown. */
  lost = 0;

  constructor(
    private readonly store: LogStore,
    private readonly options: WriterOptions = DEFAULT_WRITER_OPTIONS,
  ) {}

  /** Entries the log's thread holds for a retry (see LogThread). */
  heldElsewhere = 0;

  get buffered(): number {
    return this.buffer.length + this.heldElsewhere;
  }

  /** From now on batches go to `forwarder` (undefined: stored here again). */
  forwardTo(forwarder: BatchForwarder | undefined) {
    this.forwarder = forwarder;
  }

  push(entry: LogItem) {
    if (this.closed) return void this.lost++;
    this.buffer.push(entry);
    if (this.buffer.length >= this.options.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** A request started that will produce an entry: settle() and close() wait for it... */
  begin() {
    this.open++;
  }

  /** ...until its entry is pushed (or could not be built). */
  done() {
    if (this.open > 0) this.open--;
  }

  onStored(listener: StoredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes every buffered entry now; returns how many were stored (or forwarded). */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return 0;
    const items = this.buffer;
    this.buffer = [];
    if (this.forwarder?.forward(items)) return items.length;
    const batch = items.map(builtSafely).filter((e) => e !== undefined);
    const { stored, unattributed, failed } = this.store.insertBatch(batch);
    this.unattributed += unattributed;
    if (failed) this.requeue(failed.entries, failed.error);
    if (stored.length) this.delivered(stored);
    return stored.length;
  }

  /** Writes `items` at once (the log's thread, for each batch it is handed). */
  writeNow(items: LogItem[]): number {
    for (const item of items) this.buffer.push(item);
    return this.flush();
  }

  /** Flushes, and resolves once what was buffered is stored (by the log's thread too). */
  async drain() {
    this.flush();
    await this.forwarder?.drained();
  }

  /** Tells the listeners of stored entries (the log's thread reports its batches through here). */
  delivered(stored: StoredEntry[]) {
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (error) {
        console.error("[scimd] request log listener failed:", error);
      }
    }
  }

  private requeue(batch: PendingEntry[], error: unknown) {
    console.error(`[scimd] request log: writing ${batch.length} entries failed, retrying:`, error);
    this.buffer = [...batch, ...this.buffer];
    const excess = this.buffer.length - this.options.maxBuffered;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.lost += excess;
    }
    if (!this.closed) this.timer ??= setTimeout(() => this.flush(), Math.max(this.options.flushMs, 1000));
  }

  /** Waits (at most `graceMs`) for the entries of answered requests, then writes everything buffered. */
  async settle(graceMs = 5000) {
    const deadline = Date.now() + graceMs;
    while (this.open > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    await this.drain();
  }

  /** Writes everything and refuses new entries. */
  async close() {
    await this.settle();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function builtSafely(item: LogItem): PendingEntry | undefined {
  try {
    return built(item);
  } catch (error) {
    console.error("[scimd] request log: could not record a request:", error);
    return undefined;
  }
}
