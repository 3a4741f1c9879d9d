// RFC 7644 §3.14: a resource's version changes whenever what GET returns of it changes, including the
// attributes derived from other resources: a User's `groups` (RFC 7643 §4.1.2) and the `display` of a Group's
// members. Otherwise If-None-Match answers 304 with stale data and If-Match accepts a stale version.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, GROUP, patchOp, q, type Reply, setUp, USER } from "../http/client";

let c: Client;
beforeAll(async () => {
  c = await setUp();
});

let serial = 0;
const fresh = (prefix: string) => `${prefix}-${++serial}`;
const newUser = (extra: Doc = {}) => c.user({ userName: `${fresh("user")}@example.com`, ...extra });
const newGroup = (extra: Doc = {}) => c.group({ displayName: fresh("group"), ...extra });

/** The ETag header of a GET, checked against meta.version. */
async function etagOf(path: string): Promise<string> {
  const r = await c.get(path);
  expect(r.status).toBe(200);
  const etag = r.headers.get("etag")!;
  expect((r.body.meta as Doc).version).toBe(etag);
  return etag;
}

const addMembers = (group: Doc, ...ids: unknown[]) =>
  c.patch(`/Groups/${group.id}`, patchOp({ op: "Add", path: "members", value: ids.map((value) => ({ value })) }));
const removeMember = (group: Doc, id: unknown) => c.patch(`/Groups/${group.id}`, patchOp({ op: "Remove", path: `members[value eq "${id}"]` }));
const retitle = patchOp({ op: "Replace", path: "externalId", value: "changed" });

/** The old ETag no longer matches: a full answer to If-None-Match, 412 to If-Match, and the 412 wrote nothing. */
async function expectStale(path: string, old: string) {
  const read = await c.get(path, { "if-none-match": old });
  expect(read.status).toBe(200);
  const before = (await c.get(path)).text;
  expect((await c.patch(path, retitle, { "if-match": old })).status).toBe(412);
  expect((await c.get(path)).text).toBe(before);
}

