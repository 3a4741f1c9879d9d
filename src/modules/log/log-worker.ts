// The provisioning log's thread (see log-thread.ts): a connection of its own to the database file, a
// LogWriter that builds and stores each batch it is handed, and the WAL checkpoints.
import type { Database } from "bun:sqlite";
import { openDatabaseFile } from "../../db/open";
import { WalIndexProbe } from "../../db/wal-index";
import { setWriteGate, WriteGate } from "../../db/write-gate";
import type { StoredEntry } from "./entry";
import type { FromLogThread, ToLogThread } from "./log-thread-messages";
import { LogStore } from "./store";
import { LogWriter } from "./writer";

declare const self: Worker;

// It writes only at the right edge of the log's b-trees: a small page cache does.
const CACHE_KIB = 4096;
/** SQLite's own autocheckpoint threshold, which the request thread's connection no longer applies. */
const CHECKPOINT_FRAMES = 1000;
const CHECKPOINT_EVERY_MS = 200;

let db: Database | undefined;
let writer: LogWriter | undefined;
let probe: WalIndexProbe | undefined;
let gate: WriteGate | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let reported = { unattributed: 0, lost: 0 };

const post = (message: FromLogThread) => self.postMessage(message);

const withoutBodies = (e: StoredEntry): StoredEntry => ({ ...e, requestHeaders: null, requestBody: null, responseBody: null });

/**
 * Under the write gate, so that no commit of this process lands while it runs: a checkpoint that meets new
 * frames stops short of them, and the WAL can only start over after one that copied it all. (SQLite's own
 * autocheckpoint runs inside a commit, where the same holds.) Passive: it never waits for readers.
 */
function checkpointIfLarge() {
  probe ??= db && WalIndexProbe.open(db);
  const frames = probe?.frames();
  if (!db || !gate || frames === undefined || frames < CHECKPOINT_FRAMES) return;
  try {
    gate.hold(() => db?.exec("PRAGMA wal_checkpoint(PASSIVE)"));
  } catch (error) {
    console.error("[scimd] WAL checkpoint failed (retried later):", error);
  }
}

function done(seq: number) {
  if (!writer) return;
  const { unattributed, lost } = writer;
  post({ type: "done", seq, unattributed: unattributed - reported.unattributed, lost: lost - reported.lost, buffered: writer.buffered });
  reported = { unattributed, lost };
}

function open(m: Extract<ToLogThread, { type: "open" }>) {
  try {
    db = openDatabaseFile(m.file);
    db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
    db.exec("PRAGMA wal_autocheckpoint = 0");
    gate = new WriteGate(m.gate);
    setWriteGate(db, gate);
    // Batches come whole from the request thread; the timer only paces retries after a failed write.
    writer = new LogWriter(new LogStore(db), { flushMs: m.retryMs, batchSize: Number.MAX_SAFE_INTEGER, maxBuffered: m.maxBuffered });
    writer.onStored((entries) => post({ type: "stored", entries: entries.map(withoutBodies) }));
    timer = setInterval(checkpointIfLarge, CHECKPOINT_EVERY_MS);
  } catch (error) {
    post({ type: "failed", error: `cannot open the database: ${error instanceof Error ? error.message : String(error)}` });
  }
}

self.onmessage = async (event: MessageEvent<ToLogThread>) => {
  const m = event.data;
  if (m.type === "open") return open(m);
  if (!writer) return;
  switch (m.type) {
    case "batch":
      writer.writeNow(m.items);
      checkpointIfLarge();
      return done(m.seq);
    case "drain":
      writer.flush();
      return done(m.seq);
    case "close":
      clearInterval(timer);
      await writer.close();
      done(m.seq);
      db?.close();
      db = undefined;
      writer = undefined;
      return;
  }
};
