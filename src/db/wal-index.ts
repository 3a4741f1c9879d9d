// The header of SQLite's wal-index (the -shm file; https://www.sqlite.org/walformat.html §2.2.1), read from
// memory. Every commit by any connection rewrites it: iChange counts commits, mxFrame grows with the WAL,
// and a WAL restart draws new salts. Reading it costs no system call, where PRAGMA data_version takes and
// releases a WAL read lock (three fcntl calls; in the running server about a tenth of a lookup's CPU).
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";

/** Header words (native byte order): iVersion 0, iChange 2, mxFrame 4, aSalt 8–9; the second copy is 12 on. */
const CHANGE = 2;
const MX_FRAME = 4;
const SALT = 8;
const COPY = 12;
const HEADER_BYTES = 96;
const INIT_BYTE = 12;

export class WalIndexProbe {
  private constructor(private readonly words: Uint32Array, private readonly bytes: Uint8Array) {}

  /**
   * The probe of a WAL database's -shm file, or undefined (in-memory database, no wal-index yet). The
   * mapping stays valid while the connection is open: SQLite truncates the file only when it opens it with
   * no other connection holding it, and removes it only when the last one closes.
   */
  static open(db: Database): WalIndexProbe | undefined {
    const file = db.filename;
    if (!file || file === ":memory:") return undefined;
    const shm = `${file}-shm`;
    try {
      if (statSync(shm).size < HEADER_BYTES) return undefined;
      const bytes = Bun.mmap(shm, { shared: true, size: HEADER_BYTES } as Parameters<typeof Bun.mmap>[1]);
      return new WalIndexProbe(new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_BYTES / 4), bytes);
    } catch {
      return undefined;
    }
  }

  /**
   * A value that changes whenever any connection commits; undefined while the header is being rewritten
   * (its two copies differ) or not initialised, when only data_version can tell.
   */
  read(): string | undefined {
    const w = this.words;
    if (this.bytes[INIT_BYTE] !== 1) return undefined;
    const change = w[CHANGE];
    const frames = w[MX_FRAME];
    const salt0 = w[SALT];
    const salt1 = w[SALT + 1];
    if (change !== w[COPY + CHANGE] || frames !== w[COPY + MX_FRAME] || salt0 !== w[COPY + SALT] || salt1 !== w[COPY + SALT + 1]) {
      return undefined;
    }
    return `${change}.${frames}.${salt0}.${salt1}`;
  }
}
