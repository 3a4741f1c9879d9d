// What the request thread and the log's thread say to each other (see log-thread.ts and log-worker.ts).
import type { PendingEntry } from "./entry";
import type { LogItem } from "./writer";

export type ToLogThread =
  | { type: "open"; file: string; gate: SharedArrayBuffer; retryMs: number; maxBuffered: number }
  | { type: "batch"; seq: number; items: LogItem[] }
  | { type: "drain"; seq: number }
  | { type: "close"; seq: number };

export type FromLogThread =
  /** Entries stored (with their ids; without captured bodies, which no listener reads). */
  | { type: "stored"; entries: (PendingEntry & { id: number })[] }
  /** Message `seq` is dealt with; counts since the last "done", and what waits there for a retry. */
  | { type: "done"; seq: number; unattributed: number; lost: number; buffered: number }
  | { type: "failed"; error: string };
