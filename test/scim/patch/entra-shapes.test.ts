import { describe, expect, test } from "bun:test";
import type { ScimResource } from "../../../src/scim/schema/types.ts";
import { ENT, group, patched, user } from "./helpers.ts";

// Every PATCH-related line of ../shared/entra.md, replayed in both shapes Entra sends: the
// default one and the one with `?aadOptscim062020` on the Tenant URL. Test names quote the line.

type Shape = "default" | "aadOptscim062020";
const SHAPES: Shape[] = ["default", "aadOptscim062020"];
type OpName = "add" | "replace" | "remove";

/** An operation as the shape writes it: `Replace` and "False" by default, `replace` and false with the flag. */
const op = (shape: Shape, name: OpName, path: string, value?: unknown) => {
  const written = shape === "default" ? name[0].toUpperCase() + name.slice(1) : name;
  const v = shape === "default" && typeof value === "boolean" ? (value ? "True" : "False") : value;
  return value === undefined ? { op: written, path } : { op: written, path, value: v };
};

/** Several attributes: one op per attribute by default, one path-less replace with dotted/URN keys with the flag. */
const replaceAll = (shape: Shape, values: Record<string, unknown>) =>
  shape === "default"
    ? Object.entries(values).map(([path, value]) => op(shape, "replace", path, value))
    : [{ op: "replace", value: values }];

const mobile = { type: "mobile", value: "+1 555 0199" };

describe("entra.md: PATCH shapes — both must work, in one server, without configuration", () => {
  test.each(SHAPES)("op names | `Add`, `Replace`, `Remove` | `add`, `replace`, `remove` (%s)", (shape) => {
    const r = patched(user(), [
      op(shape, "add", "title", "Engineer"),
      op(shape, "replace", "displayName", "Al"),
      op(shape, "remove", "nickName"),
      op(shape, "remove", "phoneNumbers"),
    ]);
    expect(r.resource).toEqual({ ...user(), title: "Engineer", displayName: "Al", phoneNumbers: undefined });
  });

  test.each(SHAPES)('disable | {"op":"Replace","path":"active","value":"False"} | {"op":"replace","path":"active","value":false} (%s)', (shape) => {
    const r = patched(user(), [op(shape, "replace", "active", false)]);
    expect(r.resource.active).toBe(false);
    expect(r.resource).toEqual({ ...user(), active: false });
    expect(r.changed).toBe(true);
  });

  test("several attributes | one op per attribute, each with a path | one path-less replace with dotted and URN-qualified keys", () => {
    const values = {
      "name.givenName": "Alicia",
      "name.familyName": "Jones",
      'emails[type eq "work"].value': "alicia@example.com",
      [`${ENT}:employeeNumber`]: "43",
      [`${ENT}:department`]: "Support",
      active: false,
    };
    const [byDefault, withFlag] = SHAPES.map((shape) => patched(user(), replaceAll(shape, values)).resource);
    expect(withFlag).toEqual(byDefault);
    expect(byDefault).toEqual({
      ...user(),
      active: false,
      name: { givenName: "Alicia", familyName: "Jones" },
      emails: [{ value: "alicia@example.com", type: "work", primary: true }],
      [ENT]: { employeeNumber: "43", department: "Support", manager: { value: "m1" } },
    });
  });

  test.each([
    ["default", { op: "Remove", path: "members", value: [{ value: "u7" }] }],
    ["aadOptscim062020", { op: "remove", path: 'members[value eq "u7"]' }],
  ])('remove a member | {"op":"Remove","path":"members","value":[{"value":"<id>"}]} — remove only the listed ids | members[value eq "<id>"] (%s)', (_shape, operation) => {
    const r = patched(group(), [operation]);
    expect(r.members).toEqual([{ kind: "remove", ids: ["u7"] }]);
    expect(r.members).not.toContainEqual({ kind: "removeAll" });
  });
});

