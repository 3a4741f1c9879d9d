// /Groups over HTTP (RFC 7644 §3.2–§3.6, RFC 7643 §4.2) on the real stack; members live in their own table.
import { beforeAll, describe, expect, test } from "bun:test";
import { AD_GROUP, type Client, client, type Doc, expectScimError, GROUP, idsOf, LIST, patchOp, q, resources, setUp, snapshot, USER } from "./client";

let c: Client;
let alice: Doc;
let bob: Doc;

beforeAll(async () => {
  c = await setUp();
  alice = await c.user({ userName: "alice@example.com", displayName: "Alice A" });
  bob = await c.user({ userName: "bob@example.com" });
});

const base = () => `http://scimd.test${c.tenant.url}`;
const memberOf = (u: Doc, display: string, type = "User") => ({
  value: u.id,
  $ref: `${base()}/${type}s/${u.id}`,
  display,
  type,
});
const sortByValue = (members: unknown) => [...((members ?? []) as Doc[])].sort((a, b) => String(a.value).localeCompare(String(b.value)));

describe("POST /Groups (RFC 7644 §3.3, RFC 7643 §4.2)", () => {
  test("201 with displayName, externalId and members (users and a nested group), Location and ETag", async () => {
    const inner = await c.group({ displayName: "Inner" });
    const r = await c.post("/Groups", {
      schemas: [GROUP],
      displayName: "Engineering",
      externalId: "eng-ext",
      members: [{ value: alice.id }, { value: bob.id, type: "User" }, { value: inner.id, type: "Group" }],
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("content-type")).toStartWith("application/scim+json");
    expect(r.body).toMatchObject({ schemas: [GROUP], displayName: "Engineering", externalId: "eng-ext" });
    expect(sortByValue(r.body.members)).toEqual(
      sortByValue([memberOf(alice, "Alice A"), memberOf(bob, "bob@example.com"), memberOf(inner, "Inner", "Group")]),
    );
    const meta = r.body.meta as Doc;
    expect(meta).toMatchObject({ resourceType: "Group", location: `${base()}/Groups/${r.body.id}`, version: 'W/"1"' });
    expect(r.headers.get("location")).toBe(String(meta.location));
    expect(r.headers.get("etag")).toBe('W/"1"');
    expect((await c.get(`/Groups/${r.body.id}`)).body).toEqual(r.body);
  });

  test("members naming no resource of this tenant are skipped; a duplicate member is stored once", async () => {
    const r = await c.post("/Groups", {
      schemas: [GROUP],
      displayName: "with ghosts",
      members: [{ value: crypto.randomUUID() }, { value: alice.id }, { value: alice.id }],
    });
    expect(r.status).toBe(201);
    expect(r.body.members).toEqual([memberOf(alice, "Alice A")]);
  });

  test("a member's display follows the member's name when the client sends none", async () => {
    const u = await c.user({ userName: "renamed@example.com", displayName: "Before" });
    const g = await c.group({ displayName: "display follows", members: [{ value: u.id }] });
    expect(g.members).toEqual([memberOf(u, "Before")]);
    await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "displayName", value: "After" }));
    expect((await c.get(`/Groups/${g.id}`)).body.members).toEqual([memberOf(u, "After")]);
  });

  // members.display is immutable (RFC 7643 §2.4, and so /Schemas declares it): POST, PUT and PATCH alike keep a
  // label the client gives with a member, even after the member is renamed (unless the label is the member's
  // name, test above); a member added without one shows its own name. PATCH cannot change a member's label (members.display → invalidPath, members.test.ts).
  // A display that is the member's name when it is given is no label: GET-edit-PUT round trips and Okta's adds
  // (which send each member's name) would otherwise freeze the name a renamed member goes on showing.
  test("a display equal to the member's current name is no label: after a GET-then-PUT or such an add, renames show", async () => {
    const u = await c.user({ userName: "roundtrip@example.com", displayName: "Old Name" });
    const w = await c.user({ userName: "okta-added@example.com" });
    const g = await c.group({ displayName: "round trip", members: [{ value: u.id }] });
    const read = (await c.get(`/Groups/${g.id}`)).body;
    expect((read.members as Doc[])[0].display).toBe("Old Name");
    expect((await c.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: "round trip", members: read.members })).status).toBe(200);
    const add = patchOp({ op: "add", path: "members", value: [{ value: w.id, display: "okta-added@example.com" }] });
    expect((await c.patch(`/Groups/${g.id}`, add)).status).toBe(204);
    const before = (await c.get(`/Groups/${g.id}`)).headers.get("etag")!;
    await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "displayName", value: "New Name" }));
    await c.patch(`/Users/${w.id}`, patchOp({ op: "replace", path: "userName", value: "renamed@okta.example" }));
    const after = await c.get(`/Groups/${g.id}`);
    expect(after.headers.get("etag")).not.toBe(before);
    const shown = Object.fromEntries((after.body.members as Doc[]).map((m) => [m.value, m.display]));
    expect(shown).toEqual({ [String(u.id)]: "New Name", [String(w.id)]: "renamed@okta.example" });
  });

  test("RFC 7643 §2.4: members.display is immutable — a label given when adding is kept; without one the member's name shows", async () => {
    const u = await c.user({ userName: "labelled@example.com", displayName: "Real Name" });
    const v = await c.user({ userName: "plain@example.com", displayName: "Plain Name" });
    const g = await c.group({ displayName: "labels" });
    await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: u.id, display: "label from PATCH" }, { value: v.id }] }));
    await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "displayName", value: "Renamed" }));
    const members = (await c.get(`/Groups/${g.id}`)).body.members as { value: string; display: string }[];
    expect(members.find((m) => m.value === u.id)?.display).toBe("label from PATCH");
    expect(members.find((m) => m.value === v.id)?.display).toBe("Plain Name");
    const posted = await c.post("/Groups", { schemas: [GROUP], displayName: "posted", members: [{ value: v.id, display: "given on POST" }] });
    expect((posted.body.members as { display: string }[])[0].display).toBe("given on POST");
    const put = await c.put(`/Groups/${posted.body.id}`, { schemas: [GROUP], displayName: "posted", members: [{ value: u.id, display: "given on PUT" }] });
    expect((put.body.members as { display: string }[])[0].display).toBe("given on PUT");
  });

  test("Entra's ADSCIM schema URN is accepted and not echoed as an attribute", async () => {
    const r = await c.post("/Groups", { schemas: [GROUP, AD_GROUP], displayName: "adscim", externalId: "x" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ displayName: "adscim", externalId: "x" });
  });

  test("displayNames that differ only in case beyond ASCII (ΟΜΑΔΕΣ, ομαδεσ) → 409 uniqueness; filters find either", async () => {
    const g = await c.group({ displayName: "ΟΜΑΔΕΣ" });
    expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName: "ομαδεσ" }), 409, "uniqueness");
    expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName: "Ομαδες" }), 409, "uniqueness");
    for (const name of ["ομαδεσ", "ομαδες", "ΟΜΑΔΕΣ"]) {
      const found = await c.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&excludedAttributes=members`);
      expect((found.body.Resources as Doc[]).map((r) => r.id)).toEqual([g.id]);
    }
  });

  test("displayName is unique case-insensitively → 409 uniqueness on POST, PUT and PATCH, nothing written", async () => {
    await c.group({ displayName: "Sales Team" });
    const other = await c.group({ displayName: "Marketing" });
    const before = snapshot(c.h);
    for (const displayName of ["Sales Team", "sales team", "SALES TEAM"]) {
      expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName }), 409, "uniqueness");
    }
    expectScimError(await c.put(`/Groups/${other.id}`, { schemas: [GROUP], displayName: "SALES team" }), 409, "uniqueness");
    expectScimError(await c.patch(`/Groups/${other.id}`, patchOp({ op: "replace", path: "displayName", value: "Sales TEAM" })), 409, "uniqueness");
    expect(snapshot(c.h)).toBe(before);
  });

  test("readOnly id and meta in the body are ignored", async () => {
    const r = await c.post("/Groups", { schemas: [GROUP], id: "mine", displayName: "ro", meta: { version: 'W/"7"' } });
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe("mine");
    expect((r.body.meta as Doc).version).toBe('W/"1"');
  });

  test("a group cannot be its own member (PATCH) → 400, nothing written", async () => {
    const g = await c.group({ displayName: "selfish" });
    const before = snapshot(c.h);
    const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: g.id }] }));
    expectScimError(r, 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
  });

  test("PATCH add members: new users, a member already there, a group, unknown and other tenants' ids in one request", async () => {
    const g = await c.group({ displayName: "mixed adds", members: [{ value: alice.id }] });
    const inner = await c.group({ displayName: "mixed inner" });
    const other = client(c.h, await c.h.newTenant("Other"));
    const stranger = await other.user({ userName: "stranger@example.com" });
    const value = [{ value: bob.id }, { value: alice.id }, { value: inner.id }, { value: crypto.randomUUID() }, { value: stranger.id }];
    const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value }));
    expect(r.status).toBe(204);
    const members = (await c.get(`/Groups/${g.id}`)).body.members as Doc[];
    expect(members.map((m) => [m.value, m.type]).sort()).toEqual(
      [[alice.id, "User"], [bob.id, "User"], [inner.id, "Group"]].sort() as never,
    );
  });

  test("PATCH add members whose type names the other kind → 400 invalidValue, nothing written", async () => {
    const g = await c.group({ displayName: "typed adds" });
    const inner = await c.group({ displayName: "typed inner" });
    const before = snapshot(c.h);
    for (const member of [{ value: bob.id, type: "Group" }, { value: inner.id, type: "User" }]) {
      const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: alice.id }, member] }));
      expectScimError(r, 400, "invalidValue");
      expect(snapshot(c.h)).toBe(before);
    }
  });

  // canonicalValues User and Group (RFC 7643 §8.7.1), read in any case as PATCH reads them (member-ops.ts).
  test("POST and PUT members whose type names the other kind, in any case, or neither kind → 400 invalidValue, nothing written", async () => {
    const g = await c.group({ displayName: "typed body", members: [{ value: alice.id }] });
    const inner = await c.group({ displayName: "typed body inner" });
    const before = snapshot(c.h);
    for (const member of [{ value: bob.id, type: "group" }, { value: inner.id, type: "user" }, { value: bob.id, type: "Person" }]) {
      expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName: "typed body post", members: [member] }), 400, "invalidValue");
      expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: "typed body", members: [member] }), 400, "invalidValue");
      expect(snapshot(c.h)).toBe(before);
    }
    const posted = await c.post("/Groups", { schemas: [GROUP], displayName: "typed body ok", members: [{ value: bob.id, type: "user" }, { value: inner.id, type: "GROUP" }] });
    expect(posted.status).toBe(201);
    expect((posted.body.members as Doc[]).map((m) => [m.value, m.type]).sort()).toEqual([[bob.id, "User"], [inner.id, "Group"]].sort() as never);
  });

  // Eight members or more go in chunks of 100 users per statement; these cases hold that path to the same answers.
  test("PATCH add of 250 users in one operation: all become members, once", async () => {
    const users = await Promise.all(Array.from({ length: 250 }, (_, i) => c.user({ userName: `bulk-add-${i}@example.com` })));
    const g = await c.group({ displayName: "bulk adds" });
    const value = users.map((u) => ({ value: u.id }));
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value }))).status).toBe(204);
    const version = (await c.get(`/Groups/${g.id}`)).body.meta as Doc;
    const members = (await c.get(`/Groups/${g.id}`)).body.members as Doc[];
    expect(members.map((m) => m.value).sort()).toEqual(users.map((u) => String(u.id)).sort());
    // Adding them all again changes nothing, not even the version (RFC 7644 §3.14).
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value }))).status).toBe(204);
    expect(((await c.get(`/Groups/${g.id}`)).body.meta as Doc).version).toBe(version.version);
  });

  test("PATCH add of many members mixing new users, members, groups, displays, duplicates, unknown and other tenants' ids", async () => {
    const fresh = await Promise.all(Array.from({ length: 10 }, (_, i) => c.user({ userName: `mixed-many-${i}@example.com` })));
    const g = await c.group({ displayName: "mixed many", members: [{ value: alice.id }] });
    const inner = await c.group({ displayName: "mixed many inner" });
    const stranger = await client(c.h, await c.h.newTenant("Other many")).user({ userName: "stranger-many@example.com" });
    const value = [
      ...fresh.slice(0, 5).map((u) => ({ value: u.id })),
      { value: alice.id },
      { value: inner.id },
      { value: crypto.randomUUID() },
      { value: stranger.id },
      { value: fresh[0]?.id },
      { value: bob.id, display: "Bobby" },
      ...fresh.slice(5).map((u) => ({ value: u.id, type: "User" })),
    ];
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value }))).status).toBe(204);
    const members = (await c.get(`/Groups/${g.id}`)).body.members as Doc[];
    const expected = [[alice.id, "User"], [bob.id, "User"], [inner.id, "Group"], ...fresh.map((u) => [u.id, "User"])];
    expect(members.map((m) => [m.value, m.type]).sort()).toEqual(expected.sort() as never);
    expect(members.find((m) => m.value === bob.id)?.display).toBe("Bobby");
  });

  test("PATCH add of many members with a display each (Okta's shape): all join with their display, the first mention wins", async () => {
    const users = await Promise.all(Array.from({ length: 120 }, (_, i) => c.user({ userName: `shown-${i}@example.com` })));
    const plain = await c.user({ userName: "shown-plain@example.com" });
    const g = await c.group({ displayName: "shown adds", members: [{ value: users[0]?.id }] });
    const value = [
      ...users.slice(0, 2).map((u, i) => ({ value: u.id, display: `Shown ${i}` })),
      { value: plain.id }, // no display of its own: it shows the user's name, not a neighbour's display
      ...users.slice(2).map((u, i) => ({ value: u.id, display: `Shown ${i + 2}` })),
      { value: users[1]?.id, display: "Second mention" },
      { value: crypto.randomUUID(), display: "Nobody" },
    ];
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value }))).status).toBe(204);
    const members = (await c.get(`/Groups/${g.id}`)).body.members as Doc[];
    expect(members.map((m) => m.value).sort()).toEqual([...users, plain].map((u) => String(u.id)).sort());
    const shown = new Map(members.map((m) => [m.value, m.display]));
    // users[0] was a member already, with no display given: adding it again changes nothing.
    expect([shown.get(users[1]?.id), shown.get(plain.id), shown.get(users[119]?.id)]).toEqual(["Shown 1", "shown-plain@example.com", "Shown 119"]);
    const version = ((await c.get(`/Groups/${g.id}`)).body.meta as Doc).version;
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value }))).status).toBe(204);
    expect(((await c.get(`/Groups/${g.id}`)).body.meta as Doc).version).toBe(version);
    // A POST body's members are taken as they come, duplicates included: the first mention still wins.
    const posted = await c.group({ displayName: "shown post", members: value.slice(0, 9).concat([{ value: users[2]?.id, display: "Again" }]) });
    const postedShown = new Map(((await c.get(`/Groups/${posted.id}`)).body.members as Doc[]).map((m) => [m.value, m.display]));
    expect([postedShown.size, postedShown.get(users[2]?.id)]).toEqual([9, "Shown 2"]);
  });

  test("PATCH add of many members where one names a group as a User → 400 invalidValue, nothing written", async () => {
    const fresh = await Promise.all(Array.from({ length: 9 }, (_, i) => c.user({ userName: `typed-many-${i}@example.com` })));
    const g = await c.group({ displayName: "typed many" });
    const inner = await c.group({ displayName: "typed many inner" });
    const before = snapshot(c.h);
    const value = [...fresh.map((u) => ({ value: u.id })), { value: inner.id, type: "User" }];
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value })), 400, "invalidValue");
    const self = [...fresh.map((u) => ({ value: u.id })), { value: g.id }];
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: self })), 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
  });

  test("PATCH add of many members naming a group that is a member already as a User → 400 invalidValue, nothing written", async () => {
    const fresh = await Promise.all(Array.from({ length: 9 }, (_, i) => c.user({ userName: `typed-again-${i}@example.com` })));
    const inner = await c.group({ displayName: "typed again inner" });
    const g = await c.group({ displayName: "typed again", members: [{ value: inner.id }, ...fresh.slice(0, 3).map((u) => ({ value: u.id }))] });
    const before = snapshot(c.h);
    const value = [...fresh.map((u) => ({ value: u.id })), { value: inner.id, type: "User" }];
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value })), 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
  });

  test("application/json bodies are accepted; text/plain → 415", async () => {
    const r = await c.post("/Groups", { schemas: [GROUP], displayName: "json" }, { "content-type": "application/json" });
    expect(r.status).toBe(201);
    const before = snapshot(c.h);
    expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName: "plain" }, { "content-type": "text/plain" }), 415, "invalidSyntax");
    expectScimError(await c.patch(`/Groups/${r.body.id}`, patchOp({ op: "replace", path: "displayName", value: "p" }), { "content-type": "text/plain" }), 415, "invalidSyntax");
    expectScimError(await c.put(`/Groups/${r.body.id}`, { schemas: [GROUP], displayName: "p" }, { "content-type": "text/plain" }), 415, "invalidSyntax");
    expect(snapshot(c.h)).toBe(before);
  });
});

describe("GET /Groups and /Groups/{id} (RFC 7644 §3.4)", () => {
  let g: Client;
  let ids: string[];
  beforeAll(async () => {
    g = await setUp("group-list");
    const u = await g.user({ userName: "m@example.com" });
    ids = [];
    for (const name of ["Ops", "dev", "QA", "Support", "Finance"]) {
      ids.push(String((await g.group({ displayName: name, externalId: `x-${name}`, members: name === "QA" ? [{ value: u.id }] : [] })).id));
    }
  });

  test("ListResponse with exact totalResults; pages cover every group once", async () => {
    const all = await g.get("/Groups");
    expect(all.body).toMatchObject({ schemas: [LIST], totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    const page1 = await g.get("/Groups?startIndex=1&count=2");
    const page2 = await g.get("/Groups?startIndex=3&count=2");
    const page3 = await g.get("/Groups?startIndex=5&count=2");
    expect([page1, page2, page3].map((p) => p.body.itemsPerPage)).toEqual([2, 2, 1]);
    expect([...idsOf(page1.body), ...idsOf(page2.body), ...idsOf(page3.body)]).toEqual(idsOf(all.body));
    expect(idsOf(all.body).sort()).toEqual([...ids].sort());
    expect((await g.get("/Groups?count=0")).body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
  });

  test.each([
    ['displayName eq "ops"', ["Ops"]],
    ['displayName eq "DEV"', ["dev"]],
    ['externalId eq "x-QA"', ["QA"]],
    ['externalId eq "x-qa"', []],
    ['displayName sw "s"', ["Support"]],
    ['displayName eq "Ops" or displayName eq "Finance"', ["Ops", "Finance"]],
  ])("filter %s", async (filter, names) => {
    const r = await g.get(`/Groups?filter=${q(filter)}&excludedAttributes=members`);
    expect(r.status).toBe(200);
    expect(resources(r.body).map((x) => x.displayName).sort()).toEqual([...names].sort());
    expect(r.body.totalResults).toBe(names.length);
  });

  test("filter members.value eq <user id> finds the groups the user is in", async () => {
    const qa = (await g.get(`/Groups/${ids[2]}`)).body;
    const member = (qa.members as Doc[])[0].value;
    const r = await g.get(`/Groups?filter=${q(`members.value eq "${member}"`)}`);
    expect(resources(r.body).map((x) => x.displayName)).toEqual(["QA"]);
  });

  test("attributes=displayName returns id, schemas and displayName only, on GET, list and POST", async () => {
    const r = await g.get(`/Groups/${ids[2]}?attributes=displayName`);
    expect(r.body).toEqual({ schemas: [GROUP], id: ids[2], displayName: "QA" });
    const list = await g.get(`/Groups?attributes=displayName&filter=${q('displayName eq "QA"')}`);
    expect(resources(list.body)).toEqual([{ schemas: [GROUP], id: ids[2], displayName: "QA" }]);
    const posted = await g.post("/Groups?attributes=displayName", { schemas: [GROUP], displayName: "Projected", externalId: "p" });
    expect(posted.status).toBe(201);
    expect(posted.body).toEqual({ schemas: [GROUP], id: posted.body.id, displayName: "Projected" });
    const excluded = await g.post("/Groups?excludedAttributes=externalId,meta", { schemas: [GROUP], displayName: "Projected 2", externalId: "p" });
    expect(excluded.body).toEqual({ schemas: [GROUP], id: excluded.body.id, displayName: "Projected 2" });
    await g.del(`/Groups/${posted.body.id}`);
    await g.del(`/Groups/${excluded.body.id}`);
  });

  test("unknown id, or a user's id → 404", async () => {
    expectScimError(await g.get(`/Groups/${crypto.randomUUID()}`), 404);
    expectScimError(await c.get(`/Groups/${alice.id}`), 404);
  });
});

describe("excludedAttributes=members (entra.md §6: never read the member list)", () => {
  let big: Client;
  let groupId: string;
  const N = 20_000;
  beforeAll(async () => {
    big = await setUp("big-group");
    // Fixture users written straight to the table (creating 20,000 over HTTP would take seconds);
    // the members then go in through the real PATCH, all in one request.
    const db = big.h.services.db;
    const now = new Date().toISOString();
    const insert = db.query(
      `INSERT INTO users (tenant_id, id, user_name, user_name_key, data, created, last_modified)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const id = crypto.randomUUID();
        ids.push(id);
        insert.run(big.tenant.id, id, `m${i}`, `m${i}`, JSON.stringify({ schemas: [USER], userName: `m${i}` }), now, now);
      }
    })();
    groupId = String((await big.group({ displayName: "Everyone" })).id);
    const r = await big.patch(`/Groups/${groupId}`, patchOp({ op: "Add", path: "members", value: ids.map((value) => ({ $ref: null, value })) }));
    expect(r.status).toBe(204);
  });

  /** Runs `check` while the membership table is out of reach: any read of it fails the request. */
  async function withoutMembershipTable(check: () => Promise<void>) {
    const db = big.h.services.db;
    db.run("ALTER TABLE group_members RENAME TO group_members_hidden");
    try {
      await check();
    } finally {
      db.run("ALTER TABLE group_members_hidden RENAME TO group_members");
    }
  }

  test("all 20,000 members are there when not excluded", async () => {
    const r = await big.get(`/Groups/${groupId}`);
    expect((r.body.members as Doc[]).length).toBe(N);
  });

  test("excluded → absent from GET by id and from the Entra probe, and group_members is never read", async () => {
    const probe = `/Groups?excludedAttributes=members&filter=${q('displayName eq "everyone"')}`;
    await withoutMembershipTable(async () => {
      const byId = await big.get(`/Groups/${groupId}?excludedAttributes=members`);
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject({ id: groupId, displayName: "Everyone" });
      expect(byId.body.members).toBeUndefined();
      const list = await big.get(probe);
      expect(list.status).toBe(200);
      expect(resources(list.body)).toEqual([expect.objectContaining({ id: groupId, displayName: "Everyone" })]);
      expect(resources(list.body)[0].members).toBeUndefined();
      const attributes = await big.get(`/Groups/${groupId}?attributes=displayName,externalId`);
      expect(attributes.status).toBe(200);
      expect(attributes.body.members).toBeUndefined();
      // Control: the same request without the exclusion does need the table, so the check above can fail.
      expect((await big.get(`/Groups/${groupId}`)).status).toBe(500);
    });
    expect((await big.get(`/Groups/${groupId}`)).status).toBe(200);
  });

  test("PATCH of a 20,000-member group answers 204 without reading the members", async () => {
    await withoutMembershipTable(async () => {
      const r = await big.patch(`/Groups/${groupId}`, patchOp({ op: "Replace", path: "externalId", value: "all" }));
      expect(r.status).toBe(204);
    });
  });
});

