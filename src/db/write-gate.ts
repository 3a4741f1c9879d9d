// One writer at a time between the threads of this process. Two connections of one process that meet on
// SQLite's write lock do not queue: the loser's busy handler sleeps a millisecond or more, and on the main
// thread that sleep stops every request. So the provisioning log's thread and the request thread take this
// gate (a word of shared memory) before BEGIN IMMEDIATE; whoever waits, waits only for the other's commit.
// Other processes (the CLI) still meet SQLite's lock and its busy timeout, as before.
import type { Database } from "bun:sqlite";

const FREE = 0;
const HELD = 1;
const SPIN_MS = 2;

export class WriteGate {
  private readonly word: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4),
    /** Past this wait the holder is presumed gone (a crashed thread): SQLite's own lock still guards the data. */
    private readonly maxWaitMs = 5000,
  ) {
    this.word = new Int32Array(buffer);
  }

  /** Returns whether the gate was taken (false: waited maxWaitMs in vain, and goes on without it). */
  enter(): boolean {
    if (this.take()) return true;
    // The holder is in one short transaction: poll for a while, so that the waiter has the gate the moment it
    // is let go (a sleeping waiter wakes too late: the holder's next transaction would take it first).
    const start = performance.now();
    while (performance.now() - start < SPIN_MS) if (Atomics.load(this.word, 0) === FREE && this.take()) return true;
    const deadline = start + this.maxWaitMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.word, 0, HELD, left);
      if (this.take()) return true;
    }
  }

  private take(): boolean {
    return Atomics.compareExchange(this.word, 0, FREE, HELD) === FREE;
  }

  leave() {
    Atomics.store(this.word, 0, FREE);
    Atomics.notify(this.word, 0, 1);
  }

  /** `work` with the gate held (or after waiting for it in vain). */
  hold<T>(work: () => T): T {
    const entered = this.enter();
    try {
      return work();
    } finally {
      if (entered) this.leave();
    }
  }
}

const gates = new WeakMap<Database, WriteGate>();

/** Write transactions on `db` (inOneWrite) take `gate` from now on; undefined stops that. */
export function setWriteGate(db: Database, gate: WriteGate | undefined) {
  if (gate) gates.set(db, gate);
  else gates.delete(db);
}

export const writeGateOf = (db: Database): WriteGate | undefined => gates.get(db);