describe("a User's ETag covers its groups", () => {
  test("a group adding the user, then removing it: a new ETag each time; the old one gets 200 and 412", async () => {
    const user = await newUser();
    const group = await newGroup();
    const path = `/Users/${user.id}`;
    const alone = await etagOf(path);

    expect((await addMembers(group, user.id)).status).toBe(204);
    const inGroup = await etagOf(path);
    expect(inGroup).not.toBe(alone);
    const stale = await c.get(path, { "if-none-match": alone });
    expect(stale.status).toBe(200);
    expect(stale.body.groups).toEqual([expect.objectContaining({ value: group.id, type: "direct" })]);
    expect((await c.patch(path, retitle, { "if-match": alone })).status).toBe(412);
    expect((await c.get(path, { "if-none-match": inGroup })).status).toBe(304);

    expect((await removeMember(group, user.id)).status).toBe(204);
    const out = await etagOf(path);
    expect(out).not.toBe(inGroup);
    const afterRemoval = await c.get(path, { "if-none-match": inGroup });
    expect(afterRemoval.status).toBe(200);
    expect(afterRemoval.body.groups).toBeUndefined();
    expect((await c.patch(path, retitle, { "if-match": inGroup })).status).toBe(412);
    // Back to the very representation `alone` named (no write touched the user), so `alone` names it again.
    expect(out).toBe(alone);
  });

  // Each way a user's `groups` changes without a write to the user: [what, setup → the change].
  const changes: [string, (user: Doc) => Promise<() => Promise<unknown>>][] = [
    ["POST /Groups with the user as a member", async (user) => () => newGroup({ members: [{ value: user.id }] })],
    [
      "PUT /Groups whose new member list holds the user",
      async (user) => {
        const group = await newGroup();
        return () => c.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: group.displayName, members: [{ value: user.id }] });
      },
    ],
    [
      "PUT /Groups whose new member list leaves the user out",
      async (user) => {
        const group = await newGroup({ members: [{ value: user.id }] });
        return () => c.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: group.displayName, members: [] });
      },
    ],
    [
      "PATCH removing every member (no path filter)",
      async (user) => {
        const group = await newGroup({ members: [{ value: user.id }] });
        return () => c.patch(`/Groups/${group.id}`, patchOp({ op: "Remove", path: "members" }));
      },
    ],
    [
      "DELETE of a group it is in",
      async (user) => {
        const group = await newGroup({ members: [{ value: user.id }] });
        return () => c.del(`/Groups/${group.id}`);
      },
    ],
    [
      "/Bulk PATCH adding the user",
      async (user) => {
        const group = await newGroup();
        const op = { method: "PATCH", path: `/Groups/${group.id}`, data: patchOp({ op: "add", path: "members", value: [{ value: user.id }] }) };
        return () => c.post("/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [op] });
      },
    ],
    [
      "a rename of a group it is in (groups[].display)",
      async (user) => {
        const group = await newGroup({ members: [{ value: user.id }] });
        return () => c.patch(`/Groups/${group.id}`, patchOp({ op: "Replace", path: "displayName", value: fresh("renamed") }));
      },
    ],
    [
      "its group nested in another (an indirect group)",
      async (user) => {
        const inner = await newGroup({ members: [{ value: user.id }] });
        const outer = await newGroup();
        return () => addMembers(outer, inner.id);
      },
    ],
    [
      "the nesting undone",
      async (user) => {
        const inner = await newGroup({ members: [{ value: user.id }] });
        const outer = await newGroup({ members: [{ value: inner.id, type: "Group" }] });
        return () => removeMember(outer, inner.id);
      },
    ],
  ];

  test.each(changes)("%s → a new ETag; the old one is stale", async (_, setup) => {
    const user = await newUser();
    const change = await setup(user);
    const path = `/Users/${user.id}`;
    const before = await etagOf(path);
    const body = (await c.get(path)).text;
    await change();
    const after = await c.get(path);
    expect(after.text).not.toBe(body); // the change is observable, so the version must move
    expect(await etagOf(path)).not.toBe(before);
    await expectStale(path, before);
  });

  test("one ETag whatever the projection, and the same in lists, .search, PATCH and PUT answers", async () => {
    const user = await newUser();
    await newGroup({ members: [{ value: user.id }] });
    const path = `/Users/${user.id}`;
    const etag = await etagOf(path);
    expect(etag).toMatch(/^W\/"1-[0-9a-z]+"$/);
    for (const projection of ["?attributes=userName", "?excludedAttributes=groups", "?attributes=groups"]) {
      expect((await c.get(`${path}${projection}`)).headers.get("etag")).toBe(etag);
      expect((await c.get(`${path}${projection}`, { "if-none-match": etag })).status).toBe(304);
    }
    const listed = await c.get(`/Users?filter=${q(`userName eq "${user.userName}"`)}&attributes=userName,meta`);
    expect(((listed.body.Resources as Doc[])[0].meta as Doc).version).toBe(etag);
    const searched = await c.post("/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: `userName eq "${user.userName}"` });
    expect(((searched.body.Resources as Doc[])[0].meta as Doc).version).toBe(etag);

    const patched = await c.patch(path, patchOp({ op: "Replace", path: "title", value: "t" }), { "if-match": etag });
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toBe((patched.body.meta as Doc).version as string);
    expect(await etagOf(path)).toBe(patched.headers.get("etag")!);
    const put = await c.put(path, { schemas: [USER], userName: user.userName }, { "if-match": patched.headers.get("etag")! });
    expect(put.status).toBe(200);
    expect(await etagOf(path)).toBe(put.headers.get("etag")!);
  });
});

