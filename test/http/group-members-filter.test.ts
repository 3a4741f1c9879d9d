// PATCH remove through a members value filter (RFC 7644 §3.5.2.2: "If the target location is a multi-valued
// attribute and a complex filter is specified comparing a "value", the values matched by the filter are removed"),
// any filter §3.4.2.2 allows, matched against each member as GET shows it: value and type (caseExact false, RFC 7643 §8.7.1),
// and display (the label given, else the member's current name).
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, expectScimError, patchOp, setUp, snapshot, USER } from "./client";

let c: Client;
let alice: Doc;
let bob: Doc;
let carol: Doc;
let inner: Doc;

beforeAll(async () => {
  c = await setUp("members-filter");
  alice = await c.user({ userName: "alice@example.com", displayName: "Alice A" });
  bob = await c.user({ userName: "bob@example.com" });
  carol = await c.user({ userName: "carol@example.com", displayName: "Carol C" });
  inner = await c.group({ displayName: "Eng Inner" });
});

/** A fresh group holding alice, bob, carol (labelled "Eng Lead") and the group "Eng Inner". */
const fixture = (displayName: string) =>
  c.group({ displayName, members: [{ value: alice.id }, { value: bob.id }, { value: carol.id, display: "Eng Lead" }, { value: inner.id, type: "Group" }] });

const memberIds = async (g: Doc) => (((await c.get(`/Groups/${g.id}`)).body.members ?? []) as Doc[]).map((m) => String(m.value)).sort();
const etag = async (g: Doc) => (await c.get(`/Groups/${g.id}`)).headers.get("etag");
const ids = (...who: (() => Doc)[]) => who.map((w) => String(w().id)).sort();
const A = () => alice;
const B = () => bob;
const C = () => carol;
const I = () => inner;

// [filter inside members[…], who is left]
const removals: [string, () => string, () => string[]][] = [
  ['§3.4.2.2 eq on type: members[type eq "Group"]', () => 'type eq "Group"', () => ids(A, B, C)],
  ['type compares case-insensitively (caseExact false, RFC 7643 §8.7.1): members[type eq "user"]', () => 'type eq "user"', () => ids(I)],
  ['co on display, the label or the name GET shows: members[display co "Eng"]', () => 'display co "Eng"', () => ids(A, B)],
  ["display is a user's displayName, case-insensitively: members[display eq \"alice a\"]", () => 'display eq "alice a"', () => ids(B, C, I)],
  ["display falls back to userName: members[display sw \"BOB@\"]", () => 'display sw "BOB@"', () => ids(A, C, I)],
  ['not: members[not (type eq "User")]', () => 'not (type eq "User")', () => ids(A, B, C)],
  ["and on one member: members[value eq <alice> and type eq \"User\"]", () => `value eq "${alice.id}" and type eq "User"`, () => ids(B, C, I)],
  ['ne: members[value ne <alice>]', () => `value ne "${alice.id}"`, () => ids(A)],
  ["or mixing value and type: members[value eq <bob> or type eq \"Group\"]", () => `value eq "${bob.id}" or type eq "Group"`, () => ids(A, C)],
  // value is caseExact false (RFC 7643 §8.7.1), as /Schemas says and GET's members.value filter compares it.
  ["value compares case-insensitively: an upper-cased id finds its member", () => `value eq "${String(alice.id).toUpperCase()}" or display eq "nobody"`, () => ids(B, C, I)],
  ["value eq alone, upper-cased (the ids-only path), finds its member too", () => `value eq "${String(bob.id).toUpperCase()}"`, () => ids(A, C, I)],
  ["pr: members[value pr] removes everyone", () => "value pr", () => []],
  ["grouping: members[(type eq \"User\" and display ew \"C\") or display eq \"Eng Inner\"]", () => '(type eq "User" and display ew "C") or display eq "Eng Inner"', () => ids(A, B, C)],
];

describe("PATCH remove members[<any filter>] (RFC 7644 §3.5.2.2)", () => {
  test.each(removals)("%s", async (_case, filter, left) => {
    const g = await fixture(`filtered ${_case}`);
    const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: `members[${filter()}]` }));
    expect(r.status).toBe(204);
    expect(await memberIds(g)).toEqual(left());
    // The removed members' own groups forget the group too (one membership table).
    const gone = ids(A, B, C, I).filter((id) => !left().includes(id) && id !== inner.id);
    for (const id of gone) expect(JSON.stringify((await c.get(`/Users/${id}`)).body.groups ?? [])).not.toContain(String(g.id));
  });

  test("a filter matching nobody removes nobody: 204, the version stays (as for emails; no noTarget on remove)", async () => {
    const g = await fixture("matches nobody");
    const before = await etag(g);
    const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: `members[display eq "nobody" or value eq "${inner.id}" and type eq "User"]` }));
    expect([r.status, r.headers.get("etag")]).toEqual([204, before]);
    expect(await memberIds(g)).toEqual(ids(A, B, C, I));
  });

  test("a removal moves the version on; display follows a rename before the filter reads it", async () => {
    const g = await fixture("after rename");
    const before = await etag(g);
    await c.patch(`/Users/${alice.id}`, patchOp({ op: "replace", path: "displayName", value: "Alicia" }));
    const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: 'members[display eq "Alicia"]' }));
    expect(r.status).toBe(204);
    expect(r.headers.get("etag")).not.toBe(before);
    expect(await memberIds(g)).toEqual(ids(B, C, I));
    await c.patch(`/Users/${alice.id}`, patchOp({ op: "replace", path: "displayName", value: "Alice A" }));
  });

  test("§3.5.2: operations apply in order: a filtered remove, then an add of one it removed", async () => {
    const g = await fixture("in order");
    const r = await c.patch(`/Groups/${g.id}`, patchOp(
      { op: "remove", path: 'members[type eq "User"]' },
      { op: "add", path: "members", value: [{ value: bob.id }] },
      { op: "remove", path: 'members[display eq "Eng Inner"]' },
    ));
    expect(r.status).toBe(204);
    expect(await memberIds(g)).toEqual(ids(B));
  });
});

