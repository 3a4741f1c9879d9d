// The one hook that records SCIM requests. onRequest stamps the request id (X-Request-Id on every answer)
// and the start; mapResponse sees the final answer — handler results, auth-guard 401s and errors rendered by
// on-error — before it is sent; afterResponse, which runs once the answer is out, assembles the entry.
// Bodies are read from clones, and only when the entry needs them.
import { Elysia } from "elysia";
import { needsRequestBody, needsResponseBody } from "./classify";
import { buildEntry, type RequestState } from "./build-entry";
import type { RequestLog } from "./service";
import { scimTarget } from "./scim-target";

const statusOf = (status: unknown, fallback = 200) => (typeof status === "number" ? status : fallback);

export const requestRecorder = (log: RequestLog) => {
  const states = new WeakMap<Request, RequestState>();
  return new Elysia({ name: "request-recorder" })
    .onRequest(({ request, set, server }) => {
      const requestId = crypto.randomUUID();
      set.headers["x-request-id"] = requestId;
      const target = scimTarget(request.url);
      if (!target) return;
      const method = request.method;
      const capture = log.settings.capturesBodies(target.tenantId);
      const state: RequestState = { requestId, method, target, capture, time: Date.now(), start: performance.now() };
      // Only while the request is open does the server know its socket.
      state.clientIp = server?.requestIP(request)?.address ?? null;
      if (method !== "GET" && method !== "HEAD" && (capture || needsRequestBody(method, target))) {
        state.requestClone = request.clone();
      }
      // A deleted resource has no name to look up afterwards.
      if (method === "DELETE" && target.resourceType && target.resourceId) {
        state.resourceName = log.store.nameOf(target.tenantId, target.resourceType, target.resourceId);
      }
      states.set(request, state);
      log.writer.begin();
    })
    .mapResponse({ as: "global" }, ({ request, responseValue, set }) => {
      const state = states.get(request);
      if (!state) return;
      state.end = performance.now();
      if (responseValue instanceof Response) {
        const status = responseValue.status;
        state.status = status;
        state.location = responseValue.headers.get("location");
        const wanted = (state.capture && status !== 401) || needsResponseBody(state.method, state.target, status, state.location);
        state.response = wanted && responseValue.body !== null ? responseValue.clone() : undefined;
      } else {
        state.status = statusOf(set.status);
        state.value = responseValue;
      }
      // Read now, while the resource is as this request left it (a point query on the primary key).
      const { resourceType, resourceId, tenantId } = state.target;
      if (resourceType && resourceId && state.method !== "DELETE" && state.status !== 401) {
        state.resourceName = log.store.nameOf(tenantId, resourceType, resourceId);
      }
    })
    .onAfterResponse({ as: "global" }, (ctx) => {
      const { request, set } = ctx;
      const code = "code" in ctx ? ctx.code : undefined;
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      // Unknown routes are answered before any route hook runs: only `code` tells what happened.
      state.status ??= code === "NOT_FOUND" ? 404 : statusOf(set.status);
      state.end ??= performance.now();
      state.userAgent = request.headers.get("user-agent");
      if (state.capture && state.status !== 401) state.headers = request.headers;
      log.writer.track(buildEntry(state).then((entry) => log.writer.push(entry)));
    });
};
