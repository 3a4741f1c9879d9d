// The one wrapper that records SCIM requests. It sits around the whole app (an Elysia `wrap`), so it sees the
// final answer of every request — handler results, auth-guard 401s, errors and unknown routes rendered by
// on-error — stamps X-Request-Id on it and keeps what the entry needs. Being outside Elysia's hooks costs a
// lookup less than a request hook and a global mapResponse did (side by side, 7-13 µs of ~175). Elysia 1.4
// documents `wrap` as one of its internals: test/log/recording.test.ts fails if an upgrade changes how it wraps.
// The request body is the handler's own read, shared; the answer's body is read from a clone, and only when
// the entry needs it. The entry is built as the answer goes, and the writer keeps only its text (see writer.ts).
import { Elysia } from "elysia";
import { notedAuthenticated, notedListTotal, notedResourceName } from "../../http/request-notes";
import { parsedBodyOf } from "../../http/scim-response";
import { buildEntryWithBodies, entryOf, needsBodies, type RequestState, targetOf } from "./build-entry";
import { needsRequestBody, needsResponseBody } from "./classify";
import { isScimUrl } from "./scim-target";
import { shareBody } from "./shared-body";
import type { RequestLog } from "./service";

export const REQUEST_ID_HEADER = "x-request-id";

function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    // Immutable headers (a fetched Response): the same answer, with headers of its own.
    const copy = new Response(response.body, response);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}

type Handle = (request: Request) => Response | Promise<Response>;
/** The client's address: only the listening server knows a request's socket (none under `app.handle`). */
type ClientAddress = (request: Request) => string | null;

export const requestRecorder = (log: RequestLog, clientAddress: ClientAddress) => {
  // The entry is complete once the answer is, so it is taken before the answer is sent: a stopping server
  // then has every answered request's entry.
  const finish = (request: Request, state: RequestState) => {
    state.userAgent = request.headers.get("user-agent");
    if (state.capture) state.headers = request.headers;
    state.requestJson = parsedBodyOf(request);
    if (!needsBodies(state)) {
      // Captured headers are redacted now, while the request is still what it was.
      const entry = entryOf(state);
      if (entry) log.writer.push(entry);
      log.writer.done();
      return;
    }
    buildEntryWithBodies(state)
      .then((entry) => entry && log.writer.push(entry))
      .catch((error: unknown) => console.error("[scimd] request log: could not record a request:", error))
      .finally(() => log.writer.done());
  };
  // A refusal past the tenant's budget is only counted (refusal-budget.ts): no entry, no bodies read.
  const admitsRefusal = (state: RequestState, status: number) => {
    const target = targetOf(state);
    return target === undefined || log.refusals.admit(target.tenantId, status, state.clientIp ?? null, state.time);
  };
  // Whether the entry needs the answer's body: a list's handler noted its total, so lists never do.
  const wantsResponseBody = (state: RequestState, status: number) => {
    if (state.capture) return true;
    if (status === 200 && state.listTotal !== undefined) return false;
    const target = targetOf(state);
    return target !== undefined && needsResponseBody(state.method, target, status, state.location ?? null);
  };
  const begin = (request: Request): RequestState | undefined => {
    const url = request.url;
    if (!isScimUrl(url)) return undefined;
    const method = request.method;
    const state: RequestState = {
      requestId: crypto.randomUUID(),
      method,
      url,
      capture: false,
      time: Date.now(),
      start: performance.now(),
      // Only while the request is open does the server know its socket.
      clientIp: clientAddress(request),
    };
    // A GET has no body to share and no name to look up first: its target waits until its entry is built.
    if (method !== "GET" || log.settings.capturesAny()) {
      const target = targetOf(state);
      if (!target) return undefined;
      state.capture = log.settings.capturesBodies(target.tenantId);
      if (method !== "GET" && method !== "HEAD" && (state.capture || needsRequestBody(method, target))) {
        state.requestBody = shareBody(request);
      }
      // A deleted resource has no name to look up afterwards.
      if (method === "DELETE" && target.resourceType && target.resourceId) {
        state.resourceName = log.store.nameOf(target.tenantId, target.resourceType, target.resourceId);
      }
    }
    log.writer.begin();
    return state;
  };
  const record = (request: Request, state: RequestState, answer: Response): Response => {
    state.end = performance.now();
    state.listTotal = notedListTotal(request);
    // A request the guard never let in (401, or an unknown route: 404, 405) is a stranger's: its entry is
    // kept, its headers and bodies are not.
    state.authenticated = notedAuthenticated(request);
    state.capture &&= state.authenticated;
    const response = withRequestId(answer, state.requestId);
    const status = response.status;
    state.status = status;
    if (!state.authenticated && status >= 400 && status < 500 && !admitsRefusal(state, status)) {
      log.writer.done();
      return response;
    }
    if (state.method === "POST") state.location = response.headers.get("location");
    // `body` is not looked at: reading it builds a ReadableStream, and Bun's profiler put 4 % of a lookup's
    // samples on that line. A clone of an answer without a body reads as "".
    state.response = wantsResponseBody(state, status) ? response.clone() : undefined;
    // Read now, while the resource is as this request left it (a point query on the primary key); a list
    // names no resource.
    const noted = notedResourceName(request);
    if (noted !== undefined) state.resourceName = noted;
    else if (state.method !== "DELETE" && status !== 401 && state.listTotal === undefined) {
      const target = targetOf(state);
      if (target?.resourceType && target.resourceId) {
        state.resourceName = log.store.nameOf(target.tenantId, target.resourceType, target.resourceId);
      }
    }
    finish(request, state);
    return response;
  };
  // A request is never failed by its log entry: an entry that cannot be taken is reported and left out.
  const answered = (request: Request, state: RequestState, answer: Response): Response => {
    try {
      return record(request, state, answer);
    } catch (error) {
      console.error("[scimd] request log: could not record a request:", error);
      log.writer.done();
      return answer;
    }
  };
  const failed = (error: unknown): never => {
    log.writer.done();
    throw error;
  };
  // Elysia's type for a wrapper is looser than what it calls it with: the app's handler and then the request.
  return new Elysia({ name: "request-recorder" }).wrap(((handle: Handle) => (request: Request) => {
    const state = begin(request);
    if (!state) return handle(request);
    let answer: Response | Promise<Response>;
    try {
      answer = handle(request);
    } catch (error) {
      return failed(error);
    }
    return answer instanceof Promise ? answer.then((r) => answered(request, state, r), failed) : answered(request, state, answer);
  }) as never);
};
