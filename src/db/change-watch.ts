// Lets per-request caches of small, rarely changing rows (token status, tenant settings) stay exact:
// the epoch moves when another connection commits (PRAGMA data_version — the CLI revoking a token while
// the server runs) or when this process changes such rows and says so with bump().
import type { Database, Statement } from "bun:sqlite";

export class ChangeWatch {
  private local = 0;
  private dataVersion: Statement;

  constructor(db: Database) {
    this.dataVersion = db.query("PRAGMA data_version");
  }

  epoch(): string {
    return `${(this.dataVersion.get() as { data_version: number }).data_version}:${this.local}`;
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
