// Malformed requests (RFC 7644 §3.12): each gets the right status, scimType and error body, and changes
// nothing in the database. Then a bounded, seeded fuzz loop: no request may ever be answered with a 5xx.
import { beforeAll, describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness";
import { TEST_ADMIN_TOKEN } from "../support/harness";
import { client, type Client, type Doc, ENT, expectScimError, GROUP, harness, patchOp, PATCH_OP, q, reply, rng, setUp, snapshot, USER } from "./client";

let c: Client;
let userId: string;
let groupId: string;

beforeAll(async () => {
  c = await setUp();
  userId = String((await c.user({ userName: "fixture@example.com", title: "Fixture", emails: [{ value: "f@example.com", type: "work" }] })).id);
  groupId = String((await c.group({ displayName: "Fixture Group", members: [{ value: userId }] })).id);
});

interface Case {
  name: string;
  method: string;
  path: () => string;
  body?: unknown;
  status: number;
  scimType?: string;
}

const nested = (depth: number) => `${"(".repeat(depth)}userName eq "x"${")".repeat(depth)}`;
const user = (extra: Doc) => ({ schemas: [USER], userName: "new@example.com", ...extra });
const u = () => `/Users/${userId}`;
const g = () => `/Groups/${groupId}`;
const ghost = "2b0f8e0e-0000-4000-8000-000000000000";
const emailAdds = (n: number) => Array.from({ length: n }, (_, i) => ({ op: "add", path: "emails", value: [{ value: `e${i}@example.com` }] }));

const bodies: Case[] = [
  { name: "invalid JSON → 400 invalidSyntax", method: "POST", path: () => "/Users", body: '{"userName": ', status: 400, scimType: "invalidSyntax" },
  { name: "JSON array body → 400 invalidSyntax", method: "POST", path: () => "/Users", body: [user({})], status: 400, scimType: "invalidSyntax" },
  { name: "JSON string body → 400 invalidSyntax", method: "POST", path: () => "/Users", body: '"userName"', status: 400, scimType: "invalidSyntax" },
  { name: "JSON null body → 400 invalidSyntax", method: "POST", path: () => "/Users", body: "null", status: 400, scimType: "invalidSyntax" },
  { name: "empty body → 400 invalidSyntax", method: "POST", path: () => "/Users", body: " ", status: 400, scimType: "invalidSyntax" },
  { name: "missing userName → 400 invalidValue", method: "POST", path: () => "/Users", body: { schemas: [USER], displayName: "x" }, status: 400, scimType: "invalidValue" },
  { name: 'userName "" → 400 invalidValue', method: "POST", path: () => "/Users", body: user({ userName: "" }), status: 400, scimType: "invalidValue" },
  { name: "userName 42 → 400 invalidValue", method: "POST", path: () => "/Users", body: user({ userName: 42 }), status: 400, scimType: "invalidValue" },
  { name: 'active: "maybe" → 400 invalidValue', method: "POST", path: () => "/Users", body: user({ active: "maybe" }), status: 400, scimType: "invalidValue" },
  { name: "emails: 5 → 400 invalidValue", method: "POST", path: () => "/Users", body: user({ emails: 5 }), status: 400, scimType: "invalidValue" },
  { name: "name: a string → 400 invalidValue", method: "POST", path: () => "/Users", body: user({ name: "Alice" }), status: 400, scimType: "invalidValue" },
  { name: "enterprise extension not an object → 400 invalidValue", method: "POST", path: () => "/Users", body: user({ [ENT]: "x" }), status: 400, scimType: "invalidValue" },
  {
    name: "two primary emails → 400 invalidValue (RFC 7643 §2.4)",
    method: "POST",
    path: () => "/Users",
    body: user({ emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: "True" }] }),
    status: 400,
    scimType: "invalidValue",
  },
  { name: "Group without displayName → 400 invalidValue", method: "POST", path: () => "/Groups", body: { schemas: [GROUP] }, status: 400, scimType: "invalidValue" },
  { name: "Group member value 5 → 400 invalidValue", method: "POST", path: () => "/Groups", body: { schemas: [GROUP], displayName: "n", members: [{ value: 5 }] }, status: 400, scimType: "invalidValue" },
  { name: "duplicate userName → 409 uniqueness", method: "POST", path: () => "/Users", body: user({ userName: "FIXTURE@example.com" }), status: 409, scimType: "uniqueness" },
  { name: "PUT without userName → 400 invalidValue", method: "PUT", path: u, body: { schemas: [USER] }, status: 400, scimType: "invalidValue" },
  { name: 'PUT active: "maybe" → 400 invalidValue', method: "PUT", path: u, body: user({ active: "maybe" }), status: 400, scimType: "invalidValue" },
  { name: "PUT invalid JSON → 400 invalidSyntax", method: "PUT", path: g, body: "{", status: 400, scimType: "invalidSyntax" },
];