describe("PUT /Groups/{id} (RFC 7644 §3.5.1)", () => {
  test("replaces displayName, externalId and the member list; omitted members are cleared", async () => {
    const g = await c.group({ displayName: "put-group", externalId: "e1", members: [{ value: alice.id }] });
    const r = await c.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: "Put Group", members: [{ value: bob.id }] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ schemas: [GROUP], id: g.id, displayName: "Put Group", members: [memberOf(bob, "bob@example.com")], meta: expect.any(Object) });
    expect(r.headers.get("etag")).toBe('W/"2"');
    const cleared = await c.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: "Put Group" });
    expect(cleared.body.members).toBeUndefined();
    expect((await c.get(`/Users/${bob.id}`)).body.groups ?? []).not.toContainEqual(expect.objectContaining({ value: g.id }));
  });

  test("attributes on the PUT response; unknown id → 404", async () => {
    const g = await c.group({ displayName: "put-projection" });
    const r = await c.put(`/Groups/${g.id}?excludedAttributes=members,meta`, { schemas: [GROUP], displayName: "put-projection", members: [{ value: alice.id }] });
    expect(r.body).toEqual({ schemas: [GROUP], id: g.id, displayName: "put-projection" });
    expectScimError(await c.put(`/Groups/${crypto.randomUUID()}`, { schemas: [GROUP], displayName: "x" }), 404);
  });

  test("RFC 7643 §2.2 writeOnly in a tenant's Group extension: kept by a PUT that omits it, replaced or cleared by one that names it", async () => {
    const w = client(c.h, await c.h.newTenant("GroupWriteOnly"));
    const EXT = "urn:ietf:params:scim:schemas:extension:acme:2.0:Group";
    const declared = { id: EXT, name: "Acme", resourceType: "Group", attributes: [{ name: "joinCode", type: "string", mutability: "writeOnly", returned: "never" }, { name: "costCenter", type: "string" }] };
    expect((await c.h.admin("PUT", `/tenants/${w.tenant.id}/schemas`, declared)).status).toBe(200);
    const g = await w.group({ schemas: [GROUP, EXT], displayName: "coded", [EXT]: { joinCode: "J-1234", costCenter: "C1" } });
    const stored = () => JSON.parse((c.h.services.db.query("SELECT data FROM groups WHERE id = ?").get(String(g.id)) as { data: string }).data) as Doc;
    const put = (extra: Doc) => w.put(`/Groups/${g.id}`, { schemas: [GROUP, EXT], displayName: "coded", ...extra });
    expect(stored()[EXT]).toEqual({ joinCode: "J-1234", costCenter: "C1" });

    const omitted = await put({ externalId: "x1" });
    expect(omitted.status).toBe(200);
    expect(omitted.text).not.toContain("J-1234");
    expect(stored()).toMatchObject({ schemas: [GROUP, EXT], externalId: "x1", [EXT]: { joinCode: "J-1234" } });
    expect((stored()[EXT] as Doc).costCenter).toBeUndefined();
    // Only the core schema in `schemas` and no extension key at all: still kept.
    expect((await w.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: "coded" })).status).toBe(200);
    expect(stored()[EXT]).toEqual({ joinCode: "J-1234" });
    await put({ [EXT]: { costCenter: "C2" } });
    expect(stored()[EXT]).toEqual({ joinCode: "J-1234", costCenter: "C2" });
    await put({ [`${EXT}:joinCode`]: "J-5678" });
    expect(stored()[EXT]).toEqual({ joinCode: "J-5678" });
    await put({ [EXT]: { joinCode: null, costCenter: "C3" } });
    expect(stored()[EXT]).toEqual({ costCenter: "C3" });
    expect((await w.get(`/Groups/${g.id}`)).text).not.toContain("J-");
  });
});