describe("entra.md: other shapes seen in real traffic", () => {
  const booleans: [string, boolean][] = [["True", true], ["False", false], ["true", true], ["false", false]];
  test.each(booleans)('"True", "False", "true", "false" strings for booleans (active, primary); always answer with JSON booleans: %p', (text, bool) => {
    const r = patched(user(), [
      { op: "Replace", path: "active", value: text },
      { op: "Add", path: "emails", value: [{ value: "al@home.example", type: "home", primary: "False" }] },
      // A string "True" counts as true for RFC 7643 §2.4's one-primary rule, too.
      { op: "Replace", path: 'emails[type eq "home"].primary', value: text },
    ]);
    expect(r.resource.active).toBe(bool);
    expect(r.resource.emails).toEqual([
      { value: "alice@example.com", type: "work", primary: !bool },
      { value: "al@home.example", type: "home", primary: bool },
    ]);
  });

  test.each(SHAPES)('op: "Add" on a single-valued attribute that already has a value (means replace), also for active (%s)', (shape) => {
    const r = patched(user(), [op(shape, "add", "displayName", "Al"), op(shape, "add", "active", false), op(shape, "add", "externalId", "ext-2")]);
    expect(r.resource).toEqual({ ...user(), displayName: "Al", active: false, externalId: "ext-2" });
  });

  const creators: [Shape, OpName][] = SHAPES.flatMap((shape) => (["add", "replace"] as const).map((name): [Shape, OpName] => [shape, name]));
  test.each(creators)('Value paths on elements that do not exist yet: Replace/Add phoneNumbers[type eq "mobile"].value creates {type: "mobile", value} (%s %s)', (shape, name) => {
    const r = patched(user(), [op(shape, name, 'phoneNumbers[type eq "mobile"].value', mobile.value)]);
    expect(r.resource.phoneNumbers).toEqual([{ value: "+1 555 0100", type: "work" }, mobile]);
  });

  test.each(SHAPES)("answering noTarget makes Entra's whole PATCH fail, unrelated changes included: they all apply (%s)", (shape) => {
    const bare = { ...user(), emails: undefined, phoneNumbers: undefined };
    const r = patched(bare, [
      op(shape, "replace", 'emails[type eq "work"].value', "al@example.com"),
      op(shape, "replace", 'phoneNumbers[type eq "mobile"].value', mobile.value),
      op(shape, "replace", "displayName", "Al"),
    ]);
    expect(r.resource.emails).toEqual([{ type: "work", value: "al@example.com" }]);
    expect(r.resource.phoneNumbers).toEqual([mobile]);
    expect(r.resource.displayName).toBe("Al");
  });

  test.each(SHAPES)('Member add: {"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}, …]} (%s)', (shape) => {
    const r = patched(group(), [op(shape, "add", "members", [{ $ref: null, value: "u1" }, { $ref: null, value: "u2" }])]);
    expect(r.members).toEqual([{ kind: "add", members: [{ value: "u1" }, { value: "u2" }] }]);
    expect(r.changed).toBe(true);
  });

  test.each(SHAPES)("adding an existing member or removing a non-member is a harmless no-op: ids pass through for INSERT OR IGNORE (%s)", (shape) => {
    const r = patched(group(), [
      op(shape, "add", "members", [{ value: "u1" }]),
      op(shape, "add", "members", [{ value: "u1" }]),
      shape === "default" ? op(shape, "remove", "members", [{ value: "nobody" }]) : op(shape, "remove", 'members[value eq "nobody"]'),
    ]);
    expect(r.members).toEqual([
      { kind: "add", members: [{ value: "u1" }] },
      { kind: "add", members: [{ value: "u1" }] },
      { kind: "remove", ids: ["nobody"] },
    ]);
  });

  test.each(SHAPES)("`manager` in the enterprise extension sent as a bare id string (%s)", (shape) => {
    const viaPath = patched(user(), [op(shape, "replace", `${ENT}:manager`, "m2")]).resource;
    const viaKeys = patched(user(), replaceAll(shape, { [`${ENT}:manager`]: "m2" })).resource;
    const viaUrn = patched(user(), [op(shape, "add", ENT, { manager: "m2" })]).resource;
    for (const resource of [viaPath, viaKeys, viaUrn]) {
      expect(resource[ENT]).toEqual({ employeeNumber: "42", department: "Sales", manager: { value: "m2" } });
    }
  });

  const clearable: [string, (r: ScimResource) => unknown][] = [
    ["displayName", (r) => r.displayName],
    ["externalId", (r) => r.externalId],
    ["name.givenName", (r) => (r.name as Record<string, unknown>).givenName],
    [`${ENT}:manager`, (r) => (r[ENT] as Record<string, unknown>).manager],
    [`${ENT}:department`, (r) => (r[ENT] as Record<string, unknown>).department],
    ['phoneNumbers[type eq "work"].value', (r) => r.phoneNumbers],
  ];
  const clears = SHAPES.flatMap((shape) => ["", null].flatMap((value) => clearable.map(([path, read]) => ({ shape, value, path, read }))));
  test.each(clears)('`""` or `null` to clear an attribute: $path = $value ($shape)', ({ shape, value, path, read }) => {
    const r = patched(user(), replaceAll(shape, { [path]: value }));
    expect(read(r.resource)).toBeUndefined();
    expect(r.changed).toBe(true);
  });

  const reassertions = SHAPES.flatMap((shape) =>
    (["add", "replace"] as const).map((name) => ({ shape, name, ops: [op(shape, name, "active", true), op(shape, name, 'emails[type eq "work"].value', "alice@example.com")] })),
  );
  test.each(reassertions)("Periodic re-assertions (active true again): harmless no-ops, never errors ($shape $name)", ({ ops }) => {
    const r = patched(user(), ops);
    expect(r.changed).toBe(false);
    expect(r.resource).toEqual(user());
  });

  test.each([
    ["User", user],
    ["Group", group],
  ] as const)("An empty `Operations` array: a valid no-op (%s)", (_type, make) => {
    const r = patched(make(), []);
    expect(r).toEqual({ resource: make(), members: [], changed: false, named: new Set() });
  });
});

