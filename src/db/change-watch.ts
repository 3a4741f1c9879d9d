// Lets per-request caches of small, rarely changing rows (token status, tenant settings) stay exact:
// the epoch moves when another connection commits (PRAGMA data_version — the CLI revoking a token while
// the server runs) or when this process changes such rows and says so with bump().
import type { Database, Statement } from "bun:sqlite";
import { WalIndexProbe } from "./wal-index";

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

  /** The wal-index as it was just before data_version was last read (see WalIndexProbe). */
  private probed: string | undefined;
  private lastVersion = 0;
  private probe: WalIndexProbe | undefined | null = null;

  constructor(private readonly db: Database) {
    this.dataVersion = db.query("PRAGMA data_version");
  }

  epoch(): string {
    if (this.version === undefined) {
      this.version = this.currentVersion();
      queueMicrotask(this.forget);
    }
    return `${this.version}:${this.local}`;
  }

  private wal(): WalIndexProbe | undefined {
    if (this.probe === null) this.probe = WalIndexProbe.open(this.db);
    return this.probe;
  }

  // No commit since data_version was last read leaves the wal-index as it was then, and data_version too.
  // The probe is read before data_version, so a commit between the two shows at the next look.
  private currentVersion(): number {
    const probed = this.wal()?.read();
    if (probed !== undefined && probed === this.probed) return this.lastVersion;
    this.lastVersion = (this.dataVersion.get() as { data_version: number }).data_version;
    this.probed = probed;
    return this.lastVersion;
  }

  bump() {
    this.local++;
  }

  /** The wal-index as a write transaction of this connection begins (under its write lock). */
  writeBegins(): string | undefined {
    return this.wal()?.read();
  }

  /**
   * After this connection committed a write transaction that began at `before`: if the wal-index showed no
   * commit since data_version was last read, and shows exactly one more now (this one, which data_version
   * does not count), data_version still stands and the next look need not read it. Another connection's
   * commit, before or just after this one, leaves a different count: the next look reads data_version.
   */
  committed(before: string | undefined) {
    if (before === undefined || before !== this.probed) return;
    const after = this.probe?.read();
    if (after !== undefined && commitsOf(after) === commitsOf(before) + 1) this.probed = after;
  }
}

const commitsOf = (probed: string) => Number(probed.slice(0, probed.indexOf(".")));

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
