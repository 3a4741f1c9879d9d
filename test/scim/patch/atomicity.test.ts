import { describe, expect, test } from "bun:test";
import type { ScimType } from "../../../src/errors.ts";
import { applyPatch } from "../../../src/scim/patch/index.ts";
import { attr, complex } from "../../../src/scim/schema/define.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import { USER_SCHEMA } from "../../../src/scim/schema/types.ts";
import { body, deepFreeze, ENT, expectError, group, patch, patched, user } from "./helpers.ts";

// RFC 7644 §3.5.2: "If a PATCH operation has an error, the entire operation ... SHALL NOT be applied":
// the engine returns the error and the caller keeps the old resource, which the engine never touched.
const cases: [string, () => Record<string, unknown>, unknown[], ScimType, string][] = [
  [
    "a bad path after good operations",
    user,
    [{ op: "replace", path: "displayName", value: "Al" }, { op: "add", path: "emails", value: [{ value: "x@example.com" }] }, { op: "add", path: "title.sub", value: "9" }],
    "invalidPath",
    "Operations[2]",
  ],
  [
    "an unknown op name after good operations",
    user,
    [{ op: "Replace", path: "active", value: "False" }, { op: "move", path: "title" }],
    "invalidSyntax",
    "Operations[1]",
  ],
  [
    "a result that fails schema validation (required userName removed)",
    user,
    [{ op: "replace", path: "title", value: "x" }, { op: "remove", path: "userName" }],
    "invalidValue",
    "userName",
  ],
  [
    "a readOnly attribute among extension changes",
    user,
    [{ op: "remove", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" }, { op: "replace", path: "meta.lastModified", value: "x" }],
    "mutability",
    "Operations[1]",
  ],
  [
    "a bad member filter after member additions",
    group,
    [{ op: "add", path: "members", value: [{ value: "a" }] }, { op: "remove", path: 'members[foo eq "a"]' }],
    "invalidFilter",
    "Operations[1]",
  ],
];

describe("applyPatch is atomic and pure (RFC 7644 §3.5.2)", () => {
  test.each(cases)("%s: the error, and the input unchanged", (_name, make, ops, scimType, mentioned) => {
    const input = make();
    const snapshot = structuredClone(input);
    const r = patch(input, ops);
    expectError(r, 400, scimType);
    expect(r.ok ? "" : r.error.detail).toContain(mentioned);
    expect(input).toEqual(snapshot);
  });

  test("a successful patch returns a new object and leaves the (unfrozen) input as it was", () => {
    const input = structuredClone(user());
    const snapshot = structuredClone(input);
    const { resource } = patched(input, [
      { op: "add", path: 'emails[type eq "home"].value', value: "h@example.com" },
      { op: "replace", path: "name.givenName", value: "Al" },
      { op: "remove", path: 'addresses[type eq "work"].locality' },
    ]);
    expect(input).toEqual(snapshot);
    expect(resource).not.toEqual(snapshot);
    (resource.name as Record<string, unknown>).givenName = "changed afterwards";
    expect(input).toEqual(snapshot);
  });

  test("applying the same body twice gives the same result (no hidden state)", () => {
    const ops = [{ op: "add", path: "emails", value: [{ value: "b@example.com", primary: true }] }];
    expect(patched(user(), ops)).toEqual(patched(user(), ops));
  });
});

describe("immutable attributes (RFC 7643 §2.2: may be set once, then not changed)", () => {
  const EXT = "urn:example:params:scim:schemas:extension:badge:2.0:User";
  const registry = createRegistry([
    { resourceType: "User", schema: { id: EXT, name: "Badge", description: "", attributes: [attr("badge", "Badge number.", { mutability: "immutable" })] } },
  ]);
  const withBadge = deepFreeze({ ...user(), schemas: [USER_SCHEMA, ENT, EXT], [EXT]: { badge: "B-1" } });
  const run = (resource: Record<string, unknown>, value: unknown) =>
    applyPatch(registry, "User", resource, body({ op: "replace", path: `${EXT}:badge`, value }));

  test("setting it when unassigned is allowed", () => {
    const r = run(user(), "B-2");
    expect(r.ok && r.value.resource[EXT]).toEqual({ badge: "B-2" });
  });
  test("replacing it with the same value is allowed and changes nothing", () => {
    const r = run(withBadge, "B-1");
    expect(r.ok && r.value.changed).toBe(false);
  });
  test("changing it → 400 mutability", () => expectError(run(withBadge, "B-2"), 400, "mutability"));
  test("clearing it → 400 mutability", () => expectError(run(withBadge, null), 400, "mutability"));
});

describe("immutable sub-attributes of a multi-valued attribute (RFC 7643 §2.2; §4.2: values MAY be added or removed)", () => {
  const EXT = "urn:example:params:scim:schemas:extension:tags:2.0:User";
  const tags = complex("tags", "Tags.", [attr("value", "The tag."), attr("owner", "Who set it.", { mutability: "immutable" }), attr("note", "A note.")], { multiValued: true });
  const registry = createRegistry([{ resourceType: "User", schema: { id: EXT, name: "Tags", description: "", attributes: [tags] } }]);
  const tagged = deepFreeze({ ...user(), schemas: [USER_SCHEMA, ENT, EXT], [EXT]: { tags: [{ value: "t", owner: "alice" }, { value: "u" }] } });
  const run = (...ops: unknown[]) => applyPatch(registry, "User", tagged, body(...ops));
  const path = (p: string) => `${EXT}:${p}`;

  test.each([
    ["replace through a filter", { op: "replace", path: path('tags[value eq "t"].owner'), value: "mallory" }],
    ["add (merge) through a filter", { op: "add", path: path('tags[value eq "t"]'), value: { owner: "mallory" } }],
    ["remove through a filter", { op: "remove", path: path('tags[value eq "t"].owner') }],
    ["clear through a filter", { op: "replace", path: path('tags[value eq "t"].owner'), value: null }],
    ["replace on every value", { op: "replace", path: path("tags.owner"), value: "mallory" }],
    ["remove from every value", { op: "remove", path: path("tags.owner") }],
  ])("changing it on a value that has it: %s → 400 mutability", (_name, op) => expectError(run(op), 400, "mutability"));

  test.each([
    ["setting it where it is unassigned", [{ op: "replace", path: path('tags[value eq "u"].owner'), value: "bob" }], [{ value: "t", owner: "alice" }, { value: "u", owner: "bob" }]],
    ["the same value again", [{ op: "replace", path: path('tags[value eq "t"].owner'), value: "alice" }], [{ value: "t", owner: "alice" }, { value: "u" }]],
    ["another sub-attribute", [{ op: "add", path: path('tags[value eq "t"].note'), value: "n" }], [{ value: "t", owner: "alice", note: "n" }, { value: "u" }]],
    ["adding a value", [{ op: "add", path: path("tags"), value: [{ value: "v", owner: "carol" }] }], [{ value: "t", owner: "alice" }, { value: "u" }, { value: "v", owner: "carol" }]],
    ["removing a value", [{ op: "remove", path: path('tags[value eq "t"]') }], [{ value: "u" }]],
    ["replacing a whole value (§3.5.2.3: the matched values are replaced)", [{ op: "replace", path: path('tags[value eq "t"]'), value: { value: "t", owner: "dan" } }], [{ value: "t", owner: "dan" }, { value: "u" }]],
  ])("allowed: %s", (_name, ops, want) => {
    const r = run(...ops);
    expect(r.ok ? r.value.resource[EXT] : r.error.detail).toEqual({ tags: want });
  });
});