describe("PATCH members filters that stay refused, nothing changed", () => {
  // Unknown sub-attributes are invalidFilter, as a GET filter's are (`members.foo` → "Unknown attribute").
  const refused: [string, unknown, string][] = [
    ['an unknown sub-attribute: remove members[foo eq "x"] → invalidFilter (RFC 7644 §3.12)', { op: "remove", path: 'members[foo eq "x"]' }, "invalidFilter"],
    ['an unknown sub-attribute beside known ones → invalidFilter', { op: "remove", path: 'members[type eq "User" or foo pr]' }, "invalidFilter"],
    ['$ref, which GET filters cannot name either → invalidFilter', { op: "remove", path: 'members[$ref eq "x"]' }, "invalidFilter"],
    ["a sub-attribute of a sub-attribute → invalidFilter", { op: "remove", path: 'members[value.x eq "x"]' }, "invalidFilter"],
    ['a malformed filter → invalidFilter', { op: "remove", path: 'members[type eq]' }, "invalidFilter"],
    ['add through a filter (§3.5.2.1 has no filter form for members) → invalidPath', { op: "add", path: 'members[type eq "User"]', value: [{ value: "x" }] }, "invalidPath"],
    ['replace through a filter → invalidPath', { op: "replace", path: 'members[type eq "User"]', value: [{ value: "x" }] }, "invalidPath"],
    ["a member's sub-attribute after the filter → invalidPath", { op: "remove", path: 'members[type eq "User"].display' }, "invalidPath"],
  ];

  test.each(refused)("%s", async (_case, operation, scimType) => {
    const g = await fixture(`refused ${_case}`);
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: 'members[type eq "Group"]' }, operation)), 400, scimType);
    expect(snapshot(c.h)).toBe(before);
  });
});

describe("RFC 7644 §3.5.2: a filtered remove is undone when a later operation fails", () => {
  // Each failure below is found while the member operations run, after the filtered remove has been written.
  test.each([
    ["the group added as its own member → 400 invalidValue", (g: Doc) => ({ op: "add", path: "members", value: [{ value: g.id }] }), 400, "invalidValue"],
    ["a group added as a User → 400 invalidValue", () => ({ op: "add", path: "members", value: [{ value: inner.id, type: "User" }] }), 400, "invalidValue"],
    ["a displayName another group has → 409 uniqueness", () => ({ op: "replace", path: "displayName", value: "eng inner" }), 409, "uniqueness"],
  ])("%s: membership, version and users' groups unchanged", async (_case, failing, status, scimType) => {
    const g = await fixture(`atomic ${_case}`);
    const before = snapshot(c.h);
    const r = await c.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: 'members[type eq "User"]' }, { op: "remove", path: 'members[not (value eq "x")]' }, failing(g)));
    expectScimError(r, status, scimType);
    expect(snapshot(c.h)).toBe(before);
    expect(await memberIds(g)).toEqual(ids(A, B, C, I));
  });
});

describe("what one PATCH's filtered removes may cost (RFC 7644 §3.12 tooMany)", () => {
  let g: Doc;
  let first: string;
  beforeAll(async () => {
    // 1,000 fixture users written straight to the table (over HTTP they would take seconds), joined through POST.
    const db = c.h.services.db;
    const now = new Date().toISOString();
    const insert = db.query("INSERT INTO users (tenant_id, id, user_name, user_name_key, data, created, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const fixtureIds: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < 1_000; i++) {
        const id = crypto.randomUUID();
        fixtureIds.push(id);
        insert.run(c.tenant.id, id, `many${i}`, `many${i}`, JSON.stringify({ schemas: [USER], userName: `many${i}` }), now, now);
      }
    })();
    first = String(fixtureIds[0]);
    g = await c.group({ displayName: "many members", members: fixtureIds.map((value) => ({ value })) });
  });

  const nobody = { op: "remove", path: 'members[type eq "Group"]' };

  test("consecutive filtered removes read the members once; past 500,000 comparisons (501 × 1,000) → tooMany, nothing changed", async () => {
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp(...Array(501).fill(nobody))), 400, "tooMany");
    expect(snapshot(c.h)).toBe(before);
    const r = await c.patch(`/Groups/${g.id}`, patchOp(...Array(499).fill(nobody), { op: "remove", path: 'members[display eq "many7"]' }));
    expect(r.status).toBe(204);
    expect((await memberIds(g)).length).toBe(999);
  });

  test("another member operation between them makes the next one read again: past 200,000 member rows → tooMany, nothing changed", async () => {
    const again = { op: "add", path: "members", value: [{ value: first }] };
    const pairs = (n: number) => Array.from({ length: n }, () => [again, nobody]).flat();
    expect((await c.patch(`/Groups/${g.id}`, patchOp(...pairs(10)))).status).toBe(204);
    const before = snapshot(c.h);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp(...pairs(201))), 400, "tooMany");
    expect(snapshot(c.h)).toBe(before);
  });
});
