// SQLite failures that say nothing about the request and everything about the disk or another process:
// the database is full, read-only, locked past the busy timeout, or its file cannot be read or written.
// They answer 503 (the same request may succeed later) rather than 500, with a detail an operator can act on.

interface StorageFailure {
  detail: string;
  /** Seconds a client should wait before trying again, when waiting is likely to help. */
  retryAfter?: number;
}

const FAILURES: [prefix: string, failure: StorageFailure][] = [
  ["SQLITE_FULL", { detail: "the server's storage is full; nothing was changed" }],
  ["SQLITE_READONLY", { detail: "the server's database is read-only; nothing was changed" }],
  ["SQLITE_BUSY", { detail: "the database is busy with another process; nothing was changed, try again", retryAfter: 1 }],
  ["SQLITE_LOCKED", { detail: "the database is busy with another process; nothing was changed, try again", retryAfter: 1 }],
  ["SQLITE_IOERR", { detail: "the server cannot read or write its database file; nothing was changed" }],
  ["SQLITE_CANTOPEN", { detail: "the server cannot open its database file; nothing was changed" }],
  ["SQLITE_NOMEM", { detail: "the server is out of memory; nothing was changed, try again", retryAfter: 5 }],
];

/** The storage failure an error is, or undefined when it is something else. */
export function storageFailure(error: unknown): StorageFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return undefined;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED) share their primary code's prefix.
  return FAILURES.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1];
}
