// POST and PUT /Groups read each `members` element as PATCH reads one (RFC 7643 §4.2: a member is identified by
// `value`; §8.7.1: `type` is "User" or "Group"). An element PATCH refuses is refused here too, 400 invalidValue
// (RFC 7644 §3.12), with the same detail and nothing stored — it used to be dropped without a word.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, expectScimError, GROUP, patchOp, setUp, snapshot } from "./client";

let c: Client;
let alice: Doc;
let bob: Doc;
let target: Doc;

beforeAll(async () => {
  c = await setUp("members-body");
  alice = await c.user({ userName: "alice@example.com", displayName: "Alice A" });
  bob = await c.user({ userName: "bob@example.com" });
  target = await c.group({ displayName: "put target", members: [{ value: alice.id }] });
});

const byValue = (rows: unknown[][]) => rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const shown = async (id: unknown) => byValue((((await c.get(`/Groups/${id}`)).body.members ?? []) as Doc[]).map((m) => [m.value, m.type, m.display]));

// [case, the element sent, RFC text it breaks]
const refused: [string, unknown][] = [
  ["null element (RFC 7643 §4.2: a member has a value)", null],
  ['"" element (§4.2: value identifies the member)', ""],
  ["an empty array as an element (§2.4: elements of a multi-valued attribute are values, not arrays)", []],
  ["{} (§4.2: value is missing)", {}],
  ['{"value": null} (§4.2: value is missing)', { value: null }],
  ['{"value": ""} (§4.2: an empty id names nobody)', { value: "" }],
  ['{"display": "Bob"} without value (§4.2)', { display: "Bob" }],
  ['{"$ref": …, "type": "User"} without value (§4.2)', { $ref: "http://scimd.test/x", type: "User" }],
  ['{"value": 42} (§4.2: value is a string id)', { value: 42 }],
  ['{"value": <id>, "type": "Device"} (§8.7.1: type is "User" or "Group")', { value: "IDLATER", type: "Device" }],
  // RFC 7643 §4.2/§8.7.1: display, $ref and type are strings; PATCH add used to drop a wrong-typed display or $ref.
  ['{"value": <id>, "display": 5} (§4.2: display is a string)', { value: "IDLATER", display: 5 }],
  ['{"value": <id>, "display": {…}} (§4.2: display is a string)', { value: "IDLATER", display: { text: "Bob" } }],
  ['{"value": <id>, "displayName": 5} (Microsoft\'s name for display, a string too)', { value: "IDLATER", displayName: 5 }],
  ['{"value": <id>, "$ref": 5} (§8.7.1: $ref is a reference, a string)', { value: "IDLATER", $ref: 5 }],
  ['{"value": <id>, "type": 5} (§8.7.1: type is "User" or "Group")', { value: "IDLATER", type: 5 }],
];

const withIds = (member: unknown): unknown => (member && typeof member === "object" && "value" in member && member.value === "IDLATER" ? { ...member, value: bob.id } : member);

/** The detail PATCH gives for the same element, without its "Operations[0]: " prefix. */
async function patchDetail(member: unknown): Promise<string> {
  const r = await c.patch(`/Groups/${target.id}`, patchOp({ op: "add", path: "members", value: [member] }));
  expectScimError(r, 400, "invalidValue");
  return String(r.body.detail).replace(/^Operations\[0\]: /, "");
}

