// Discovery over HTTP (RFC 7644 §4; RFC 7643 §5 ServiceProviderConfig, §6 ResourceTypes, §7 Schemas).
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, ENT, expectScimError, GROUP, LIST, resources, setUp, USER } from "./client";

let c: Client;
beforeAll(async () => {
  c = await setUp();
});

const tenantBase = () => `http://scimd.test${c.tenant.url}`;
type Attr = Doc & { name: string; subAttributes?: Attr[] };
const attributesOf = async (urn: string) => ((await c.get(`/Schemas/${urn}`)).body.attributes ?? []) as Attr[];
const walk = (attrs: Attr[], prefix = ""): [string, Attr][] =>
  attrs.flatMap((a) => [[`${prefix}${a.name}`, a] as [string, Attr], ...walk(a.subAttributes ?? [], `${prefix}${a.name}.`)]);

describe("GET /ServiceProviderConfig (RFC 7643 §5)", () => {
  test("advertises what the server does: patch, filter with maxResults, sort, etag; no changePassword", async () => {
    const r = await c.get("/ServiceProviderConfig");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toStartWith("application/scim+json");
    // A copy: Bun 1.4.5's toMatchObject writes its asymmetric matchers into the received object.
    expect(structuredClone(r.body)).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: expect.any(Boolean) },
      filter: { supported: true, maxResults: expect.any(Number) },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      meta: { resourceType: "ServiceProviderConfig", location: `${tenantBase()}/ServiceProviderConfig` },
    });
    expect(Number((r.body.filter as Doc).maxResults)).toBeGreaterThan(0);
    expect(r.body.authenticationSchemes).toEqual([
      expect.objectContaining({ type: "oauthbearertoken", name: expect.any(String), description: expect.any(String), primary: true }),
      expect.objectContaining({ type: "oauth2", name: expect.any(String), description: expect.any(String) }),
    ]);
  });

  test("filter.maxResults is the cap the list endpoints apply", async () => {
    const max = Number(((await c.get("/ServiceProviderConfig")).body.filter as Doc).maxResults);
    const r = await c.get(`/Users?count=${max + 1}`);
    expect(r.status).toBe(200);
    expect(r.body.itemsPerPage).toBeLessThanOrEqual(max);
  });
});

describe("GET /ResourceTypes (RFC 7643 §6)", () => {
  const user = () => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: expect.any(String),
    schema: USER,
    schemaExtensions: [{ schema: ENT, required: false }],
    meta: { resourceType: "ResourceType", location: `${tenantBase()}/ResourceTypes/User` },
  });
  const group = () => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: expect.any(String),
    schema: GROUP,
    schemaExtensions: [],
    meta: { resourceType: "ResourceType", location: `${tenantBase()}/ResourceTypes/Group` },
  });

  test("a ListResponse of User (with the enterprise extension) and Group", async () => {
    const r = await c.get("/ResourceTypes");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 2 });
    expect(resources(r.body)).toEqual([user(), group()]);
  });

  test("GET /ResourceTypes/User and /ResourceTypes/Group", async () => {
    expect((await c.get("/ResourceTypes/User")).body).toEqual(user());
    expect((await c.get("/ResourceTypes/Group")).body).toEqual(group());
  });

  test("unknown resource type → 404 SCIM error", async () => {
    expectScimError(await c.get("/ResourceTypes/Printer"), 404);
  });
});

