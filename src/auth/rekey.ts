// `scimd rekey`: re-seals every secret under a new master key (or none), in one transaction.
import type { Database } from "bun:sqlite";
import type { KeyVault } from "./key-vault";
import { SEALED_COLUMNS, VAULT_CHECK_SETTING, VAULT_CHECK_TEXT } from "./sealed-columns";

/**
 * Opens each secret with `from` and seals it with `to`; the settings row `vault_check` records whether the
 * database is encrypted. BEGIN IMMEDIATE holds the write lock across the awaits, so no writer slips in between;
 * any failure (a value `from` cannot open) rolls everything back.
 */
export async function rekey(db: Database, from: KeyVault, to: KeyVault): Promise<{ resealed: number; encrypted: boolean }> {
  db.exec("BEGIN IMMEDIATE");
  try {
    let resealed = 0;
    for (const { table, column } of SEALED_COLUMNS) {
      const rows = db.query(`SELECT rowid AS id, ${column} AS value FROM ${table}`).all() as { id: number; value: string }[];
      const update = db.query(`UPDATE ${table} SET ${column} = $value WHERE rowid = $id`);
      for (const row of rows) {
        update.run({ id: row.id, value: await to.seal(await from.open(row.value)) });
        resealed++;
      }
    }
    if (to.encrypted) {
      db.query("INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run({
        key: VAULT_CHECK_SETTING,
        value: await to.seal(VAULT_CHECK_TEXT),
      });
    } else {
      db.query("DELETE FROM settings WHERE key = $key").run({ key: VAULT_CHECK_SETTING });
    }
    db.exec("COMMIT");
    return { resealed, encrypted: to.encrypted };
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
