// Prepared list statements, by SQL text. bun:sqlite's own cache (db.query) hashes the text in native code on
// every call, ~2.5 µs for a list query; a JS Map lookup is a fraction of that. Bounded: filters vary without end.
import type { Database, Statement } from "bun:sqlite";

const MAX_STATEMENTS = 500;
const caches = new WeakMap<Database, Map<string, Statement>>();

export function statement(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (stmt) return stmt;
  stmt = db.prepare(sql);
  if (cache.size >= MAX_STATEMENTS) {
    for (const old of cache.values()) old.finalize();
    cache.clear();
  }
  cache.set(sql, stmt);
  return stmt;
}
