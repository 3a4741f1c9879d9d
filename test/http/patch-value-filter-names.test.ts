// A PATCH value filter may name only sub-attributes of the attribute it filters (RFC 7644 §3.5.2: a valuePath's
// valFilter is a filter on that attribute's values, §3.4.2.2). One naming anything else is 400 invalidFilter (RFC
// 7644 §3.12: "the specified attribute and filter comparison combination is not supported", PATCH path filters
// included), for every operation and every multi-valued attribute, as `GET ?filter=` answers for the same filter —
// where it used to match nothing: a remove answered 200 having removed nothing, an add or replace noTarget.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, expectScimError, patchOp, q, setUp, snapshot, USER } from "./client";
import { ACME_USER_URN as ACME, acmeUserSchema } from "../support/acme-schema";

const acmeSchema = acmeUserSchema([
  { name: "skills", type: "string", multiValued: true },
  { name: "badges", type: "complex", multiValued: true, subAttributes: [{ name: "code", type: "string" }, { name: "level", type: "integer" }] },
]);

let c: Client;
let u: Doc;
let g: Doc;

beforeAll(async () => {
  c = await setUp("value-filter-names");
  expect((await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, acmeSchema)).status).toBe(200);
  u = await c.user({
    schemas: [USER, ACME],
    userName: "vf@example.com",
    emails: [{ value: "vf@example.com", type: "work", primary: true }],
    phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
    addresses: [{ type: "work", streetAddress: "1 Main St" }],
    [ACME]: { skills: ["go", "sql"], badges: [{ code: "B1", level: 2 }] },
  });
  g = await c.group({ displayName: "vf group", members: [{ value: u.id }] });
});

// [resource, filtered path (its filter is also sent to GET ?filter= where it is a whole filter), PATCH value for add/replace]
const refused: [string, "Users" | "Groups", string, unknown][] = [
  ["emails[foo eq \"x\"]: an unknown sub-attribute", "Users", 'emails[foo eq "x"]', { value: "x@example.com" }],
  ["emails[foo eq \"x\"].value: the same, with a sub-attribute after it", "Users", 'emails[foo eq "x"].value', "x@example.com"],
  ["an unknown name beside known ones (and)", "Users", 'phoneNumbers[type eq "work" and foo pr]', { value: "+1" }],
  ["an unknown name under not", "Users", 'addresses[not (foo eq "x")]', { type: "home" }],
  ["a name with a sub-attribute of its own: emails[value.x eq \"x\"]", "Users", 'emails[value.x eq "x"]', { value: "x@example.com" }],
  ["a URN-qualified name: emails[urn:x:type eq \"work\"]", "Users", 'emails[urn:x:type eq "work"]', { value: "x@example.com" }],
  ["value on a complex attribute without one: addresses[value eq \"x\"]", "Users", 'addresses[value eq "x"]', { type: "home" }],
  ["a tenant extension's multi-valued complex attribute", "Users", `${ACME}:badges[foo eq "x"]`, { code: "B2" }],
  ["a tenant extension's multi-valued string attribute", "Users", `${ACME}:skills[foo eq "x"]`, "rust"],
  ["Groups: members[foo eq \"x\"]", "Groups", 'members[foo eq "x"]', [{ value: "x" }]],
];

const target = (type: "Users" | "Groups") => `/${type}/${type === "Users" ? u.id : g.id}`;

describe("PATCH value filters naming what the attribute's values lack → 400 invalidFilter, nothing changed", () => {
  for (const [name, type, path, value] of refused) {
    for (const op of ["remove", "add", "replace", "Remove"]) {
      test(`${op} ${name}`, async () => {
        const before = snapshot(c.h);
        const operation = op.toLowerCase() === "remove" ? { op, path } : { op, path, value };
        // A change before it in the same request is not applied either (RFC 7644 §3.5.2: all or nothing).
        const r = await c.patch(target(type), patchOp({ op: "replace", path: type === "Users" ? "title" : "externalId", value: "changed" }, operation));
        expectScimError(r, 400, "invalidFilter");
        expect(snapshot(c.h)).toBe(before);
      });
    }
  }

  test("the GET filter on the same name answers the same: emails[foo eq \"x\"] and the extension's", async () => {
    for (const filter of ['emails[foo eq "x"]', `${ACME}:badges[foo eq "x"]`]) {
      const listed = await c.get(`/Users?filter=${q(filter)}`);
      expectScimError(listed, 400, "invalidFilter");
      const patched = await c.patch(target("Users"), patchOp({ op: "remove", path: filter }));
      expectScimError(patched, 400, "invalidFilter");
      expect(patched.body.detail).toBe(`Operations[0]: ${listed.body.detail}`);
    }
  });
});

describe("filters on names the values have keep working, Entra's shapes included (entra.md)", () => {
  const shown = async () => (await c.get(target("Users"))).body;
  test.each([
    ['Replace emails[type eq "work"].value', { op: "Replace", path: 'emails[type eq "work"].value', value: "vf2@example.com" }, (d: Doc) => (d.emails as Doc[])[0]?.value, "vf2@example.com"],
    ['Add phoneNumbers[type eq "mobile"].value creates the element', { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0199" }, (d: Doc) => (d.phoneNumbers as Doc[]).find((p) => p.type === "mobile")?.value, "+1 555 0199"],
    ["remove addresses[type eq \"work\" and streetAddress pr].streetAddress", { op: "remove", path: 'addresses[type eq "work" and streetAddress pr].streetAddress' }, (d: Doc) => (d.addresses as Doc[])[0]?.streetAddress, undefined],
    ["a simple multi-valued extension attribute's element is its value: remove skills[value eq \"sql\"]", { op: "remove", path: `${ACME}:skills[value eq "sql"]` }, (d: Doc) => (d[ACME] as Doc).skills, ["go"]],
    ["an extension's complex values: replace badges[code eq \"B1\"].level", { op: "replace", path: `${ACME}:badges[code eq "B1"].level`, value: 3 }, (d: Doc) => (d[ACME] as Doc).badges, [{ code: "B1", level: 3 }]],
    ["names in any case: remove emails[TYPE eq \"home\"] removes nothing", { op: "remove", path: 'emails[TYPE eq "home"]' }, (d: Doc) => (d.emails as Doc[]).length, 1],
  ])("%s", async (_case, operation, read, expected) => {
    const r = await c.patch(target("Users"), patchOp(operation));
    expect(r.status).toBe(200);
    expect(read(await shown())).toEqual(expected);
  });

  test('Remove members[value eq "<id>"] (entra.md) and members[type eq "User"]', async () => {
    const member = async () => (((await c.get(target("Groups"))).body.members ?? []) as Doc[]).length;
    expect((await c.patch(target("Groups"), patchOp({ op: "Remove", path: `members[value eq "${u.id}"]` }))).status).toBe(204);
    expect(await member()).toBe(0);
    await c.patch(target("Groups"), patchOp({ op: "Add", path: "members", value: [{ value: u.id }] }));
    expect((await c.patch(target("Groups"), patchOp({ op: "remove", path: 'members[type eq "User"]' }))).status).toBe(204);
    expect(await member()).toBe(0);
  });
});
