// Start-up check of the master key, so a wrong or missing SCIMD_MASTER_KEY stops the start with one clear line
// instead of failing the first request that needs a key.
import type { Database } from "bun:sqlite";
import { isSealed, type KeyVault, MasterKeyError } from "./key-vault";
import { rekey } from "./rekey";
import { SEALED_COLUMNS, VAULT_CHECK_SETTING } from "./sealed-columns";

const MISSING = "the database is encrypted: set SCIMD_MASTER_KEY to the master key it was encrypted with";
const NOT_ENCRYPTED =
  "the database is not encrypted and SCIMD_MASTER_KEY is set: a command does not encrypt it (a server may be running " +
  "without the key); stop the server and run `scimd rekey` with SCIMD_NEW_MASTER_KEY set to the key, or unset SCIMD_MASTER_KEY";

/**
 * Who opens the database: only a starting server seals a plain database under a newly set key (it alone knows
 * no other server runs on it without the key); `scimd rekey` does its own sealing; any other command refuses.
 */
export type VaultUse = "serve" | "command" | "rekey";

function sentinel(db: Database): string | undefined {
  const row = db.query("SELECT value FROM settings WHERE key = $key").get({ key: VAULT_CHECK_SETTING }) as { value: string } | null;
  return row?.value;
}

function firstSealed(db: Database): string | undefined {
  for (const { table, column } of SEALED_COLUMNS) {
    // Plain material is JSON; anything else is sealed (see isSealed).
    const hit = db.query(`SELECT ${column} AS value FROM ${table} WHERE substr(${column}, 1, 1) <> '{' LIMIT 1`).get() as { value: string } | null;
    if (hit && isSealed(hit.value)) return hit.value;
  }
  return undefined;
}

/**
 * Throws MasterKeyError when the key is missing or wrong. With a key set on a database that still holds plain
 * secrets (encryption turned on for an existing install), a starting server seals them all now, in one
 * transaction; a command refuses.
 */
export async function prepareVault(db: Database, vault: KeyVault, use: VaultUse): Promise<void> {
  const check = sentinel(db);
  if (check !== undefined) {
    if (!vault.encrypted) throw new MasterKeyError(MISSING);
    await vault.open(check);
    return;
  }
  const sample = firstSealed(db);
  if (sample !== undefined) {
    if (!vault.encrypted) throw new MasterKeyError(MISSING);
    await vault.open(sample);
  }
  if (!vault.encrypted) return;
  if (use === "serve") await rekey(db, vault, vault);
  else if (use === "command" && sample === undefined) throw new MasterKeyError(NOT_ENCRYPTED);
}