const filters: Case[] = [
  ["userName eq", "operator without a value"],
  ["((", "unbalanced parentheses"],
  ['(userName eq "x"', "unclosed parenthesis"],
  ['userName eq "x")', "stray closing parenthesis"],
  ['foo eq "x"', "unknown attribute"],
  ['name.nope eq "x"', "unknown sub-attribute"],
  ['userName xx "x"', "unknown operator"],
  ['userName eq "x" and', "dangling and"],
  ['userName eq "abc', "unterminated string"],
  ['emails[type eq "work"', "unclosed value filter"],
  ['emails[type eq "work"].value[value eq "x"]', "nested value filter"],
  [`userName eq "${"x".repeat(5000)}"`, "5000-character filter"],
  [nested(40), "40-deep nesting"],
  [`${"not (".repeat(40)}userName eq "x"${")".repeat(40)}`, "40 nested nots"],
].flatMap(([filter, what]) =>
  ["/Users", "/Groups"].map((endpoint) => ({
    name: `GET ${endpoint}?filter= ${what} → 400 invalidFilter`,
    method: "GET",
    path: () => `${endpoint}?filter=${q(endpoint === "/Groups" ? filter.replace(/userName/g, "displayName") : filter)}`,
    status: 400,
    scimType: "invalidFilter",
  })),
);

