// Prepared list statements. bun:sqlite's own cache (db.query) hashes the text in native code on every call,
// ~2.5 µs for a list query; a JS Map lookup is a fraction of that, the more so keyed by the few parts of the
// SQL that vary (a lookup's SQL is ~300 characters, its key ~50). Bounded: filters vary without end.
import type { Database, Statement } from "bun:sqlite";

const MAX_STATEMENTS = 500;
const caches = new WeakMap<Database, Map<string, Statement>>();

/** The statement for `key`, prepared from `sql()` the first time; a key must name exactly one SQL text. */
export function statement(db: Database, key: string, sql: () => string = () => key): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(key);
  if (stmt) return stmt;
  stmt = db.prepare(sql());
  if (cache.size >= MAX_STATEMENTS) {
    for (const old of cache.values()) old.finalize();
    cache.clear();
  }
  cache.set(key, stmt);
  return stmt;
}
