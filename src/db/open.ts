import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const DB_FILE = "scimd.sqlite";

/** Opens the one database file with the pragmas every connection needs (set once, at open). */
export function openDatabase(dataDir: string | ":memory:"): Database {
  let path = ":memory:";
  if (dataDir !== ":memory:") {
    mkdirSync(dataDir, { recursive: true });
    path = join(dataDir, DB_FILE);
  }
  // strict: a misspelt named parameter throws instead of binding NULL.
  const db = new Database(path, { create: true, strict: true });
  // First: switching a fresh file to WAL needs a lock that another process starting at once may hold.
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = NORMAL");
  // 32 MiB of page cache: a 100,000-user tenant stays hot while peak memory stays well under 200 MB.
  db.exec("PRAGMA cache_size = -32768");
  db.exec("PRAGMA temp_store = MEMORY");
  return db;
}