const patches: Case[] = [
  { name: "PATCH without Operations → 400 invalidSyntax", method: "PATCH", path: u, body: { schemas: [PATCH_OP] }, status: 400, scimType: "invalidSyntax" },
  { name: "PATCH Operations not an array → 400 invalidSyntax", method: "PATCH", path: u, body: { schemas: [PATCH_OP], Operations: { op: "add" } }, status: 400, scimType: "invalidSyntax" },
  { name: "PATCH with a foreign schemas URN → 400 invalidSyntax", method: "PATCH", path: u, body: { schemas: [USER], Operations: [] }, status: 400, scimType: "invalidSyntax" },
  { name: 'PATCH unknown op "merge" → 400 invalidSyntax', method: "PATCH", path: u, body: patchOp({ op: "merge", path: "title", value: "x" }), status: 400, scimType: "invalidSyntax" },
  { name: "PATCH replace path id (readOnly) → 400 mutability", method: "PATCH", path: u, body: patchOp({ op: "replace", path: "id", value: "mine" }), status: 400, scimType: "mutability" },
  { name: "PATCH replace meta.created (readOnly) → 400 mutability", method: "PATCH", path: u, body: patchOp({ op: "replace", path: "meta.created", value: "2000-01-01T00:00:00Z" }), status: 400, scimType: "mutability" },
  { name: "PATCH Group path id → 400 mutability", method: "PATCH", path: g, body: patchOp({ op: "replace", path: "id", value: "mine" }), status: 400, scimType: "mutability" },
  { name: "PATCH path name..givenName → 400 invalidPath", method: "PATCH", path: u, body: patchOp({ op: "replace", path: "name..givenName", value: "x" }), status: 400, scimType: "invalidPath" },
  { name: "PATCH path title.sub → 400 invalidPath", method: "PATCH", path: u, body: patchOp({ op: "replace", path: "title.sub", value: "x" }), status: 400, scimType: "invalidPath" },
  { name: "PATCH value filter on a single-valued attribute → 400 invalidPath", method: "PATCH", path: u, body: patchOp({ op: "replace", path: 'name[givenName eq "x"]', value: {} }), status: 400, scimType: "invalidPath" },
  { name: "PATCH remove without path → 400 noTarget (RFC 7644 §3.5.2.2)", method: "PATCH", path: u, body: patchOp({ op: "remove" }), status: 400, scimType: "noTarget" },
  { name: "PATCH Group remove without path → 400 noTarget", method: "PATCH", path: g, body: patchOp({ op: "Remove", value: [{ value: ghost }] }), status: 400, scimType: "noTarget" },
  {
    name: "PATCH filter matching nothing that describes no element → 400 noTarget",
    method: "PATCH",
    path: u,
    body: patchOp({ op: "replace", path: 'emails[value co "nobody"].type', value: "home" }),
    status: 400,
    scimType: "noTarget",
  },
  { name: "PATCH replace without value → 400 invalidValue", method: "PATCH", path: u, body: patchOp({ op: "replace", path: "title" }), status: 400, scimType: "invalidValue" },
  { name: 'PATCH active "maybe" → 400 invalidValue', method: "PATCH", path: u, body: patchOp({ op: "replace", path: "active", value: "maybe" }), status: 400, scimType: "invalidValue" },
  { name: "PATCH userName to null (required) → 400 invalidValue", method: "PATCH", path: u, body: patchOp({ op: "remove", path: "userName" }), status: 400, scimType: "invalidValue" },
  {
    name: "PATCH is atomic: a valid first op and a failing second → 400, the first is not applied (RFC 7644 §3.5.2)",
    method: "PATCH",
    path: u,
    body: patchOp({ op: "replace", path: "title", value: "changed" }, { op: "replace", path: "id", value: "x" }),
    status: 400,
    scimType: "mutability",
  },
  {
    name: "PATCH Group members[foo ne ...] remove (members have no foo) → 400 invalidFilter",
    method: "PATCH",
    path: g,
    body: patchOp({ op: "remove", path: `members[foo ne "${ghost}"]` }),
    status: 400,
    scimType: "invalidFilter",
  },
  { name: "PATCH Group member value {} → 400 invalidValue", method: "PATCH", path: g, body: patchOp({ op: "add", path: "members", value: [{ value: {} }] }), status: 400, scimType: "invalidValue" },
  // Found by a review pass: time grew with the square of the operations, and nothing capped them.
  { name: "PATCH with 10,001 operations → 400 tooMany", method: "PATCH", path: u, body: patchOp(...emailAdds(10_001)), status: 400, scimType: "tooMany" },
  {
    name: "PATCH that goes through 1,001 emails 500 times (500,000 comparisons allowed) → 400 tooMany",
    method: "PATCH",
    path: u,
    body: patchOp(
      { op: "add", path: "emails", value: emailAdds(1000).map((a) => a.value[0]) },
      ...Array.from({ length: 500 }, () => ({ op: "replace", path: "emails.display", value: "x" })),
    ),
    status: 400,
    scimType: "tooMany",
  },
  {
    name: "PATCH Group with 10,001 operations → 400 tooMany",
    method: "PATCH",
    path: g,
    body: patchOp(...Array.from({ length: 10_001 }, () => ({ op: "remove", path: "members", value: [{ value: ghost }] }))),
    status: 400,
    scimType: "tooMany",
  },
];

const unknownIds: Case[] = ["Users", "Groups"].flatMap((type) => [
  { name: `GET /${type}/{unknown} → 404`, method: "GET", path: () => `/${type}/${ghost}`, status: 404 },
  { name: `PUT /${type}/{unknown} → 404`, method: "PUT", path: () => `/${type}/${ghost}`, body: type === "Users" ? user({}) : { schemas: [GROUP], displayName: "x" }, status: 404 },
  { name: `PATCH /${type}/{unknown} → 404`, method: "PATCH", path: () => `/${type}/${ghost}`, body: patchOp({ op: "replace", path: "externalId", value: "x" }), status: 404 },
  { name: `DELETE /${type}/{unknown} → 404`, method: "DELETE", path: () => `/${type}/${ghost}`, status: 404 },
]);

const queries: Case[] = [
  ["startIndex=abc", "invalidValue"],
  ["count=abc", "invalidValue"],
  ["count=1.5", "invalidValue"],
  ["sortOrder=sideways", "invalidValue"],
  ["sortBy=shoeSize", "invalidValue"],
].flatMap(([query, scimType]) =>
  ["/Users", "/Groups"].map((endpoint) => ({ name: `GET ${endpoint}?${query} → 400 ${scimType}`, method: "GET", path: () => `${endpoint}?${query}`, status: 400, scimType })),
);

const others: Case[] = [
  { name: "unknown endpoint → 404 SCIM error", method: "GET", path: () => "/Printers", status: 404 },
];

