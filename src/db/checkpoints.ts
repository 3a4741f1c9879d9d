// With synchronous = NORMAL a commit reaches the WAL file without being synced to disk; the WAL is synced when a
// checkpoint copies it into the database file, which SQLite does by itself only once the WAL holds 1,000 pages.
// At Entra's pace (a few writes a minute) that can take days, and a power cut (not a crash of the process, which
// loses nothing) would take every write since. A passive checkpoint at an interval bounds that to the interval;
// with nothing new to copy it does no I/O, and it never waits for readers or writers.
import type { Database } from "bun:sqlite";

const CHECKPOINT_EVERY_MS = 10_000;

/** Checkpoints `db` every `everyMs` until the returned function is called. */
export function checkpointEvery(db: Database, everyMs = CHECKPOINT_EVERY_MS): () => void {
  const checkpoint = db.query("PRAGMA wal_checkpoint(PASSIVE)");
  const timer = setInterval(() => {
    try {
      checkpoint.all();
    } catch (error) {
      console.error("[scimd] checkpoint failed (SQLite will checkpoint on its own later):", error);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
