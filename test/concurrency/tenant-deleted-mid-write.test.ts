// A tenant deleted while a SCIM write for it has passed the guard and awaits its body (or a password hash): the
// insert's foreign key fails. That is the 401 the request would have got a moment later (the guard answers one
// for a tenant that does not exist), never a 500, and nothing of the write is left. A deletion by the CLI in
// another process fails the foreign key the same way (cli-under-load.test.ts runs that over a real server).
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { type Doc, GROUP, USER } from "./live-client";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
});

/**
 * Sends a POST whose body is held back until the handler asks for it (a stream with no buffer: pulled only when
 * read), deletes the tenant then, and lets the body through.
 */
async function postWhileTenantIsDeleted(t: TestTenant, path: string, body: Doc): Promise<Response> {
  let reading!: () => void;
  const read = new Promise<void>((resolve) => (reading = resolve));
  let sent = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reading();
        if (sent) return controller.close();
        await deleted;
        sent = true;
        controller.enqueue(new TextEncoder().encode(JSON.stringify(body)));
      },
    },
    { highWaterMark: 0 },
  );
  let deletedNow!: () => void;
  const deleted = new Promise<void>((resolve) => (deletedNow = resolve));
  const request = new Request(`http://scimd.test${t.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.token}`, "content-type": "application/scim+json" },
    body: stream,
    // @ts-expect-error: Bun takes a streamed request body without `duplex`; the DOM types ask for it.
    duplex: "half",
  });
  const answer = h.app.handle(request);
  await read;
  expect(h.services.tenants.delete(t.id)).toBe(true);
  deletedNow();
  return answer;
}

const rowsOf = (tenantId: string) =>
  ["users", "groups", "group_members"].map(
    (table) => (h.services.db.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $id`).get({ id: tenantId }) as { n: number }).n,
  );

async function tenantWithWarmToken(): Promise<TestTenant> {
  const t = await h.newTenant();
  // The token's signature is checked once and remembered: the guard then passes without awaiting anything.
  expect((await h.request("GET", `${t.url}/Users`, { token: t.token })).status).toBe(200);
  return t;
}

describe("POST for a tenant deleted while the request reads its body: 401, as its next request gets, nothing stored", () => {
  const cases: [string, string, Doc][] = [
    ["a user", "/Users", { schemas: [USER], userName: "late@example.com" }],
    ["a user with a password (hashed after the body is read)", "/Users", { schemas: [USER], userName: "late@example.com", password: "Late-password-1" }],
    ["a group", "/Groups", { schemas: [GROUP], displayName: "late" }],
  ];
  test.each(cases)("%s", async (_name, path, body) => {
    const t = await tenantWithWarmToken();
    const res = await postWhileTenantIsDeleted(t, path, body);
    expect({ status: res.status, challenge: res.headers.get("www-authenticate") }).toEqual({
      status: 401,
      challenge: 'Bearer realm="scimd", error="invalid_token"',
    });
    expect(((await res.json()) as Doc).schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    expect(rowsOf(t.id)).toEqual([0, 0, 0]);
    expect((await h.request("GET", `${t.url}/Users`, { token: t.token })).status).toBe(401);
  });

  test("/Bulk: each operation 401, none 500", async () => {
    const t = await tenantWithWarmToken();
    const res = await postWhileTenantIsDeleted(t, "/Bulk", {
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "u", data: { schemas: [USER], userName: "bulk-late@example.com" } },
        { method: "POST", path: "/Groups", bulkId: "g", data: { schemas: [GROUP], displayName: "bulk late" } },
      ],
    });
    expect(res.status).toBe(200);
    const ops = ((await res.json()) as Doc).Operations as Doc[];
    expect(ops.map((o) => o.status)).toEqual(["401", "401"]);
    expect(rowsOf(t.id)).toEqual([0, 0, 0]);
  });
});
