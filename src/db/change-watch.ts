// Lets per-request caches of small, rarely changing rows (token status, tenant settings) stay exact:
// the epoch moves when another connection commits (PRAGMA data_version — the CLI revoking a token while
// the server runs) or when this process changes such rows and says so with bump().
import type { Database, Statement } from "bun:sqlite";

export class ChangeWatch {
  private local = 0;
  private dataVersion: Statement;
  /**
   * data_version as read in the current synchronous run of code; forgotten in the next microtask. Every
   * request that sees it was received before it was read, so none can miss a commit that preceded it, and
   * each read is one WAL read lock (two fcntl calls) fewer. A longer memo (per event-loop turn) is unsafe:
   * requests answered in-process within one turn could then miss a revocation made between them.
   */
  private version: number | undefined;
  private readonly forget = () => {
    this.version = undefined;
  };

  constructor(db: Database) {
    this.dataVersion = db.query("PRAGMA data_version");
  }

  epoch(): string {
    if (this.version === undefined) {
      this.version = this.currentVersion();
      queueMicrotask(this.forget);
    }
    return `${this.version}:${this.local}`;
  }

  // No memory-mapped look at the -shm file instead (it would skip the read lock): mapping the file opens
  // and closes a descriptor of it, and closing any descriptor drops all of this process's POSIX locks on
  // the file, SQLite's included. Another process (a CLI command) then finds the wal-index unowned, resets
  // it under the running server, and the server dies of SIGBUS or reads a wrong snapshot.
  private currentVersion(): number {
    return (this.dataVersion.get() as { data_version: number }).data_version;
  }

  bump() {
    this.local++;
  }
}

const watches = new WeakMap<Database, ChangeWatch>();

export function changesOf(db: Database): ChangeWatch {
  let watch = watches.get(db);
  if (!watch) {
    watch = new ChangeWatch(db);
    watches.set(db, watch);
  }
  return watch;
}

/** A map whose entries are only good for the epoch they were read in. */
export class EpochCache<V> {
  private entries = new Map<string, V>();
  private epoch = "";

  constructor(
    private watch: ChangeWatch,
    private max = 10_000,
  ) {}

  get(key: string, load: () => V): V {
    const now = this.watch.epoch();
    if (now !== this.epoch) {
      this.entries.clear();
      this.epoch = now;
    }
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = load();
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
