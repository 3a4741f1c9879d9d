// The provisioning log's own thread, seen from the request thread. Building an entry and inserting it (with
// its indexes, and the WAL checkpoints those pages bring) cost a lookup about a fifth of its time on the
// request thread; on a thread of their own they run while the request thread answers the next requests.
// Batches cross by structured clone (plain data: see UnbuiltEntry). The two threads' write transactions meet
// at a WriteGate instead of at SQLite's lock, whose busy handler would put the request thread to sleep. That
// thread also checkpoints the WAL, so a request never pays for one. If the thread fails, the request thread
// takes the log back, with every batch not yet confirmed.
import type { Database } from "bun:sqlite";
import { setWriteGate, WriteGate } from "../../db/write-gate";
import { LOG_WORKER_URL } from "../../log-worker-url";
import { built } from "./build-entry";
import type { StoredEntry } from "./entry";
import type { FromLogThread, ToLogThread } from "./log-thread-messages";
import type { BatchForwarder, LogItem, LogWriter } from "./writer";

const AUTOCHECKPOINT_PAGES = 1000; // SQLite's default
const CLOSE_TIMEOUT_MS = 10_000;

export class LogThread implements BatchForwarder {
  private worker: Worker | undefined;
  private gate: WriteGate | undefined;
  private seq = 0;
  /** Batches sent and not yet confirmed: taken back if the thread fails. */
  private readonly unconfirmed = new Map<number, LogItem[]>();
  private readonly waiting = new Map<number, () => void>();

  constructor(
    private readonly db: Database,
    private readonly writer: LogWriter,
    private readonly retryMs: number,
    private readonly maxBuffered: number,
  ) {}

  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Starts the thread for a database file (an in-memory database has no second connection); returns whether it did. */
  start(): boolean {
    const file = this.db.filename;
    if (this.worker || !file || file === ":memory:") return false;
    const worker = new Worker(LOG_WORKER_URL);
    this.worker = worker;
    this.gate = new WriteGate();
    worker.onmessage = (event: MessageEvent<FromLogThread>) => this.receive(event.data);
    worker.onerror = (event) => this.fail(event.message || "log thread failed");
    this.send({ type: "open", file, gate: this.gate.buffer, retryMs: this.retryMs, maxBuffered: this.maxBuffered });
    setWriteGate(this.db, this.gate);
    this.db.exec("PRAGMA wal_autocheckpoint = 0");
    this.writer.forwardTo(this);
    return true;
  }

  forward(batch: LogItem[]): boolean {
    if (!this.worker) return false;
    const seq = ++this.seq;
    try {
      this.send({ type: "batch", seq, items: batch });
    } catch {
      // Something in an unbuilt entry does not clone (a handler's odd return value): send it built.
      try {
        this.send({ type: "batch", seq, items: batch.map(built).filter((e) => e !== undefined) });
      } catch {
        return false;
      }
    }
    this.unconfirmed.set(seq, batch);
    return true;
  }

  drained(): Promise<void> {
    return this.roundTrip("drain");
  }

  /** Writes what the thread holds, closes its connection and ends it. */
  async close() {
    if (!this.worker) return;
    const worker = this.worker;
    const closed = this.roundTrip("close");
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), CLOSE_TIMEOUT_MS).unref());
    if ((await Promise.race([closed, timeout])) === "timeout") return this.fail("log thread did not close in time");
    this.detach();
    worker.terminate();
  }

  private roundTrip(type: "drain" | "close"): Promise<void> {
    if (!this.worker) return Promise.resolve();
    const seq = ++this.seq;
    const done = new Promise<void>((resolve) => this.waiting.set(seq, resolve));
    this.send({ type, seq });
    return done;
  }

  private send(message: ToLogThread) {
    this.worker?.postMessage(message);
  }

  private receive(message: FromLogThread) {
    switch (message.type) {
      case "stored":
        this.writer.delivered(message.entries as StoredEntry[]);
        break;
      case "done":
        this.writer.unattributed += message.unattributed;
        this.writer.lost += message.lost;
        this.writer.heldElsewhere = message.buffered;
        this.unconfirmed.delete(message.seq);
        this.waiting.get(message.seq)?.();
        this.waiting.delete(message.seq);
        break;
      case "failed":
        this.fail(message.error);
        break;
    }
  }

  /** The request thread takes the log back: its own checkpoints, no gate, and every unconfirmed batch. */
  private fail(reason: string) {
    if (!this.worker) return;
    console.error(`[scimd] request log thread: ${reason}; the log is written by the request thread from now on`);
    const worker = this.worker;
    const batches = [...this.unconfirmed.values()];
    this.detach();
    worker.terminate();
    for (const batch of batches) this.writer.writeNow(batch);
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
  }

  private detach() {
    this.worker = undefined;
    this.unconfirmed.clear();
    this.writer.forwardTo(undefined);
    this.writer.heldElsewhere = 0;
    setWriteGate(this.db, undefined);
    try {
      this.db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    } catch {
      // the database is closing
    }
  }
}
