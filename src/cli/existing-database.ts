// Every command but `serve` and `tenant create` works on data that exists: opening a data directory without a
// database would create an empty one, and a mistyped SCIMD_DATA_DIR would answer "no tenants" instead of saying so.
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import { join } from "node:path";
import { DB_FILE, openDatabase } from "../db/open";
import { CommandError } from "./args";

/** Opens the database in `dataDir` for `command`, or says in one line that there is none; creates nothing. */
export function openExistingDatabase(command: string, dataDir: string): Database {
  const missing = missingDatabase(dataDir);
  if (missing) throw new CommandError(`${command}: ${missing}; set SCIMD_DATA_DIR to the server's data directory`);
  return openDatabase(dataDir, { create: false });
}

/** Why `dataDir` holds no database, or undefined when it may (a permission problem is the open's to report). */
export function missingDatabase(dataDir: string): string | undefined {
  const where = `SCIMD_DATA_DIR=${dataDir}`;
  switch (statCode(dataDir)) {
    case "ENOENT":
      return `${where} does not exist, so it holds no database`;
    case "ENOTDIR":
    case "file":
      return `${where} is not a directory, so it holds no database`;
  }
  return statCode(join(dataDir, DB_FILE)) === "ENOENT" ? `${where} holds no database (no ${DB_FILE} in it)` : undefined;
}

function statCode(path: string): string | undefined {
  try {
    return statSync(path).isDirectory() ? undefined : "file";
  } catch (error) {
    return String((error as { code?: unknown }).code ?? "");
  }
}