describe("entra.md: the conversation", () => {
  test.each(SHAPES)("Update: Entra GETs /Users/{id}, computes the difference, and sends only that as PATCH (%s)", (shape) => {
    const r = patched(user(), [op(shape, "replace", "name.familyName", "Jones")]);
    expect(r.resource).toEqual({ ...user(), name: { givenName: "Alice", familyName: "Jones" } });
  });

  test.each(SHAPES)("Groups: then members are added and removed by PATCH, many per request (%s)", (shape) => {
    const ids = Array.from({ length: 50 }, (_, i) => `u${i}`);
    const removal =
      shape === "default"
        ? op(shape, "remove", "members", ids.slice(0, 2).map((value) => ({ value })))
        : op(shape, "remove", 'members[value eq "u0" or value eq "u1"]');
    const r = patched(group(), [op(shape, "add", "members", ids.map((value) => ({ value }))), removal]);
    expect(r.members).toEqual([
      { kind: "add", members: ids.map((value) => ({ value })) },
      { kind: "remove", ids: ["u0", "u1"] },
    ]);
    expect(r.resource).toEqual(group());
  });
});

describe("entra.md: attributes Entra maps by default (Better Stack's table)", () => {
  const userAttributes: [string, unknown, (r: ScimResource) => unknown][] = [
    ["userName", "alice.smith@example.com", (r) => r.userName],
    ["active", false, (r) => r.active],
    ['emails[type eq "work"].value', "a.smith@example.com", (r) => (r.emails as { value: string }[])[0].value],
    ["name.givenName", "Alicia", (r) => (r.name as Record<string, unknown>).givenName],
    ["name.familyName", "Jones", (r) => (r.name as Record<string, unknown>).familyName],
    ['phoneNumbers[type eq "work"].value', "+1 555 0111", (r) => (r.phoneNumbers as { value: string }[])[0].value],
    ['phoneNumbers[type eq "mobile"].value', mobile.value, (r) => (r.phoneNumbers as { value: string }[])[1].value],
    ["externalId", "ext-9", (r) => r.externalId],
    // "Microsoft's validator sends random strings as timezone: do not reject them."
    ["timezone", "qzx Random/String 42", (r) => r.timezone],
    [`${ENT}:employeeNumber`, "77", (r) => (r[ENT] as Record<string, unknown>).employeeNumber],
    [`${ENT}:department`, "Support", (r) => (r[ENT] as Record<string, unknown>).department],
    [`${ENT}:manager`, "m9", (r) => (r[ENT] as Record<string, { value: string }>).manager.value],
  ];
  const userCases = SHAPES.flatMap((shape) => userAttributes.map(([path, value, read]) => ({ shape, path, value, read })));
  test.each(userCases)("Users: $path ($shape)", ({ shape, path, value, read }) => {
    const r = patched(user(), replaceAll(shape, { [path]: value }));
    expect(read(r.resource)).toBe(value as never);
  });

  const groupCases = SHAPES.flatMap((shape) =>
    [
      ["displayName", "Platform"],
      ["externalId", "ext-h"],
    ].map(([path, value]) => ({ shape, path, value })),
  );
  test.each(groupCases)("Groups: $path ($shape)", ({ shape, path, value }) => {
    const r = patched(group(), replaceAll(shape, { [path]: value }));
    expect(r.resource[path]).toBe(value);
  });
});
