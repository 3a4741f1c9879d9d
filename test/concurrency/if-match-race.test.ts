// Writes racing on one resource over a real listening server, all in flight at once. RFC 7644 §3.14: a write
// with If-Match applies only to the version it names, so of N writes naming the same version exactly one
// succeeds and the rest answer 412; the stored resource is the one the success answered. Without If-Match every
// write applies, one after another, as if sent in some serial order.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Doc, type LiveClient, liveClient, patchOp, type Reply, USER, versionOf } from "./live-client";

let c: LiveClient;
beforeAll(async () => {
  c = await liveClient();
});
afterAll(() => c.server.stop());

const N = 10;
const withPassword = (i: number) => i % 3 === 0;

function theOneSuccess(replies: Reply[], status: number): number {
  expect(replies.map((r) => r.status).sort()).toEqual([status, ...Array<number>(replies.length - 1).fill(412)]);
  return replies.findIndex((r) => r.status === status);
}

const storedHash = (id: string) =>
  (c.server.services.db.query("SELECT password_hash AS h FROM users WHERE id = $id").get({ id }) as { h: string | null }).h;

describe("N writes to one resource with the same If-Match: one succeeds, N−1 get 412, the stored one is the winner's", () => {
  test("PATCH of a user (some setting a password, which is hashed outside the transaction)", async () => {
    const u = await c.created("/Users", { userName: "patch-race@example.com" });
    const etag = String((u.meta as Doc).version);
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => {
        const ops: unknown[] = [{ op: "replace", path: "displayName", value: `patch ${i}` }];
        if (withPassword(i)) ops.push({ op: "replace", path: "password", value: `Patch-race-${i}-pw` });
        return c.send("PATCH", `/Users/${u.id}`, patchOp(...ops), { "if-match": etag });
      }),
    );
    const won = theOneSuccess(replies, 200);
    const after = await c.send("GET", `/Users/${u.id}`);
    expect(after.body.displayName).toBe(`patch ${won}`);
    expect(after.headers.get("etag")).toBe(replies[won]!.headers.get("etag"));
    expect(versionOf(after.headers.get("etag"))).toBe(2);
    const hash = storedHash(String(u.id));
    if (withPassword(won)) expect(await Bun.password.verify(`Patch-race-${won}-pw`, hash!)).toBe(true);
    else expect(hash).toBeNull();
  });

  test("PUT of a user (some setting a password)", async () => {
    const u = await c.created("/Users", { userName: "put-race@example.com" });
    const etag = String((u.meta as Doc).version);
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        c.send(
          "PUT",
          `/Users/${u.id}`,
          { schemas: [USER], userName: "put-race@example.com", title: `put ${i}`, ...(withPassword(i) ? { password: `Put-race-${i}-pw` } : {}) },
          { "if-match": etag },
        ),
      ),
    );
    const won = theOneSuccess(replies, 200);
    const after = await c.send("GET", `/Users/${u.id}`);
    expect(after.body.title).toBe(`put ${won}`);
    expect(after.body).toEqual(replies[won]!.body);
    const hash = storedHash(String(u.id));
    if (withPassword(won)) expect(await Bun.password.verify(`Put-race-${won}-pw`, hash!)).toBe(true);
    else expect(hash).toBeNull();
  });

  test("PATCH of a group, renaming it and adding a member of its own", async () => {
    const users = await Promise.all(Array.from({ length: N }, (_, i) => c.created("/Users", { userName: `group-race-${i}@example.com` })));
    const g = await c.created("/Groups", { displayName: "group race" });
    const etag = String((g.meta as Doc).version);
    const replies = await Promise.all(
      users.map((u, i) =>
        c.send(
          "PATCH",
          `/Groups/${g.id}`,
          patchOp({ op: "Replace", path: "displayName", value: `group race ${i}` }, { op: "Add", path: "members", value: [{ value: u.id }] }),
          { "if-match": etag },
        ),
      ),
    );
    const won = theOneSuccess(replies, 204);
    const after = await c.send("GET", `/Groups/${g.id}`);
    expect(after.body.displayName).toBe(`group race ${won}`);
    expect((after.body.members as Doc[]).map((m) => m.value)).toEqual([users[won]!.id]);
    expect(after.headers.get("etag")).toBe(replies[won]!.headers.get("etag"));
  });

  test("DELETE of a user racing PATCHes that name the same version: whichever wins, the rest 412 (or 404 once it is gone)", async () => {
    const u = await c.created("/Users", { userName: "delete-race@example.com" });
    const etag = String((u.meta as Doc).version);
    const patches = Array.from({ length: N - 1 }, (_, i) =>
      c.send("PATCH", `/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: `t${i}` }), { "if-match": etag }),
    );
    const replies = await Promise.all([c.send("DELETE", `/Users/${u.id}`, undefined, { "if-match": etag }), ...patches]);
    const successes = replies.filter((r) => r.status === 200 || r.status === 204);
    expect(successes).toHaveLength(1);
    expect(replies.every((r) => [200, 204, 404, 412].includes(r.status))).toBe(true);
    const after = await c.send("GET", `/Users/${u.id}`);
    if (replies[0]!.status === 204) expect(after.status).toBe(404);
    else expect(after.body.title).toBe(successes[0]!.body.title);
  });
});

describe("N PATCHes of one user without If-Match: every one applies, in some serial order", () => {
  // Found by this test: a PATCH setting a password hashed it outside the transaction and gave up after three
  // writes came in meanwhile, answering 409 "the user changed while this PATCH was applied; retry it".
  test("password changes at once: all 200, versions 2…N+1, the stored hash is the last one's", async () => {
    const u = await c.created("/Users", { userName: "password-race@example.com" });
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        c.send("PATCH", `/Users/${u.id}`, patchOp({ op: "replace", path: "password", value: `Serial-${i}-pw` }, { op: "replace", path: "title", value: `t${i}` })),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array<number>(N).fill(200));
    const versions = replies.map((r) => versionOf(r.headers.get("etag")));
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 2));
    const last = versions.indexOf(N + 1);
    const after = await c.send("GET", `/Users/${u.id}`);
    expect({ title: after.body.title, version: versionOf(after.headers.get("etag")) }).toEqual({ title: `t${last}`, version: N + 1 });
    expect(await Bun.password.verify(`Serial-${last}-pw`, storedHash(String(u.id))!)).toBe(true);
  });
});
