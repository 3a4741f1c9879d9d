// A SCIM client over a real listening server (fetch to 127.0.0.1), for tests that keep many requests in flight.
// Every answer is checked for the one thing no concurrency may produce: a 500 (or any 5xx but a 503 that says
// when to retry).
import { expect } from "bun:test";
import { GROUP, PATCH_OP, reply, type Doc, type Reply, type Tenant, USER } from "../http/client";
import { type LiveServer, startLiveServer } from "../log/live-server";

export { GROUP, PATCH_OP, USER, type Doc, type Reply };

export interface LiveClient {
  server: LiveServer;
  tenant: Tenant & { url: string };
  /** `path` is relative to the Tenant URL. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** POST, expecting 201; returns the created resource. */
  created(path: "/Users" | "/Groups", body: Doc): Promise<Doc>;
}

export async function liveClient(server?: LiveServer): Promise<LiveClient> {
  const live = server ?? (await startLiveServer());
  const tenant = await live.tenant();
  const send: LiveClient["send"] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${tenant.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tenant.token}`, "content-type": "application/scim+json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const r = await reply(res);
    expectNoServerError(r, `${method} ${path}`);
    return r;
  };
  const created: LiveClient["created"] = async (path, body) => {
    const r = await send("POST", path, { schemas: [path === "/Users" ? USER : GROUP], ...body });
    if (r.status !== 201) throw new Error(`POST ${path} → ${r.status} ${r.text}`);
    return r.body;
  };
  return { server: live, tenant, send, created };
}

/** README: a busy database answers 503 with Retry-After; every other 5xx is a bug. */
export function expectNoServerError(r: Pick<Reply, "status" | "headers" | "text">, what: string) {
  if (r.status < 500) return;
  expect({ what, status: r.status, retryAfter: r.headers.get("retry-after") !== null, text: r.text }).toEqual({
    what,
    status: 503,
    retryAfter: true,
    text: r.text,
  });
}

export const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** The version number of a weak ETag (W/"7" → 7). */
export const versionOf = (etag: string | null | undefined) => Number(/^W\/"(\d+)"$/.exec(String(etag))?.[1] ?? NaN);
