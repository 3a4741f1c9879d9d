// RFC 7644 §3.14: a Group's version (meta.version, ETag) and lastModified move when the group does, and a PATCH
// whose member operations cancel out changes nothing: add-then-remove, remove-then-re-add, Entra's value-list
// remove followed by the re-add. Each member's ETag (its `groups`) stays too. A real change still moves them.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, patchOp, setUp } from "./client";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

let c: Client;
beforeAll(async () => {
  c = await setUp();
});

let serial = 0;
const newUser = () => c.user({ userName: `net-${++serial}@example.com` });
const newGroup = (members: Doc[] = []) =>
  c.group({ displayName: `net-group-${++serial}`, members: members.map((m) => ({ value: m.id })) });
const refs = (...users: Doc[]) => users.map((u) => ({ value: u.id }));

interface Seen {
  version: string;
  lastModified: string;
  members: string[];
}

async function seen(path: string): Promise<Seen> {
  const r = await c.get(path);
  expect(r.status).toBe(200);
  const meta = r.body.meta as Doc;
  expect(r.headers.get("etag")).toBe(meta.version as string);
  const members = ((r.body.members ?? []) as Doc[]).map((m) => `${m.value}:${m.display}`).sort();
  return { version: meta.version as string, lastModified: meta.lastModified as string, members };
}

/** Sends `ops` as one PATCH; the group, and each user's ETag, must be as before it. */
async function expectNoChange(group: Doc, users: Doc[], ...ops: unknown[]) {
  const path = `/Groups/${group.id}`;
  const before = await seen(path);
  const userEtags = await Promise.all(users.map(async (u) => (await c.get(`/Users/${u.id}`)).headers.get("etag")));
  await Bun.sleep(2);
  const r = await c.patch(path, patchOp(...ops));
  expect(r.status).toBe(204);
  expect(r.headers.get("etag")).toBe(before.version);
  expect(await seen(path)).toEqual(before);
  expect(await Promise.all(users.map(async (u) => (await c.get(`/Users/${u.id}`)).headers.get("etag")))).toEqual(userEtags);
}

/** Sends `ops` as one PATCH; the group's version and lastModified must move. */
async function expectChange(group: Doc, ...ops: unknown[]) {
  const path = `/Groups/${group.id}`;
  const before = await seen(path);
  await Bun.sleep(2);
  const r = await c.patch(path, patchOp(...ops));
  expect(r.status).toBe(204);
  const after = await seen(path);
  expect(r.headers.get("etag")).toBe(after.version);
  expect(after.version).not.toBe(before.version);
  expect(after.lastModified).not.toBe(before.lastModified);
}

describe("PATCH /Groups whose member operations cancel out keeps the version", () => {
  test("on an empty group: add u1, then replace members with []", async () => {
    const u1 = await newUser();
    await expectNoChange(await newGroup(), [u1], { op: "add", path: "members", value: refs(u1) }, { op: "replace", path: "members", value: [] });
  });

  test("add u1, then remove members[value eq u1]", async () => {
    const u1 = await newUser();
    const other = await newUser();
    const group = await newGroup([other]);
    await expectNoChange(group, [u1, other], { op: "add", path: "members", value: refs(u1) }, { op: "remove", path: `members[value eq "${u1.id}"]` });
  });

  test("remove a member, then add it back", async () => {
    const u1 = await newUser();
    const group = await newGroup([u1]);
    await expectNoChange(group, [u1], { op: "remove", path: `members[value eq "${u1.id}"]` }, { op: "add", path: "members", value: refs(u1) });
  });

  test("Entra's default dialect: remove with a value list, then the re-add", async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    const group = await newGroup([u1, u2]);
    await expectNoChange(
      group,
      [u1, u2],
      { op: "Remove", path: "members", value: refs(u1, u2) },
      { op: "Add", path: "members", value: refs(u1, u2) },
    );
  });

  test("remove all members, then add the same ones back; and a filtered remove undone by an add", async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    const group = await newGroup([u1, u2]);
    await expectNoChange(group, [u1, u2], { op: "remove", path: "members" }, { op: "add", path: "members", value: refs(u2, u1) });
    await expectNoChange(group, [u1, u2], { op: "remove", path: `members[value sw "${u1.id}"]` }, { op: "add", path: "members", value: refs(u1) });
  });

  test("twenty members added in one chunk, then all removed by replace", async () => {
    const users = await Promise.all(Array.from({ length: 20 }, newUser));
    await expectNoChange(await newGroup(), users, { op: "add", path: "members", value: refs(...users) }, { op: "replace", path: "members", value: [] });
  });

  test("a label set by one replace and taken back by the next", async () => {
    const u1 = await newUser();
    const group = await newGroup([u1]);
    await expectNoChange(
      group,
      [u1],
      { op: "replace", path: "members", value: [{ value: u1.id, display: "Temporary" }] },
      { op: "replace", path: "members", value: refs(u1) },
    );
  });
});

describe("a PATCH whose members end up different still moves the version", () => {
  test("add two, remove one", async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    await expectChange(await newGroup(), { op: "add", path: "members", value: refs(u1, u2) }, { op: "remove", path: `members[value eq "${u1.id}"]` });
  });

  test("a labelled member removed and added back without its label shows another display", async () => {
    const u1 = await newUser();
    const group = await newGroup();
    expect((await c.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: u1.id, display: "Label" }] }))).status).toBe(204);
    await expectChange(group, { op: "remove", path: `members[value eq "${u1.id}"]` }, { op: "add", path: "members", value: refs(u1) });
    expect((await seen(`/Groups/${group.id}`)).members).toEqual([`${u1.id}:${u1.userName}`]);
  });

  test("members that cancel out alongside a new displayName", async () => {
    const u1 = await newUser();
    await expectChange(
      await newGroup(),
      { op: "add", path: "members", value: refs(u1) },
      { op: "replace", path: "displayName", value: `renamed-${++serial}` },
      { op: "remove", path: `members[value eq "${u1.id}"]` },
    );
  });
});

describe("through /Bulk and PUT", () => {
  test("a /Bulk PATCH whose member operations cancel out answers and keeps the same version", async () => {
    const u1 = await newUser();
    const group = await newGroup();
    const path = `/Groups/${group.id}`;
    const before = await seen(path);
    const ops = [
      { op: "add", path: "members", value: refs(u1) },
      { op: "remove", path: `members[value eq "${u1.id}"]` },
    ];
    const r = await c.post("/Bulk", { schemas: [BULK], Operations: [{ method: "PATCH", path, data: patchOp(...ops) }] });
    expect(r.status).toBe(200);
    const [answer] = r.body.Operations as Doc[];
    expect(answer?.status).toBe("200");
    expect(answer?.version).toBe(before.version);
    expect(await seen(path)).toEqual(before);
  });

  test("a PUT naming the same members, in another order, keeps the version", async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    const group = await newGroup([u1, u2]);
    const path = `/Groups/${group.id}`;
    const before = await seen(path);
    await Bun.sleep(2);
    const r = await c.put(path, { schemas: group.schemas, displayName: group.displayName, members: refs(u2, u1) });
    expect(r.status).toBe(200);
    expect(await seen(path)).toEqual(before);
  });
});
