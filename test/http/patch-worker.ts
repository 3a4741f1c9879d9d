// PATCHes of new users over the real router, in a Worker: a request that never ends cannot stall the test run,
// the tests waiting for it fail on their deadline instead (users.test.ts, "keys named like Object members").
import { createHarness } from "../support/harness";

declare const self: Worker;

export interface PatchJob {
  /** The POST /Users body; each PATCH gets a user of its own. */
  user: Record<string, unknown>;
  /** PATCH bodies as sent: JSON text, so that a "__proto__" key stays a key. */
  patches: string[];
}

export interface PatchOutcome {
  status: number;
  body: Record<string, unknown>;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

self.onmessage = async ({ data }: MessageEvent<PatchJob>) => {
  const h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  const t = await h.newTenant();
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await h.request(method, `${t.url}${path}`, { token: t.token, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  for (const [index, patch] of data.patches.entries()) {
    const before = await send("POST", "/Users", { ...data.user, userName: `${index}-${data.user.userName}` });
    const r = await send("PATCH", `/Users/${before.body.id}`, patch);
    const after = await send("GET", `/Users/${before.body.id}`);
    self.postMessage({ index, outcome: { status: r.status, body: r.body, before: before.body, after: after.body } satisfies PatchOutcome });
  }
};
