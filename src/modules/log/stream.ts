// Live tail over Server-Sent Events: one event per stored entry (its id as the event id, so a client that
// reconnects with Last-Event-ID gets what it missed), a comment line as heartbeat.
import { type StoredEntry, toLogEntry } from "./entry";
import type { LogEntry } from "./model";
import type { RequestLog } from "./service";

/** Missed entries are replayed a page at a time, each page when the client has taken the one before. */
export const REPLAY_PAGE = 1000;
const encoder = new TextEncoder();

const eventOf = (e: LogEntry) => `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`;

export function liveTail(log: RequestLog, tenant: string | undefined, lastEventId: number | undefined): Response {
  let open = true;
  /** The id to replay after; undefined once caught up, and the stream is live. */
  let replayAfter = lastEventId;
  let send: (text: string) => void = () => {};
  let goLive = () => {};
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(`retry: 3000\n: connected\n\n`);
      let unsubscribe = () => {};
      goLive = () => {
        unsubscribe = log.writer.onStored((entries: StoredEntry[]) => {
          for (const e of entries) if (tenant === undefined || e.tenantId === tenant) send(eventOf(toLogEntry(e)));
        });
      };
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), log.heartbeatMs);
      const unregister = log.addStream(() => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      });
      cleanup = () => {
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        unregister();
      };
      if (replayAfter === undefined) goLive();
    },
    // Called whenever the client can take more. While replaying, it sends the next page; the last (short) page
    // is read and the subscription made in one synchronous step, so no entry is stored in between unseen, and
    // entries stored between pages are on a later page.
    pull() {
      if (!open || replayAfter === undefined) return;
      const missed = log.list({ tenant, after: replayAfter, limit: REPLAY_PAGE }).entries;
      if (missed.length > 0) send(missed.map(eventOf).join(""));
      if (missed.length < REPLAY_PAGE) {
        replayAfter = undefined;
        goLive();
      } else {
        replayAfter = missed.at(-1)?.id;
      }
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
