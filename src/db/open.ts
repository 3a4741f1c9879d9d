import { Database } from "bun:sqlite";
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config";

export const DB_FILE = "scimd.sqlite";

/**
 * Opens the one database file with the pragmas every connection needs (set once, at open). `create: false`
 * (CLI commands on existing data) creates neither the directory nor the file; the caller has checked both exist.
 */
export function openDatabase(dataDir: string | ":memory:", { create = true } = {}): Database {
  if (dataDir === ":memory:") return withPragmas(new Database(":memory:", { strict: true }));
  const file = join(dataDir, DB_FILE);
  try {
    // For the owner only: the database holds every tenant's users, signing keys and token hashes. An existing
    // directory or database keeps its mode (an install or a Docker volume may rely on it).
    if (create) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // SQLite opens a write-protected file read-only without a word, and the first write would fail.
    if (existsSync(file) && !writable(file)) return refuse(dataDir, `${DB_FILE} in it is read-only`);
    if (create) createDatabaseFile(dataDir, file);
    // strict: a misspelt named parameter throws instead of binding NULL.
    return withPragmas(new Database(file, { readwrite: true, create, strict: true }));
  } catch (error) {
    return openFailure(dataDir, error);
  }
}

function openFailure(dataDir: string, error: unknown): never {
  if (error instanceof ConfigError) throw error;
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(String((error as { code?: unknown }).code ?? ""))) {
    throw new ConfigError(
      `SCIMD_DATA_DIR=${dataDir}: ${DB_FILE} in it is not an SQLite database, or is damaged; put a backup in its place (README, Backups)`,
    );
  }
  const problem = dataDirProblem(dataDir, error);
  if (problem === undefined) throw error;
  return refuse(dataDir, problem);
}

/**
 * Creates `file` empty and readable by its owner only (0600), unless it exists. "wx": a file another process
 * created meanwhile is left as it is. The descriptor is closed before anything locks the file.
 */
export function createOwnerOnlyFile(file: string) {
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
  }
}

/** SQLite takes an empty file as a new database, and gives its -wal and -shm files the database file's mode. */
function createDatabaseFile(dataDir: string, file: string) {
  try {
    createOwnerOnlyFile(file);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? "");
    // The directory exists (just created or checked): "cannot be created" would name the wrong thing.
    if (["EACCES", "EPERM", "EROFS", "ENOSPC"].includes(code)) return refuse(dataDir, `cannot create ${DB_FILE} in it (${code})`);
    throw error;
  }
}

function refuse(dataDir: string, problem: string): never {
  throw new ConfigError(`SCIMD_DATA_DIR=${dataDir}: ${problem}; set SCIMD_DATA_DIR to a directory scimd can create and write`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function withPragmas(db: Database): Database {
  // First: switching a fresh file to WAL needs a lock that another process starting at once may hold.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  switchToWal(db);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = NORMAL");
  // 32 MiB of page cache: a 100,000-user tenant stays hot while peak memory stays well under 200 MB.
  db.exec("PRAGMA cache_size = -32768");
  db.exec("PRAGMA temp_store = MEMORY");
  return db;
}

const BUSY_TIMEOUT_MS = 5000;

// SQLite answers SQLITE_BUSY at once, without waiting out the busy timeout, when the switch to WAL finds another
// process (a server and a CLI command started together) holding the lock it needs: so it is tried again here.
function switchToWal(db: Database) {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      Bun.sleepSync(5 + Math.random() * 20);
    }
  }
}

const isFile = (path: string) => existsSync(path) && !statSync(path).isDirectory();

/** What is wrong with the data directory, when that is why opening failed; undefined for other failures. */
function dataDirProblem(dataDir: string, error: unknown): string | undefined {
  const code = String((error as { code?: unknown }).code ?? "");
  if (code === "EEXIST" || code === "ENOTDIR") {
    return isFile(dataDir) ? "is a file, not a directory" : "a part of the path is a file, not a directory";
  }
  if (["EACCES", "EPERM", "EROFS", "ENOENT", "ENOSPC"].includes(code)) return `cannot be created (${code})`;
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|AUTH)/.test(code)) return `cannot open or write ${DB_FILE} in it (read-only, or no permission)`;
  return undefined;
}