describe("GET /Schemas (RFC 7643 §7)", () => {
  test("a ListResponse of the User, enterprise User and Group schemas, each also at /Schemas/{urn}", async () => {
    const r = await c.get("/Schemas");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 3 });
    const list = resources(r.body);
    expect(list.map((s) => s.id).sort()).toEqual([ENT, GROUP, USER].sort());
    for (const schema of list) {
      const one = await c.get(`/Schemas/${schema.id}`);
      expect(one.status).toBe(200);
      expect(one.headers.get("content-type")).toStartWith("application/scim+json");
      expect(one.body).toEqual(schema);
      expect(one.body).toMatchObject({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        meta: { resourceType: "Schema", location: `${tenantBase()}/Schemas/${schema.id}` },
      });
    }
  });

  test("unknown schema → 404 SCIM error", async () => {
    expectScimError(await c.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Printer"), 404);
  });

  // RFC 7643 §3.1: externalId is a common attribute, set by the client and matched case-exactly.
  const externalId = {
    name: "externalId",
    type: "string",
    multiValued: false,
    description: expect.any(String),
    required: false,
    caseExact: true,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
  };

  // entra.md "Attributes Entra maps by default" plus the enterprise attributes admins add.
  const mapped: [string, string, Doc][] = [
    [USER, "userName", { type: "string", required: true, uniqueness: "server", caseExact: false }],
    [USER, "externalId", externalId],
    [USER, "active", { type: "boolean" }],
    [USER, "emails.value", { type: "string" }],
    [USER, "emails.type", { canonicalValues: expect.arrayContaining(["work"]) }],
    [USER, "name.givenName", { type: "string" }],
    [USER, "name.familyName", { type: "string" }],
    [USER, "phoneNumbers.value", { type: "string" }],
    [USER, "phoneNumbers.type", { canonicalValues: expect.arrayContaining(["work", "mobile"]) }],
    [USER, "timezone", { type: "string" }],
    [USER, "password", { mutability: "writeOnly", returned: "never" }],
    [USER, "groups", { mutability: "readOnly", multiValued: true }],
    [ENT, "employeeNumber", { type: "string" }],
    [ENT, "department", { type: "string" }],
    [ENT, "costCenter", { type: "string" }],
    [ENT, "organization", { type: "string" }],
    [ENT, "division", { type: "string" }],
    [ENT, "manager", { type: "complex" }],
    [ENT, "manager.value", { type: "string" }],
    [GROUP, "displayName", { type: "string", required: true }],
    [GROUP, "externalId", externalId],
    [GROUP, "members", { type: "complex", multiValued: true }],
    [GROUP, "members.value", { type: "string", mutability: "immutable" }],
    [GROUP, "members.display", { type: "string", mutability: "immutable" }],
    [GROUP, "members.type", { canonicalValues: ["User", "Group"] }],
  ];
  test.each(mapped)("%s %s is discoverable", async (urn, path, characteristics) => {
    const found = walk(await attributesOf(urn)).find(([p]) => p === path)?.[1];
    expect(found).toMatchObject(characteristics);
  });

  test("externalId is listed exactly once, by each core schema and by no extension", async () => {
    const list = resources((await c.get("/Schemas")).body);
    const listing = list.map((s) => [s.id, ((s.attributes ?? []) as Attr[]).filter((a) => a.name === "externalId").length]);
    expect(listing).toEqual([[USER, 1], [ENT, 0], [GROUP, 1]]);
    for (const urn of [USER, GROUP]) expect((await attributesOf(urn)).find((a) => a.name === "externalId")).toEqual(externalId);
  });

  // entra.md wants canonicalValues on `type` sub-attributes. RFC 7643 §4.1.2 defines none for entitlements, roles
  // and x509Certificates: there the key is left out, since an empty list reads as "no value is allowed".
  test("every `type` sub-attribute lists its canonicalValues, or has no such key when RFC 7643 defines none", async () => {
    const undefinedByRfc = ["entitlements.type", "roles.type", "x509Certificates.type"];
    const shape = (a: Attr) => (!("canonicalValues" in a) ? "absent" : Array.isArray(a.canonicalValues) && a.canonicalValues.length ? "listed" : "empty");
    for (const urn of [USER, ENT, GROUP]) {
      const types = walk(await attributesOf(urn)).filter(([p]) => p.endsWith(".type"));
      if (urn === USER) expect(types.length).toBeGreaterThanOrEqual(8);
      const expected = types.map(([path]) => [path, urn === USER && undefinedByRfc.includes(path) ? "absent" : "listed"]);
      expect(types.map(([path, a]) => [path, shape(a)])).toEqual(expected);
    }
  });

  test("no attribute of any schema advertises an empty canonicalValues list", async () => {
    const empty = resources((await c.get("/Schemas")).body).flatMap((s) =>
      walk((s.attributes ?? []) as Attr[]).filter(([, a]) => Array.isArray(a.canonicalValues) && a.canonicalValues.length === 0).map(([p]) => `${s.id}:${p}`),
    );
    expect(empty).toEqual([]);
  });

  test("every RFC 7643 §4.1 User attribute is described", async () => {
    const names = (await attributesOf(USER)).map((a) => a.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale",
        "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements",
        "roles", "x509Certificates",
      ]),
    );
  });
});

describe("discovery is per tenant and behind the tenant's token (design.md)", () => {
  test.each(["/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas", `/Schemas/${USER}`])("%s without a token → 401", async (path) => {
    const r = await c.h.request("GET", `${c.tenant.url}${path}`);
    expectScimError({ status: r.status, headers: r.headers, body: (await r.json()) as Doc, text: "" }, 401);
  });

  test("endpoint names match case-insensitively (Microsoft's validator sends lower case)", async () => {
    for (const path of ["/serviceproviderconfig", "/resourcetypes", "/schemas"]) {
      expect((await c.get(path)).status).toBe(200);
    }
  });
});
