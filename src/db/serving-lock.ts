// Whether a server runs on a data directory, for `scimd rekey`: re-encrypted under it, the server would go on
// with the old key. A server holds a shared SQLite lock on scimd.lock, an empty file beside the database, for as
// long as it lives; rekey takes the exclusive lock or refuses. The locks are POSIX locks the kernel drops when
// the process ends, kill -9 included, so a crash leaves no stale "running". A file of its own, opened by SQLite
// only: closing any descriptor of a file drops every POSIX lock the process holds on it (SQLite's own files
// are mapped and opened elsewhere), and no request touches this connection.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { ConfigError } from "../config";
import { createOwnerOnlyFile } from "./open";

export const LOCK_FILE = "scimd.lock";

/** How long a starting server waits for a rekey to finish. */
const REKEY_WAIT_MS = 10_000;

/** Kept referenced for the life of the process: a collected connection would close and drop the lock. */
const held: Database[] = [];

/** A server's start: the shared lock, held until the process ends. */
export function holdServingLock(dataDir: string) {
  const lock = new Database(lockFile(dataDir), { readonly: true, strict: true });
  lock.exec(`PRAGMA busy_timeout = ${REKEY_WAIT_MS}`);
  // Exclusive locking mode keeps the shared lock its first read takes, without a transaction left open.
  lock.exec("PRAGMA locking_mode = EXCLUSIVE");
  try {
    lock.query("PRAGMA user_version").get();
  } catch (error) {
    lock.close();
    if ((error as { code?: unknown }).code !== "SQLITE_BUSY") throw error;
    throw new ConfigError(`SCIMD_DATA_DIR=${dataDir}: \`scimd rekey\` is re-encrypting it; start scimd again when it has finished`);
  }
  held.push(lock);
}

/**
 * `scimd rekey`: the exclusive lock, so that no server runs and none starts until `release`; undefined when a
 * server (or another rekey) holds the lock.
 */
export function lockOutServers(dataDir: string): { release(): void } | undefined {
  const lock = new Database(lockFile(dataDir), { readwrite: true, create: false, strict: true });
  lock.exec("PRAGMA busy_timeout = 0");
  try {
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if ((error as { code?: unknown }).code === "SQLITE_BUSY") return undefined;
    throw error;
  }
  // Rolled back, never committed: the file stays empty, and SQLite writes no journal beside it.
  return { release: () => (lock.exec("ROLLBACK"), lock.close()) };
}

/** Created for its owner only (as the database), before SQLite opens it. */
function lockFile(dataDir: string): string {
  const file = join(dataDir, LOCK_FILE);
  createOwnerOnlyFile(file);
  return file;
}
