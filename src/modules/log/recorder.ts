// The one hook that records SCIM requests. onRequest notes the start and a request id; mapResponse sees the
// final answer — handler results, auth-guard 401s and errors rendered by on-error — before it is sent, stamps
// X-Request-Id on it and keeps what the entry needs (unknown routes: on-error does, they get no mapResponse).
// The request body is the handler's own read, shared; the answer's body is read from a clone, and only when
// the entry needs it. Everything else (where the request went, what it did) is worked out from the URL when
// its batch is written: per request, the hot path only takes notes.
import { Elysia } from "elysia";
import { notedListTotal, notedResourceName } from "../../http/request-notes";
import { parsedBodyOf } from "../../http/scim-response";
import { buildEntryWithBodies, entryOf, needsBodies, type RequestState, targetOf } from "./build-entry";
import { needsRequestBody, needsResponseBody } from "./classify";
import { isScimUrl } from "./scim-target";
import { shareBody } from "./shared-body";
import type { RequestLog } from "./service";

export const REQUEST_ID_HEADER = "x-request-id";

const statusOf = (status: unknown, fallback = 200) => (typeof status === "number" ? status : fallback);

// The header goes on the Response itself: anything in `set.headers` makes Elysia rebuild every Response
// around a body stream, which costs more than the whole entry.
function stampRequestId(response: Response, set: { headers: Record<string, string | number> }, requestId: string) {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
  } catch {
    set.headers[REQUEST_ID_HEADER] = requestId; // immutable headers (a fetched Response)
  }
}

// The state rides on the request itself: a WeakMap with thousands of live keys costs the garbage collector.
const STATE = Symbol("scimd.requestState");
type Recorded = Request & { [STATE]?: RequestState };
const stateOf = (request: Request) => (request as Recorded)[STATE];

/** `unservedStatus`: what on-error answers a request no route took (404, or 405/204 on a known path). */
export const requestRecorder = (log: RequestLog, unservedStatus: (request: Request) => number) => {
  // The entry is complete once the answer is, so it is taken here and not in an afterResponse hook, which Elysia
  // runs through one setImmediate per request; a stopping server then has every answered request's entry.
  const finish = (request: Request, state: RequestState) => {
    (request as Recorded)[STATE] = undefined;
    state.end ??= performance.now();
    state.userAgent = request.headers.get("user-agent");
    if (state.capture && state.status !== 401) state.headers = request.headers;
    state.requestJson = parsedBodyOf(request);
    if (!needsBodies(state)) {
      // Captured headers are redacted now, while the request is still what it was.
      const entry = entryOf(state, !state.capture);
      if (entry) log.writer.push(entry);
      log.writer.done();
      return;
    }
    buildEntryWithBodies(state)
      .then((entry) => entry && log.writer.push(entry))
      .catch((error: unknown) => console.error("[scimd] request log: could not record a request:", error))
      .finally(() => log.writer.done());
  };
  // Whether the entry needs the answer's body: a list's handler noted its total, so lists never do.
  const wantsResponseBody = (state: RequestState, status: number) => {
    if (state.capture && status !== 401) return true;
    if (status === 200 && state.listTotal !== undefined) return false;
    const target = targetOf(state);
    return target !== undefined && needsResponseBody(state.method, target, status, state.location ?? null);
  };
  return new Elysia({ name: "request-recorder" })
    .onRequest(({ request, server }) => {
      const url = request.url;
      if (!isScimUrl(url)) return;
      const method = request.method;
      const state: RequestState = {
        requestId: crypto.randomUUID(),
        method,
        url,
        capture: false,
        time: Date.now(),
        start: performance.now(),
        // Only while the request is open does the server know its socket.
        clientIp: server?.requestIP(request)?.address ?? null,
      };
      // A GET has no body to share and no name to look up first: its target waits until the batch is written.
      if (method !== "GET" || log.settings.capturesAny()) {
        const target = targetOf(state);
        if (!target) return;
        state.capture = log.settings.capturesBodies(target.tenantId);
        if (method !== "GET" && method !== "HEAD" && (state.capture || needsRequestBody(method, target))) {
          state.requestBody = shareBody(request);
        }
        // A deleted resource has no name to look up afterwards.
        if (method === "DELETE" && target.resourceType && target.resourceId) {
          state.resourceName = log.store.nameOf(target.tenantId, target.resourceType, target.resourceId);
        }
      }
      (request as Recorded)[STATE] = state;
      log.writer.begin();
    })
    // Unknown routes are answered by on-error without any route hook: only here can they get the header.
    .onError({ as: "global" }, ({ request, set, code }) => {
      const state = code === "NOT_FOUND" ? stateOf(request) : undefined;
      if (!state) return;
      state.status = unservedStatus(request);
      set.headers[REQUEST_ID_HEADER] = state.requestId;
      finish(request, state);
    })
    .mapResponse({ as: "global" }, ({ request, responseValue, set }) => {
      const state = stateOf(request);
      if (!state) return;
      // An error on its way to on-error: mapResponse runs again with the Response that renders it.
      if (responseValue === undefined) return;
      state.end = performance.now();
      state.listTotal = notedListTotal(request);
      if (responseValue instanceof Response) {
        const status = responseValue.status;
        state.status = status;
        if (state.method === "POST") state.location = responseValue.headers.get("location");
        // `body` is not looked at: reading it builds a ReadableStream, and Bun's profiler put 4 % of a lookup's
        // samples on that line. A clone of an answer without a body reads as "".
        state.response = wantsResponseBody(state, status) ? responseValue.clone() : undefined;
        stampRequestId(responseValue, set, state.requestId);
      } else {
        state.status = statusOf(set.status);
        state.value = responseValue;
        set.headers[REQUEST_ID_HEADER] = state.requestId;
      }
      // Read now, while the resource is as this request left it (a point query on the primary key); a list
      // names no resource.
      const noted = notedResourceName(request);
      if (noted !== undefined) state.resourceName = noted;
      else if (state.method !== "DELETE" && state.status !== 401 && state.listTotal === undefined) {
        const target = targetOf(state);
        if (target?.resourceType && target.resourceId) {
          state.resourceName = log.store.nameOf(target.tenantId, target.resourceType, target.resourceId);
        }
      }
      finish(request, state);
    });
};