// RFC 9110 §15.5.6: a known endpoint asked with a method it does not serve is 405 with Allow, not 404.
const methods: [string, string, () => string, string][] = [
  ["PUT", "/Users", () => "/Users", "GET, HEAD, OPTIONS, POST"],
  ["DELETE", "/Groups", () => "/Groups", "GET, HEAD, OPTIONS, POST"],
  ["PATCH", "/Users", () => "/Users", "GET, HEAD, OPTIONS, POST"],
  ["POST", "/Users/{id}", u, "DELETE, GET, HEAD, OPTIONS, PATCH, PUT"],
  ["POST", "/Groups/{id}", g, "DELETE, GET, HEAD, OPTIONS, PATCH, PUT"],
  ["DELETE", "/ServiceProviderConfig", () => "/ServiceProviderConfig", "GET, HEAD, OPTIONS"],
  ["POST", "/Schemas", () => "/Schemas", "GET, HEAD, OPTIONS"],
  ["PUT", "/ResourceTypes/User", () => "/ResourceTypes/User", "GET, HEAD, OPTIONS"],
  ["GET", "/Bulk", () => "/Bulk", "OPTIONS, POST"],
  ["GET", "/.search", () => "/.search", "OPTIONS, POST"],
  ["TRACE", "/Users", () => "/Users", "GET, HEAD, OPTIONS, POST"],
];

// RFC 7644 §3.4.3: a SearchRequest's values are JSON of any type; each of the wrong type is a 400 naming it
// (a `filter` that is not a string must not list every user).
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const searches: Case[] = [
  ["startIndex", {}],
  ["startIndex", true],
  ["count", []],
  ["count", 1.5],
  ["filter", 5],
  ["filter", { userName: "x" }],
  ["sortBy", ["userName"]],
  ["sortOrder", true],
  ["attributes", 1],
  ["attributes", ["userName", 2]],
  ["excludedAttributes", {}],
  ["cursor", 5],
].flatMap(([field, value]) =>
  ["/Users/.search", "/Groups/.search", "/.search"].map((endpoint) => ({
    name: `POST ${endpoint} with ${field}: ${JSON.stringify(value)} → 400 invalidValue`,
    method: "POST",
    path: () => endpoint,
    body: { schemas: [SEARCH], [field as string]: value },
    status: 400,
    scimType: "invalidValue",
  })),
);

// The router hands a route null for a path segment it cannot decode; such paths are refused before routing.
const paths: Case[] = [
  ["GET", "/Schemas/%ZZ"],
  ["GET", "/ResourceTypes/%ZZ"],
  ["GET", "/Users/%ZZ"],
  ["DELETE", "/Users/%ZZ"],
  ["PATCH", "/Groups/%E0%A4%A"],
].map(([method, path]) => ({
  name: `${method} ${path} (malformed percent-encoding) → 400 invalidSyntax`,
  method: method as string,
  path: () => path as string,
  body: method === "PATCH" ? patchOp({ op: "replace", path: "displayName", value: "x" }) : undefined,
  status: 400,
  scimType: "invalidSyntax",
}));

