// Migration 6's JavaScript step: keys written by lower-casing are rewritten by case folding (nameKey). Only keys
// holding a character beyond ASCII can change (lower-casing keeps ASCII ASCII), so those alone are read, from the
// unique index that holds them. Two names that lower-cased apart but fold alike ("ΟΔΟΣ" and "οδοσ") cannot both
// have the folded key: the first keeps it, the other keeps its old key and is named in a warning. Nothing is lost.
import type { Database } from "bun:sqlite";
import { nameKey } from "../store/name-key";

const TABLES = [
  { table: "users", name: "user_name", key: "user_name_key" },
  { table: "groups", name: "display_name", key: "display_name_key" },
] as const;

export function refoldNameKeys(db: Database, warn: (message: string) => void = console.warn): void {
  for (const { table, name, key } of TABLES) {
    // The keys alone come from the (tenant, key) index, which a scan reads far faster than the rows.
    const keys = db.query(`SELECT tenant_id AS tenant, ${key} AS key FROM ${table} WHERE ${key} GLOB '*[^ -~]*'`).all() as {
      tenant: string;
      key: string;
    }[];
    const byKey = db.query(`SELECT id, ${name} AS name FROM ${table} WHERE tenant_id = ?1 AND ${key} = ?2`);
    const update = db.query(`UPDATE ${table} SET ${key} = ?1 WHERE tenant_id = ?2 AND id = ?3`);
    for (const { tenant, key: old } of keys) {
      const row = byKey.get(tenant, old) as { id: string; name: string };
      const folded = nameKey(row.name);
      if (folded === old) continue;
      const holder = byKey.get(tenant, folded) as { id: string } | null;
      if (holder) {
        warn(`[scimd] migration 6: ${table} ${row.id} of tenant ${tenant} differs from ${holder.id} only in case; it keeps its old key`);
        continue;
      }
      update.run(folded, tenant, row.id);
    }
  }
}