describe("a Group's ETag covers its members' names (members[].display)", () => {
  // [what, the member, the rename]
  const renames: [string, () => Promise<Doc>, (member: Doc) => Promise<Reply>][] = [
    ["a user's displayName, by PATCH", () => newUser({ displayName: "Before" }), (u) => c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "displayName", value: "After" }))],
    ["a user's displayName, by PUT", () => newUser({ displayName: "Before" }), (u) => c.put(`/Users/${u.id}`, { schemas: [USER], userName: u.userName, displayName: "After" })],
    ["the userName of a user with no displayName", () => newUser(), (u) => c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "userName", value: fresh("renamed") }))],
    ["a member group's displayName, by PATCH", () => newGroup(), (g) => c.patch(`/Groups/${g.id}`, patchOp({ op: "Replace", path: "displayName", value: fresh("renamed") }))],
    ["a member group's displayName, by PUT", () => newGroup(), (g) => c.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: fresh("renamed") })],
  ];

  test.each(renames)("renaming %s → the group's new version; the old one is stale", async (_, makeMember, rename) => {
    const member = await makeMember();
    const group = await newGroup({ members: [{ value: member.id }] });
    const path = `/Groups/${group.id}`;
    const before = await etagOf(path);
    const shown = ((await c.get(path)).body.members as Doc[])[0].display;
    expect([200, 204]).toContain((await rename(member)).status);
    expect(((await c.get(path)).body.members as Doc[])[0].display).not.toBe(shown);
    expect(await etagOf(path)).not.toBe(before);
    await expectStale(path, before);
  });
});

describe("nothing observable changed → no new version", () => {
  test("re-adding an existing member, or removing a non-member: the group's and the user's ETags stay", async () => {
    const user = await newUser();
    const other = await newUser();
    const group = await newGroup({ members: [{ value: user.id }] });
    const groupEtag = await etagOf(`/Groups/${group.id}`);
    const userEtag = await etagOf(`/Users/${user.id}`);
    const again = await addMembers(group, user.id);
    expect(again.status).toBe(204);
    expect(again.headers.get("etag")).toBe(groupEtag);
    expect((await removeMember(group, other.id)).headers.get("etag")).toBe(groupEtag);
    expect(await etagOf(`/Groups/${group.id}`)).toBe(groupEtag);
    expect((await c.get(`/Users/${user.id}`, { "if-none-match": userEtag })).status).toBe(304);
    expect((await c.get(`/Users/${other.id}`)).headers.get("etag")).toBe('W/"1"');
  });

  // [what, the member, a write to it that leaves the group's members as GET shows them]
  const unseen: [string, () => Promise<Doc>, (member: Doc) => Promise<Reply>][] = [
    ["a user attribute other than its names", () => newUser(), (u) => c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "title", value: "Boss" }))],
    ["the userName of a user shown by its displayName", () => newUser({ displayName: "Shown" }), (u) => c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "userName", value: fresh("renamed") }))],
    ["a displayName re-asserted with the same value", () => newUser({ displayName: "Same" }), (u) => c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "displayName", value: "Same" }))],
    ["a member group's externalId", () => newGroup(), (g) => c.patch(`/Groups/${g.id}`, retitle)],
  ];

  test.each(unseen)("%s → the group keeps its version", async (_, makeMember, write) => {
    const member = await makeMember();
    const group = await newGroup({ members: [{ value: member.id }] });
    const before = await etagOf(`/Groups/${group.id}`);
    expect([200, 204]).toContain((await write(member)).status);
    expect(await etagOf(`/Groups/${group.id}`)).toBe(before);
  });

  test("renaming a member whose display the client gave: the group still shows that display, same version", async () => {
    const user = await newUser({ displayName: "Before" });
    const group = await newGroup();
    await c.patch(`/Groups/${group.id}`, patchOp({ op: "Add", path: "members", value: [{ value: user.id, display: "Given" }] }));
    const before = await etagOf(`/Groups/${group.id}`);
    expect((await c.patch(`/Users/${user.id}`, patchOp({ op: "Replace", path: "displayName", value: "After" }))).status).toBe(200);
    expect(((await c.get(`/Groups/${group.id}`)).body.members as Doc[])[0].display).toBe("Given");
    expect(await etagOf(`/Groups/${group.id}`)).toBe(before);
  });
});
