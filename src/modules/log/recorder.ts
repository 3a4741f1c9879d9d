// The one hook that records SCIM requests. onRequest notes the start and a request id; mapResponse sees the
// final answer — handler results, auth-guard 401s and errors rendered by on-error — before it is sent, stamps
// X-Request-Id on it and assembles the entry (unknown routes: on-error does, they get no mapResponse).
// The request body is the handler's own read, shared; the answer's body is read from a clone, and only when
// the entry needs it.
import { Elysia } from "elysia";
import { notedResourceName } from "../../http/request-notes";
import { parsedBodyOf } from "../../http/scim-response";
import { buildEntry, buildEntryWithBodies, needsBodies, type RequestState } from "./build-entry";
import { needsRequestBody, needsResponseBody } from "./classify";
import { scimTarget } from "./scim-target";
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

export const requestRecorder = (log: RequestLog) => {
  // The entry is complete once the answer is, so it is built here and not in an afterResponse hook, which Elysia
  // runs through one setImmediate per request; a stopping server then has every answered request's entry.
  const finish = (request: Request, state: RequestState) => {
    (request as Recorded)[STATE] = undefined;
    state.end ??= performance.now();
    state.userAgent = request.headers.get("user-agent");
    if (state.capture && state.status !== 401) state.headers = request.headers;
    state.requestJson = parsedBodyOf(request);
    if (!needsBodies(state)) {
      log.writer.push(buildEntry(state));
      log.writer.done();
      return;
    }
    buildEntryWithBodies(state)
      .then((entry) => log.writer.push(entry))
      .catch((error: unknown) => console.error("[scimd] request log: could not record a request:", error))
      .finally(() => log.writer.done());
  };
  return new Elysia({ name: "request-recorder" })
    .onRequest(({ request, server }) => {
      const target = scimTarget(request.url);
      if (!target) return;
      const method = request.method;
      const capture = log.settings.capturesBodies(target.tenantId);
      const state: RequestState = {
        requestId: crypto.randomUUID(),
        method,
        target,
        capture,
        time: Date.now(),
        start: performance.now(),
        // Only while the request is open does the server know its socket.
        clientIp: server?.requestIP(request)?.address ?? null,
      };
      if (method !== "GET" && method !== "HEAD" && (capture || needsRequestBody(method, target))) {
        state.requestBody = shareBody(request);
      }
      // A deleted resource has no name to look up afterwards.
      if (method === "DELETE" && target.resourceType && target.resourceId) {
        state.resourceName = log.store.nameOf(target.tenantId, target.resourceType, target.resourceId);
      }
      (request as Recorded)[STATE] = state;
      log.writer.begin();
    })
    // Unknown routes are answered by on-error without any route hook: only here can they get the header.
    .onError({ as: "global" }, ({ request, set, code }) => {
      const state = code === "NOT_FOUND" ? stateOf(request) : undefined;
      if (!state) return;
      state.status = 404;
      set.headers[REQUEST_ID_HEADER] = state.requestId;
      finish(request, state);
    })
    .mapResponse({ as: "global" }, ({ request, responseValue, set }) => {
      const state = stateOf(request);
      if (!state) return;
      // An error on its way to on-error: mapResponse runs again with the Response that renders it.
      if (responseValue === undefined) return;
      state.end = performance.now();
      if (responseValue instanceof Response) {
        const status = responseValue.status;
        state.status = status;
        state.location = responseValue.headers.get("location");
        const wanted = (state.capture && status !== 401) || needsResponseBody(state.method, state.target, status, state.location);
        state.response = wanted && responseValue.body !== null ? responseValue.clone() : undefined;
        stampRequestId(responseValue, set, state.requestId);
      } else {
        state.status = statusOf(set.status);
        state.value = responseValue;
        set.headers[REQUEST_ID_HEADER] = state.requestId;
      }
      // Read now, while the resource is as this request left it (a point query on the primary key).
      const { resourceType, resourceId, tenantId } = state.target;
      if (resourceType && resourceId && state.method !== "DELETE" && state.status !== 401) {
        state.resourceName = notedResourceName(request) ?? log.store.nameOf(tenantId, resourceType, resourceId);
      }
      finish(request, state);
    });
};
