// Several reads as one read transaction. Outside a transaction every statement takes and releases its own WAL
// read lock (two fcntl system calls); a list page of 100 users reads 201 times. Inside one, the lock is taken
// once, and every read sees the same snapshot (a page and its totalResults agree).
import type { Database, Statement } from "bun:sqlite";

const statements = new WeakMap<Database, { begin: Statement; commit: Statement }>();

export function inOneRead<T>(db: Database, read: () => T): T {
  if (db.inTransaction) return read();
  let s = statements.get(db);
  if (!s) statements.set(db, (s = { begin: db.prepare("BEGIN"), commit: db.prepare("COMMIT") }));
  s.begin.run();
  try {
    return read();
  } finally {
    // Nothing was written, so COMMIT only ends the transaction; it cannot fail for a conflict.
    if (db.inTransaction) s.commit.run();
  }
}
