import type { Database } from "bun:sqlite";
import { type Migration, migrations as embedded } from "./migrations";

export class NewerDatabaseError extends Error {}

export function schemaVersion(db: Database): number {
  return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
}

function refuseNewer(version: number, latest: number) {
  if (version <= latest) return;
  throw new NewerDatabaseError(
    `the database is at schema version ${version}, but this scimd only knows up to ${latest}: ` +
      "it was written by a newer scimd. Run that version, or restore a backup made before the upgrade.",
  );
}

/**
 * Brings the database to the latest version, one transaction per migration. A database written by a newer
 * scimd is refused: running old code on it could lose data. A server and a CLI command started together on a
 * fresh data directory both migrate it: each step reads the version again under the write lock and skips what
 * the other process applied meanwhile.
 */
export function migrate(db: Database, migrations: Migration[] = embedded): { from: number; to: number } {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  refuseNewer(from, latest);
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      const current = schemaVersion(db);
      refuseNewer(current, latest);
      if (current >= m.version) return;
      if (m.sql) db.exec(m.sql);
      m.run?.(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}