describe("RFC 9110 §15.5.6: a method the endpoint does not serve → 405 with Allow, nothing written", () => {
  test.each(methods)("%s %s → 405 with Allow", async (method, _label, path, allow) => {
    const before = snapshot(c.h);
    const r = await c.send(method, path(), method === "GET" || method === "TRACE" || method === "DELETE" ? undefined : {});
    expectScimError(r, 405);
    expect(r.headers.get("allow")).toBe(allow);
    expect(String(r.body.detail)).toContain(allow);
    expect(snapshot(c.h)).toBe(before);
  });

  test("OPTIONS on a known endpoint → 204 with Allow; on an unknown one → 404", async () => {
    const r = await c.send("OPTIONS", "/Users");
    expect(r.status).toBe(204);
    expect(r.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    expect(r.text).toBe("");
    expectScimError(await c.send("OPTIONS", "/Printers"), 404);
  });

  test("the same answer under a tenant id that does not exist, and without a token: it names no tenant's data", async () => {
    const r = await c.h.request("PUT", `/scim/v2/${ghost}/Users`, { body: {} });
    expectScimError(await reply(r), 405);
    expect(r.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
  });

  test("the admin API answers its own error body with Allow", async () => {
    const r = await c.h.request("DELETE", "/admin/v1/tenants", { token: TEST_ADMIN_TOKEN });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    expect(await r.json()).toMatchObject({ status: 405, error: expect.stringContaining("DELETE is not allowed") });
  });
});

describe("RFC 7644 §3.12: malformed input → the right error, nothing written", () => {
  const cases = [...bodies, ...filters, ...patches, ...unknownIds, ...queries, ...others, ...searches, ...paths];
  test.each(cases.map((k) => [k.name, k] as const))("%s", async (_name, k) => {
    const before = snapshot(c.h);
    const r = await c.send(k.method, k.path(), k.body);
    expectScimError(r, k.status, k.scimType);
    expect(snapshot(c.h)).toBe(before);
  });

  test("the fixture is still intact after every refused request", async () => {
    const got = await c.get(u());
    // The fixture user is in the fixture group: its ETag is its row's version, then a hash of its groups.
    expect(got.body).toMatchObject({ userName: "fixture@example.com", title: "Fixture", meta: { version: expect.stringMatching(/^W\/"1-\w+"$/) } });
    const group = await c.get(g());
    expect(group.body).toMatchObject({ displayName: "Fixture Group", members: [{ value: userId }], meta: { version: 'W/"1"' } });
  });
});

describe("RFC 7643 §2.2 immutable (a tenant extension schema with an immutable attribute)", () => {
  const BADGE = "urn:example:params:scim:schemas:extension:badge:2.0:User";
  let h: Harness;
  let b: Client;
  let id: string;
  beforeAll(async () => {
    h = await harness();
    b = client(h, await h.newTenant("badges"));
    // Issue 4: the tenant's own extension, declared through the admin API.
    const declared = await h.admin("PUT", `/tenants/${b.tenant.id}/schemas`, {
      id: BADGE,
      name: "Badge",
      resourceType: "User",
      attributes: [
        { name: "badgeId", type: "string", mutability: "immutable", caseExact: true },
        { name: "doors", type: "complex", multiValued: true, subAttributes: [{ name: "value", type: "string" }, { name: "grantedBy", type: "string", mutability: "immutable" }] },
      ],
    });
    if (declared.status !== 200) throw new Error(`schema declaration failed: ${declared.status} ${await declared.text()}`);
    const doors = [{ value: "front", grantedBy: "alice" }];
    id = String((await b.user({ schemas: [USER, BADGE], userName: "badge@example.com", [BADGE]: { badgeId: "B-1", doors } })).id);
  });

  test.each([
    ["PUT with another value", "PUT", { schemas: [USER, BADGE], userName: "badge@example.com", [BADGE]: { badgeId: "B-2" } }],
    ["PUT leaving it out", "PUT", { schemas: [USER], userName: "badge@example.com" }],
    ["PATCH replace", "PATCH", patchOp({ op: "replace", path: `${BADGE}:badgeId`, value: "B-2" })],
    ["PATCH remove", "PATCH", patchOp({ op: "remove", path: `${BADGE}:badgeId` })],
    // Found by a review pass: sub-attributes of a multi-valued attribute were not checked.
    ["PATCH replace of an element's immutable sub-attribute", "PATCH", patchOp({ op: "replace", path: `${BADGE}:doors[value eq "front"].grantedBy`, value: "mallory" })],
    ["PATCH remove of an element's immutable sub-attribute", "PATCH", patchOp({ op: "remove", path: `${BADGE}:doors.grantedBy` })],
  ])("%s → 400 mutability, nothing written", async (_name, method, body) => {
    const before = snapshot(h);
    expectScimError(await b.send(method, `/Users/${id}`, body), 400, "mutability");
    expect(snapshot(h)).toBe(before);
  });

  test("PATCH adding a whole element, and removing one, → 200 (RFC 7643 §4.2: values MAY be added or removed)", async () => {
    const added = await b.patch(`/Users/${id}`, patchOp({ op: "add", path: `${BADGE}:doors`, value: [{ value: "back", grantedBy: "bob" }] }));
    expect(added.body[BADGE]).toMatchObject({ doors: [{ value: "front", grantedBy: "alice" }, { value: "back", grantedBy: "bob" }] });
    const removed = await b.patch(`/Users/${id}`, patchOp({ op: "remove", path: `${BADGE}:doors[value eq "back"]` }));
    expect(removed.body[BADGE]).toMatchObject({ doors: [{ value: "front", grantedBy: "alice" }] });
  });

  test("PUT with the same value → 200", async () => {
    const r = await b.put(`/Users/${id}`, { schemas: [USER, BADGE], userName: "badge@example.com", title: "t", [BADGE]: { badgeId: "B-1" } });
    expect(r.status).toBe(200);
    expect(r.body[BADGE]).toEqual({ badgeId: "B-1" });
  });
});

describe("fuzz: ~600 seeded mutations of valid requests never get a 5xx", () => {
  const weird: unknown[] = [
    null, "", 0, -1, 1e308, 3.5, true, false, "True", "maybe", [], {}, [[[]]], [null], { value: null }, "💥\u0000\uffff",
    "x".repeat(3000), { $ref: null }, { __proto__: { polluted: true } }, { constructor: "x" }, { a: { b: { c: { d: { e: [1] } } } } },
    [{ value: "a", primary: true }, { value: "b", primary: true }], "2024-13-45T99:99:99Z", "urn:ietf:params:scim:schemas:core:2.0:User",
  ];
  const filterBits = ["(", ")", "[", "]", '"', "\\", " ", ".", ":", " and ", " or ", "not ", " eq ", " pr", " gt ", "%", "+", "&", "\u2028", "emails", "urn:x:", "É", "ς", "ẞ", "Жж"];

  /** Replaces, deletes or wraps one random node of a JSON value. */
  function mutate(r: ReturnType<typeof rng>, value: unknown, depth = 0): unknown {
    if (depth > 0 && r.next() < 0.3) return r.pick(weird);
    if (Array.isArray(value) && value.length && r.next() < 0.8) {
      const copy = [...value];
      const i = r.int(copy.length);
      if (r.next() < 0.2) copy.splice(i, 1);
      else copy[i] = mutate(r, copy[i], depth + 1);
      return r.next() < 0.1 ? [...copy, ...copy] : copy;
    }
    if (value && typeof value === "object" && !Array.isArray(value) && r.next() < 0.85) {
      const copy: Doc = { ...(value as Doc) };
      const keys = Object.keys(copy);
      if (!keys.length) return { [r.pick(["userName", "value", "op", "path", "members"])]: r.pick(weird) };
      const key = r.pick(keys);
      const roll = r.next();
      if (roll < 0.15) delete copy[key];
      else if (roll < 0.25) {
        copy[key.toUpperCase()] = copy[key];
        delete copy[key];
      } else if (roll < 0.3) copy[`${key}.${r.pick(["value", "x", "givenName"])}`] = r.pick(weird);
      else copy[key] = mutate(r, copy[key], depth + 1);
      return copy;
    }
    if (typeof value === "string" && r.next() < 0.6) {
      const i = r.int(value.length + 1);
      return value.slice(0, i) + r.pick(filterBits) + value.slice(i + r.int(3));
    }
    return r.pick(weird);
  }

  function mutateText(r: ReturnType<typeof rng>, text: string): string {
    let out = text;
    for (let n = 1 + r.int(3); n > 0; n--) {
      const i = r.int(out.length + 1);
      out = out.slice(0, i) + r.pick(filterBits) + out.slice(i + r.int(4));
    }
    return out;
  }

  /** Mostly the operations: a mutated `schemas` only tests the first check of the parser. */
  const mutateOps = (r: ReturnType<typeof rng>, body: Doc) =>
    r.next() < 0.85 ? { ...body, Operations: mutate(r, body.Operations) } : mutate(r, body);

  test("every response is < 500, and every error is a SCIM error body", async () => {
    const f = await setUp("fuzz");
    const seedUser = await f.user({ userName: "seed@example.com", name: { givenName: "S" }, emails: [{ value: "s@x", type: "work", primary: true }] });
    const seedGroup = await f.group({ displayName: "seed group", members: [{ value: seedUser.id }] });
    const validUser: Doc = {
      schemas: [USER, ENT],
      userName: "fuzz@example.com",
      active: true,
      name: { givenName: "F", familyName: "Z" },
      emails: [{ value: "f@example.com", type: "work", primary: true }],
      phoneNumbers: [{ value: "1", type: "mobile" }],
      addresses: [{ type: "work", locality: "X" }],
      roles: [],
      [ENT]: { department: "D", manager: { value: seedUser.id } },
    };
    const validPatch = patchOp(
      { op: "Replace", path: "active", value: "False" },
      { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "2" },
      { op: "replace", value: { "name.givenName": "G", [`${ENT}:department`]: "E" } },
      { op: "remove", path: 'emails[type eq "work"]' },
    );
    const validGroupPatch = patchOp(
      { op: "Add", path: "members", value: [{ $ref: null, value: seedUser.id }] },
      // Eight members or more take the chunked path: users, a group, unknown ids, a display.
      { op: "Add", path: "members", value: [seedUser.id, seedGroup.id, ...Array.from({ length: 6 }, () => crypto.randomUUID())].map((value, k) => (k === 7 ? { value, display: "d" } : { value })) },
      { op: "Remove", path: "members", value: [{ value: seedUser.id }] },
      { op: "replace", path: "displayName", value: "seed group" },
    );
    const filters = ['userName eq "seed@example.com"', 'emails[type eq "work"].value eq "s@x" and active eq true', `${ENT}:department pr`, 'displayName sw "seed"', 'groups[type eq "indirect" or display co "seed"]'];
    // Fixed seed, so a failure replays; FUZZ_SEED=n explores other sequences (25 seeds passed when written; 18 more after .search and path mutations were added; 39 more after non-ASCII letters and other methods were; 30 more after the chunked member add and nested groups were; 10 more after present members were settled by one query and displays joined the chunks).
    const r = rng(Number(process.env.FUZZ_SEED ?? 0x5c1d));
    const failures: string[] = [];
    const validSearch = { schemas: [SEARCH], filter: filters[0], startIndex: 1, count: 10, sortBy: "userName", attributes: ["userName"], excludedAttributes: [] };
    for (let i = 0; i < 600; i++) {
      const kind = r.int(9);
      let method = "GET";
      let path: string;
      let body: unknown;
      if (kind === 0) [method, path, body] = ["POST", "/Users", mutate(r, { ...validUser, userName: `fuzz${i}@example.com` })];
      else if (kind === 1) [method, path, body] = ["PUT", `/Users/${seedUser.id}`, mutate(r, { ...validUser, userName: "seed@example.com" })];
      else if (kind === 2) [method, path, body] = ["PATCH", `/Users/${seedUser.id}`, mutateOps(r, validPatch)];
      else if (kind === 3) [method, path, body] = ["PATCH", `/Groups/${seedGroup.id}`, mutateOps(r, validGroupPatch)];
      else if (kind === 4) [method, path, body] = ["POST", "/Groups", mutate(r, { schemas: [GROUP], displayName: `g${i}`, members: [{ value: seedUser.id }] })];
      else if (kind === 7) [method, path, body] = ["POST", r.pick(["/Users/.search", "/Groups/.search", "/.search"]), mutate(r, validSearch)];
      else if (kind === 8) {
        const resource = r.pick([`/Users/${seedUser.id}`, `/Groups/${seedGroup.id}`, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/ResourceTypes/User"]);
        path = mutateText(r, resource);
        method = r.pick(["GET", "GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"]);
      } else {
        const endpoint = r.pick(["/Users", "/Groups"]);
        const params = [
          `filter=${r.next() < 0.7 ? q(mutateText(r, r.pick(filters))) : mutateText(r, r.pick(filters)).replace(/ /g, "+")}`,
          `startIndex=${r.pick(["1", "0", "-1", "999999999999", "9223372036854775808", "1e3", "", "%zz"])}`,
          `count=${r.pick(["10", "0", "-5", "99999999999999999999", "NaN", "%"])}`,
          `attributes=${q(mutateText(r, "userName,emails[type eq \"work\"].value"))}`,
          `excludedAttributes=${r.pick(["members", "groups", "%ZZ", "urn:", "meta.version"])}`,
          `sortBy=${r.pick(["userName", "emails", "name.givenName", "x.y.z", "members"])}`,
        ].filter(() => r.next() < 0.6);
        path = `${endpoint}${kind === 6 ? `/${r.pick([seedUser.id, seedGroup.id, "%2e%2e", "x"])}` : ""}?${params.join("&")}`;
      }
      const res = await f.send(method, path, typeof body === "string" ? JSON.stringify(body) : body);
      const isError = res.status >= 400;
      const scimBody = !isError || (Array.isArray(res.body.schemas) && (res.body.schemas as string[])[0] === "urn:ietf:params:scim:api:messages:2.0:Error");
      if (res.status >= 500 || !scimBody) failures.push(`#${i} ${method} ${path} ${JSON.stringify(body)?.slice(0, 300)} → ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});
