// Live tail over Server-Sent Events: one event per stored entry (its id as the event id, so a client that
// reconnects with Last-Event-ID gets what it missed), a comment line as heartbeat.
import { toLogEntry } from "./entry";
import type { RequestLog } from "./service";

const REPLAY_LIMIT = 1000;
const encoder = new TextEncoder();

export function liveTail(log: RequestLog, tenant: string | undefined, lastEventId: number | undefined): Response {
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const event = (e: Parameters<typeof toLogEntry>[0]) => send(`id: ${e.id}\ndata: ${JSON.stringify(toLogEntry(e))}\n\n`);
      send(`retry: 3000\n: connected\n\n`);
      // Replay and subscribe in one synchronous step: no batch can be written in between.
      if (lastEventId !== undefined) {
        const missed = log.list({ tenant, after: lastEventId, limit: REPLAY_LIMIT }).entries;
        for (const e of missed) send(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
      }
      const unsubscribe = log.writer.onStored((entries) => {
        for (const e of entries) if (tenant === undefined || e.tenantId === tenant) event(e);
      });
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
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