describe("PATCH /Groups/{id} (RFC 7644 §3.5.2; entra.md: 204 preferred)", () => {
  test("204 with an empty body and the new ETag; the change is visible on GET", async () => {
    const g = await c.group({ displayName: "patch-me" });
    const r = await c.patch(`/Groups/${g.id}`, patchOp(
      { op: "add", path: "members", value: [{ value: alice.id }, { value: bob.id }] },
      { op: "replace", path: "displayName", value: "Patched" },
    ));
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    expect(r.headers.get("etag")).toBe('W/"2"');
    const got = await c.get(`/Groups/${g.id}`);
    expect(got.body.displayName).toBe("Patched");
    expect(sortByValue(got.body.members)).toEqual(sortByValue([memberOf(alice, "Alice A"), memberOf(bob, "bob@example.com")]));
    expect(got.headers.get("etag")).toBe('W/"2"');
  });

  test("with ?attributes= the response is 200 with the projected resource", async () => {
    const g = await c.group({ displayName: "patch-200" });
    const r = await c.patch(`/Groups/${g.id}?attributes=members`, patchOp({ op: "add", path: "members", value: [{ value: alice.id }] }));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ schemas: [GROUP], id: g.id, members: [memberOf(alice, "Alice A")] });
  });

  test("member changes alone move the version on; a no-op keeps it", async () => {
    const g = await c.group({ displayName: "versions" });
    const add = await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: alice.id }] }));
    expect(add.headers.get("etag")).toBe('W/"2"');
    const again = await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: alice.id }] }));
    expect(again.status).toBe(204);
    expect(again.headers.get("etag")).toBe('W/"2"');
  });

  test("RFC 7644 §3.14: replace members with the list they already are keeps the version; a changed member or label moves it", async () => {
    const g = await c.group({ displayName: "replace no-op", members: [{ value: alice.id }, { value: bob.id, display: "Bobby" }] });
    const same = await c.patch(`/Groups/${g.id}`, patchOp({ op: "replace", path: "members", value: [{ value: bob.id, display: "Bobby" }, { value: alice.id }] }));
    expect([same.status, same.headers.get("etag")]).toEqual([204, 'W/"1"']);
    expect((await c.get(`/Groups/${g.id}`, { "if-none-match": 'W/"1"' })).status).toBe(304);
    // Members not in the list go first: a list the group cannot take must still leave them all in place.
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: "replace", path: "members", value: [{ value: bob.id }, { value: g.id }] })), 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
    const steps: [Doc[], string, Doc[]][] = [
      [[{ value: alice.id }], 'W/"2"', [memberOf(alice, "Alice A")]],
      [[{ value: alice.id, display: "Ally" }], 'W/"3"', [memberOf(alice, "Ally")]],
      [[{ value: alice.id }, { value: alice.id, display: "Second mention" }], 'W/"4"', [memberOf(alice, "Alice A")]],
      [[], 'W/"5"', []],
    ];
    for (const [value, etag, members] of steps) {
      const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "replace", path: "members", value }));
      expect([r.status, r.headers.get("etag")]).toEqual([204, etag]);
      expect((await c.get(`/Groups/${g.id}`)).body.members ?? []).toEqual(members);
    }
  });

  test("remove members (no value) clears all; replace members sets exactly the list", async () => {
    const g = await c.group({ displayName: "replace-members", members: [{ value: alice.id }] });
    await c.patch(`/Groups/${g.id}`, patchOp({ op: "replace", path: "members", value: [{ value: bob.id }] }));
    expect((await c.get(`/Groups/${g.id}`)).body.members).toEqual([memberOf(bob, "bob@example.com")]);
    await c.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: "members" }));
    expect((await c.get(`/Groups/${g.id}`)).body.members).toBeUndefined();
  });

  test("attributes and schema URNs the tenant does not define are skipped, as on POST; member and name changes apply", async () => {
    const g = await c.group({ displayName: "unknown-names" });
    const r = await c.patch(`/Groups/${g.id}`, patchOp(
      { op: "Add", path: `${AD_GROUP}:foo`, value: "x" },
      { op: "Replace", path: "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:Group:CustomAttribute", value: "x" },
      { op: "Add", path: "members", value: [{ value: alice.id }] },
      { op: "replace", value: { shoeSize: 9, displayName: "known-names" } },
    ));
    expect(r.status).toBe(204);
    const got = await c.get(`/Groups/${g.id}`);
    expect(got.body).toEqual({ ...g, displayName: "known-names", members: [memberOf(alice, "Alice A")], meta: expect.any(Object) });
  });

  test("stale If-Match → 412, nothing written", async () => {
    const g = await c.group({ displayName: "if-match-group" });
    await c.patch(`/Groups/${g.id}`, patchOp({ op: "replace", path: "externalId", value: "v2" }));
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: alice.id }] }), { "if-match": 'W/"1"' }), 412);
    expectScimError(await c.del(`/Groups/${g.id}`, { "if-match": 'W/"1"' }), 412);
    expect(snapshot(c.h)).toBe(before);
  });

  test("unknown id → 404", async () => {
    expectScimError(await c.patch(`/Groups/${crypto.randomUUID()}`, patchOp({ op: "add", path: "members", value: [{ value: alice.id }] })), 404);
  });
});