describe("RFC 7644 §3.3/§3.5.1: POST and PUT refuse a member element PATCH refuses, and store nothing", () => {
  test.each(refused)("%s", async (_case, raw) => {
    const member = withIds(raw);
    const detail = await patchDetail(member);
    const before = snapshot(c.h);
    for (const members of [[member], [{ value: alice.id }, member], [member, { value: bob.id }]]) {
      const posted = await c.post("/Groups", { schemas: [GROUP], displayName: "refused post", members });
      expectScimError(posted, 400, "invalidValue");
      expect(posted.body.detail).toBe(detail);
      const put = await c.put(`/Groups/${target.id}`, { schemas: [GROUP], displayName: "renamed by put", members });
      expectScimError(put, 400, "invalidValue");
      expect(put.body.detail).toBe(detail);
    }
    expect(snapshot(c.h)).toBe(before);
  });

  // normalizeResource reads `members` under any of these names; each is checked.
  test.each([
    ["Members", (v: unknown) => ({ Members: v })],
    ["URN-qualified", (v: unknown) => ({ [`${GROUP}:members`]: v })],
    ["inside the core schema URN's object", (v: unknown) => ({ [GROUP]: { members: v } })],
    ["a single element, not an array", (v: unknown) => ({ members: (v as unknown[])[0] })],
  ])("members spelt %s: still refused", async (_case, spell) => {
    const before = snapshot(c.h);
    const bad = [{ value: null, display: "ghost" }];
    expectScimError(await c.post("/Groups", { schemas: [GROUP], displayName: "spelt post", ...spell(bad) }), 400, "invalidValue");
    expectScimError(await c.put(`/Groups/${target.id}`, { schemas: [GROUP], displayName: "put target", ...spell(bad) }), 400, "invalidValue");
    expect(snapshot(c.h)).toBe(before);
  });
});

describe("shapes real clients send stay accepted on POST and PUT (entra.md, Microsoft's and Okta's suites)", () => {
  const accepted: [string, () => unknown, () => unknown[][]][] = [
    ["Microsoft's suite: {value, display}", () => [{ value: alice.id, display: "VP" }], () => [[alice.id, "User", "VP"]]],
    ["Entra's add shape: {$ref: null, value}", () => [{ $ref: null, value: alice.id }], () => [[alice.id, "User", "Alice A"]]],
    ["type in another case, $ref given", () => [{ value: bob.id, type: "user", $ref: `http://scimd.test/Users/${bob.id}` }], () => [[bob.id, "User", "bob@example.com"]]],
    ["a bare id string", () => [alice.id], () => [[alice.id, "User", "Alice A"]]],
    ["unknown extra keys, Value in another case", () => [{ Value: alice.id, extra: 1, primary: true }], () => [[alice.id, "User", "Alice A"]]],
    ['type "" or null: no type given', () => [{ value: alice.id, type: "" }, { value: bob.id, type: null }], () => [[alice.id, "User", "Alice A"], [bob.id, "User", "bob@example.com"]]],
    ["Entra's create: members []", () => [], () => []],
    ["members null", () => null, () => []],
    ["members {}", () => ({}), () => []],
    // Ids naming no resource of the tenant are skipped, as PATCH add skips them (groups/members.ts addAll).
    ["an id naming nobody: skipped", () => [{ value: crypto.randomUUID() }, { value: alice.id }], () => [[alice.id, "User", "Alice A"]]],
  ];

  test.each(accepted)("%s", async (_case, members, expected) => {
    const posted = await c.post("/Groups", { schemas: [GROUP], displayName: `accepted ${_case}`, members: members() });
    expect(posted.status).toBe(201);
    expect(await shown(posted.body.id)).toEqual(byValue(expected()));
    const put = await c.put(`/Groups/${target.id}`, { schemas: [GROUP], displayName: "put target", members: members() });
    expect(put.status).toBe(200);
    expect(await shown(target.id)).toEqual(byValue(expected()));
    await c.del(`/Groups/${posted.body.id}`);
  });
});

