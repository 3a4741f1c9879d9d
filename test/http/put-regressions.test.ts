// Named regressions for bugs the POST/PUT differential test (put-differential.test.ts) found, one test each, with the
// text that decides them. A refused write must leave the database as it was.
import { beforeAll, expect, test } from "bun:test";
import { type Client, type Doc, expectScimError, GROUP, patchOp, setUp, snapshot } from "./client";

let c: Client;
let user: string;
let inner: string;

beforeAll(async () => {
  c = await setUp("put-regressions");
  user = String((await c.user({ userName: "ada@contoso.com" })).id);
  inner = String((await c.group({ displayName: "Inner" })).id);
});

// README: a member element "with a `type` other than User or Group ... is 400 invalidValue on POST, PUT and PATCH
// alike", and one whose type names the other kind is refused too (groups.test.ts). Naming the same id once more,
// earlier in the list and without a type (or with the right one, or in another case), makes the wrong claim no
// less wrong: the duplicate was dropped before its type was read, and the write went through.
test("a member named twice, the second time as the other kind → 400 invalidValue on POST, PUT and PATCH, nothing written", async () => {
  const g = String((await c.group({ displayName: "Twice" })).id);
  const before = snapshot(c.h);
  const lists: Doc[][] = [
    [{ value: user }, { value: user, type: "Group" }],
    [{ value: user, type: "User" }, { value: user.toUpperCase(), type: "group" }],
    [{ value: inner }, { value: inner, type: "User" }],
    [{ value: inner.toUpperCase() }, { value: inner, type: "user" }],
  ];
  for (const members of lists) {
    expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName: "Twice posted", members }), 400, "invalidValue");
    expectScimError(await c.put(`/Groups/${g}`, { schemas: [GROUP], displayName: "Twice", members }), 400, "invalidValue");
    expectScimError(await c.patch(`/Groups/${g}`, patchOp({ op: "add", path: "members", value: members })), 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
  }
  // The same member twice with the right type, or without one, is stored once, with the label of its first mention.
  const put = await c.put(`/Groups/${g}`, { schemas: [GROUP], displayName: "Twice", members: [{ value: user, display: "First" }, { value: user.toUpperCase(), type: "User", display: "Second" }, { value: inner }, { value: inner, type: "Group" }] });
  expect(put.status).toBe(200);
  expect((put.body.members as Doc[]).map((m) => [m.value, m.type, m.display]).sort()).toEqual([[user, "User", "First"], [inner, "Group", "Inner"]].sort() as never);
});

// RFC 9110 §13.2.2: preconditions are evaluated "before performing the action" and, per §13.2.1, before the content
// is processed; PATCH answered so already (404, then 412, then the body's 400). PUT read its body first, so a stale
// If-Match with a bad body was 400 and a bad body for an unknown id was 400 rather than 404.
test("PUT answers 404 before 412 before a bad body's 400, as PATCH does, for Users and Groups; nothing written", async () => {
  const u = await c.user({ userName: "order@contoso.com" });
  const g = await c.group({ displayName: "Order" });
  const before = snapshot(c.h);
  const stale = { "if-match": 'W/"stale"' };
  const badUser = { userName: 42 };
  const badGroup = { schemas: [GROUP], displayName: "Order", members: [{ value: user, type: "Role" }] };
  for (const [path, bad] of [[`/Users/${String(u.id)}`, badUser], [`/Groups/${String(g.id)}`, badGroup]] as const) {
    expectScimError(await c.put(path, bad), 400, "invalidValue");
    const res = await c.put(path, bad, stale);
    expect(res.status).toBe(412);
    const patched = await c.patch(path, patchOp({ op: "replace", path: "displayName", value: 42 }), stale);
    expect(patched.status).toBe(412);
  }
  for (const [path, bad] of [["/Users/no-such-user", badUser], ["/Groups/no-such-group", badGroup]] as const) {
    expect((await c.put(path, bad)).status).toBe(404);
    expect((await c.put(path, bad, stale)).status).toBe(404);
  }
  expect(snapshot(c.h)).toBe(before);
});