describe("concurrent member PATCHes to one group", () => {
  test("20 concurrent adds of different users: all 204, every member kept", async () => {
    const g = await c.group({ displayName: "concurrent adds" });
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => c.user({ userName: `conc${i}@example.com` })));
    const replies = await Promise.all(users.map((u) => c.patch(`/Groups/${g.id}`, patchOp({ op: "Add", path: "members", value: [{ value: u.id }] }))));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(204));
    const members = ((await c.get(`/Groups/${g.id}`)).body.members ?? []) as Doc[];
    expect(members.map((m) => String(m.value)).sort()).toEqual(users.map((u) => String(u.id)).sort());
  });
});

describe("DELETE /Groups/{id} (RFC 7644 §3.6)", () => {
  test("204; then 404; members' groups and parent groups forget it; the name is free again", async () => {
    const child = await c.group({ displayName: "Child", members: [{ value: alice.id }] });
    const parent = await c.group({ displayName: "Parent", members: [{ value: child.id }, { value: bob.id }] });
    const r = await c.del(`/Groups/${child.id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    expectScimError(await c.get(`/Groups/${child.id}`), 404);
    expectScimError(await c.del(`/Groups/${child.id}`), 404);
    expect((await c.get(`/Groups/${parent.id}`)).body.members).toEqual([memberOf(bob, "bob@example.com")]);
    expect(((await c.get(`/Users/${alice.id}`)).body.groups as Doc[] | undefined) ?? []).not.toContainEqual(expect.objectContaining({ value: child.id }));
    expect((await c.post("/Groups", { schemas: [GROUP], displayName: "child" })).status).toBe(201);
    const rows = c.h.services.db.query("SELECT count(*) AS n FROM group_members WHERE group_id = ? OR member_id = ?").get(String(child.id), String(child.id)) as { n: number };
    expect(rows.n).toBe(0);
  });

  test("RFC 7644 §3.14: the parent groups lose a member, so their version moves on (as on DELETE of a user)", async () => {
    const child = await c.group({ displayName: "Nested Child" });
    const parent = await c.group({ displayName: "Nested Parent", members: [{ value: child.id, type: "Group" }] });
    const before = await c.get(`/Groups/${parent.id}`);
    const etag = String(before.headers.get("etag"));
    expect((await c.del(`/Groups/${child.id}`)).status).toBe(204);
    const after = await c.get(`/Groups/${parent.id}`, { "if-none-match": etag });
    expect(after.status).toBe(200); // not 304 with the old member list
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.body.members).toBeUndefined();
    expect(String((after.body.meta as Doc).lastModified) >= String((before.body.meta as Doc).lastModified)).toBe(true);
  });
});
