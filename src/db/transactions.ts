// Several statements as one transaction, with statements prepared once per connection (bun:sqlite's
// db.transaction builds new wrappers on every call). Outside a transaction every statement takes and releases
// its own WAL lock (about three fcntl calls, 3–5 µs): a list page of 100 users reads 201 times, and a
// PATCH reads, writes and reads again. Nested reads join the transaction already open; nested writes take a
// savepoint in it.
import type { Database, Statement } from "bun:sqlite";

interface Statements {
  begin: Statement;
  beginImmediate: Statement;
  commit: Statement;
  rollback: Statement;
  savepoint: Statement;
  release: Statement;
  rollbackTo: Statement;
}

const prepared = new WeakMap<Database, Statements>();

function statementsOf(db: Database): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      begin: db.prepare("BEGIN"),
      beginImmediate: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
      savepoint: db.prepare("SAVEPOINT scimd_write"),
      release: db.prepare("RELEASE scimd_write"),
      rollbackTo: db.prepare("ROLLBACK TO scimd_write"),
    };
    prepared.set(db, s);
  }
  return s;
}

function within<T>(db: Database, begin: (s: Statements) => Statement, work: () => T): T {
  if (db.inTransaction) return work();
  const s = statementsOf(db);
  begin(s).run();
  try {
    const result = work();
    s.commit.run();
    return result;
  } catch (error) {
    // work failed, or COMMIT did (then the transaction may still be open): nothing of it stays.
    if (db.inTransaction) s.rollback.run();
    throw error;
  }
}

/** Reads that see one snapshot (a page and its totalResults agree) under one read lock. */
export const inOneRead = <T>(db: Database, read: () => T): T => within(db, (s) => s.begin, read);

/**
 * A read-modify-write under the write lock from the start (BEGIN IMMEDIATE): a deferred transaction that
 * reads first could not upgrade if another process (the CLI) committed in between. `work` must not await.
 * Inside a transaction already open it runs under a savepoint, so a failure undoes its own writes only.
 */
export function inOneWrite<T>(db: Database, work: () => T): T {
  if (!db.inTransaction) return within(db, (s) => s.beginImmediate, work);
  const s = statementsOf(db);
  s.savepoint.run();
  try {
    const result = work();
    s.release.run();
    return result;
  } catch (error) {
    s.rollbackTo.run();
    s.release.run();
    throw error;
  }
}
