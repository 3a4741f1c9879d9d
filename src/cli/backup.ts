// `scimd backup FILE`: a consistent copy of the live database, or one line saying why not and no file left.
import type { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CommandError, UsageError } from "./args";

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

function databaseMegabytes(db: Database): number {
  const { bytes } = db.query("SELECT page_count * page_size AS bytes FROM pragma_page_count, pragma_page_size").get() as { bytes: number };
  return Math.max(1, Math.ceil(bytes / 1_048_576));
}

export function backup(db: Database, file: string | undefined): { backup: string } {
  if (!file) throw new UsageError("backup needs FILE");
  const target = resolve(file);
  if (existsSync(target)) throw new CommandError(`backup: ${target} exists already; choose a new file name`);
  if (!isDirectory(dirname(target))) {
    throw new CommandError(`backup: ${dirname(target)} is not an existing directory; choose a backup path in one`);
  }
  try {
    // Created first, for the owner only: the copy holds every tenant's signing keys. "wx" also makes sure no file
    // that appeared since the check above is written over. VACUUM INTO accepts an empty file.
    closeSync(openSync(target, "wx", 0o600));
  } catch (error) {
    throw new CommandError(`backup: cannot create ${target} (${(error as Error).message}); choose a new file name in a directory scimd may write`);
  }
  try {
    // VACUUM INTO writes a consistent snapshot from a read transaction, without stopping writers.
    db.query("VACUUM INTO $target").run({ target });
  } catch (error) {
    // A partial copy is no backup, and would make the next attempt refuse the name.
    rmSync(target, { force: true });
    throw new CommandError(
      `backup to ${target} failed (${(error as Error).message}); nothing was kept. ` +
        `Choose a backup path with room for the database (about ${databaseMegabytes(db)} MB) that scimd may write`,
    );
  }
  return { backup: target };
}