// Microsoft's tooling labels a member with `displayName` where RFC 7643 §4.2 says `display`: PATCH add always took
// it; POST and PUT read each element the same way (display first when both are given), not the normalized body.
describe("a member label under displayName: POST, PUT and PATCH add agree", () => {
  const labels: [string, () => Doc, string][] = [
    ["displayName alone", () => ({ value: alice.id, displayName: "Microsoft label" }), "Microsoft label"],
    ["DisplayName in another case", () => ({ value: alice.id, DisplayName: "Cased label" }), "Cased label"],
    ["display and displayName: display wins", () => ({ value: alice.id, display: "SCIM label", displayName: "Microsoft label" }), "SCIM label"],
    ["display null, displayName given: displayName", () => ({ value: alice.id, display: null, displayName: "Microsoft label" }), "Microsoft label"],
    ["displayName that is the member's name: no label", () => ({ value: alice.id, displayName: "Alice A" }), "Alice A"],
  ];

  test.each(labels)("%s", async (_case, member, label) => {
    const posted = await c.post("/Groups", { schemas: [GROUP], displayName: `label ${_case}`, members: [member()] });
    expect(posted.status).toBe(201);
    expect(await shown(posted.body.id)).toEqual([[alice.id, "User", label]]);
    const put = await c.put(`/Groups/${target.id}`, { schemas: [GROUP], displayName: "put target", members: [member()] });
    expect(put.status).toBe(200);
    expect(await shown(target.id)).toEqual([[alice.id, "User", label]]);
    const patched = await c.group({ displayName: `patched ${_case}` });
    expect((await c.patch(`/Groups/${patched.id}`, patchOp({ op: "add", path: "members", value: [member()] }))).status).toBe(204);
    expect(await shown(patched.id)).toEqual([[alice.id, "User", label]]);
    // A rename shows through only where no label was kept.
    await c.patch(`/Users/${alice.id}`, patchOp({ op: "replace", path: "displayName", value: "Alice Renamed" }));
    const after = label === "Alice A" ? "Alice Renamed" : label;
    for (const id of [posted.body.id, target.id, patched.id]) expect(await shown(id)).toEqual([[alice.id, "User", after]]);
    await c.patch(`/Users/${alice.id}`, patchOp({ op: "replace", path: "displayName", value: "Alice A" }));
    for (const id of [posted.body.id, patched.id]) await c.del(`/Groups/${id}`);
  });
});

// /Schemas advertises members.value as caseExact false (RFC 7643 §8.7.1), and filters and PATCH remove filters compare
// it so: an id written in upper case names the same member on every write too (it used to add nobody, without a word).
describe("a member id in another letter case names the same member on POST, PUT and PATCH", () => {
  test("added, replaced and removed by the upper-cased id", async () => {
    const upper = String(bob.id).toUpperCase();
    const posted = await c.post("/Groups", { schemas: [GROUP], displayName: "upper post", members: [{ value: upper }] });
    expect(posted.status).toBe(201);
    expect(await shown(posted.body.id)).toEqual([[bob.id, "User", "bob@example.com"]]);
    const put = await c.put(`/Groups/${target.id}`, { schemas: [GROUP], displayName: "put target", members: [{ value: upper }, alice.id] });
    expect(put.status).toBe(200);
    expect(await shown(target.id)).toEqual(byValue([[bob.id, "User", "bob@example.com"], [alice.id, "User", "Alice A"]]));
    const patched = await c.group({ displayName: "upper patch" });
    expect((await c.patch(`/Groups/${patched.id}`, patchOp({ op: "add", path: "members", value: [{ value: upper, type: "User" }] }))).status).toBe(204);
    expect(await shown(patched.id)).toEqual([[bob.id, "User", "bob@example.com"]]);
    // Entra's removal lists the ids as values.
    expect((await c.patch(`/Groups/${patched.id}`, patchOp({ op: "remove", path: "members", value: [{ value: upper }] }))).status).toBe(204);
    expect(await shown(patched.id)).toEqual([]);
    expect(((await c.get(`/Users/${bob.id}`)).body.groups as Doc[]).map((g) => g.value).sort()).toEqual([posted.body.id, target.id].sort());
    for (const id of [posted.body.id, patched.id]) await c.del(`/Groups/${id}`);
    await c.put(`/Groups/${target.id}`, { schemas: [GROUP], displayName: "put target", members: [{ value: alice.id }] });
  });
});
