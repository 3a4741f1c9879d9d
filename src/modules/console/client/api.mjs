// The admin API from the browser. The admin token lives in sessionStorage (this tab only, gone when it closes)
// and goes out as a Bearer header to this same origin, never anywhere else.
const KEY = "scimd.adminToken";

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  set(token) {
    sessionStorage.setItem(KEY, token);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Fired when a signed-in session's token stops being accepted (restarted with another SCIMD_ADMIN_TOKEN). */
export const SIGNED_OUT = "scimd:signed-out";

async function errorOf(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    // Admin errors are { error }, SCIM errors { detail }.
    message = body.error ?? body.detail ?? message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message);
}

export async function request(path, { method = "GET", body, signal, token = session.token } = {}) {
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(`/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "The server did not answer. Is scimd still running?");
  }
  if (response.status === 401 && token === session.token && token) {
    session.clear();
    window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: "The admin token is no longer accepted. Sign in again." }));
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export const get = async (path, opts) => (await request(path, opts)).json();
export const post = async (path, body, opts) => (await request(path, { ...opts, method: "POST", body })).json();
export const put = async (path, body, opts) => {
  const response = await request(path, { ...opts, method: "PUT", body });
  return response.status === 204 ? null : response.json();
};
export const del = (path, opts) => request(path, { ...opts, method: "DELETE" });

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * Server-Sent Events over fetch: EventSource cannot send an Authorization header. Calls `onEntry` per event
 * and reconnects with Last-Event-ID until `signal` aborts.
 */
export async function stream(path, { signal, onEntry, onState }) {
  let lastId;
  while (!signal.aborted) {
    try {
      const headers = { authorization: `Bearer ${session.token}`, accept: "text/event-stream" };
      if (lastId) headers["last-event-id"] = lastId;
      const response = await fetch(`/admin/v1${path}`, { headers, signal });
      if (!response.ok) throw await errorOf(response);
      onState?.("live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
          const id = block.split("\n").find((l) => l.startsWith("id:"));
          if (id) lastId = id.slice(3).trim();
          if (data) onEntry(JSON.parse(data));
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      onState?.(error instanceof ApiError ? `error: ${error.message}` : "reconnecting");
      if (error instanceof ApiError && error.status === 401) return;
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}
