import { describe, expect, test } from "bun:test";
import {
  resourceTypeDoc,
  resourceTypesList,
  schemaDoc,
  schemasList,
  serviceProviderConfig,
} from "../../../src/scim/schema/discovery.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";
import { ENTERPRISE_USER_SCHEMA as ENT, GROUP_SCHEMA, LIST_RESPONSE_SCHEMA, USER_SCHEMA } from "../../../src/scim/schema/types.ts";

const registry = createRegistry();
const base = "https://scim.example/scim/v2/t1";
type Attr = Record<string, unknown> & { name: string; subAttributes?: Attr[] };
const schema = (id: string) => schemaDoc(registry, id, base) as { attributes: Attr[] };
const attr = (id: string, path: string): Attr | undefined => {
  const [top, sub] = path.split(".");
  const a = schema(id).attributes.find((x) => x.name === top);
  return sub ? a?.subAttributes?.find((x) => x.name === sub) : a;
};
const walk = (attrs: Attr[], prefix = ""): [string, Attr][] =>
  attrs.flatMap((a) => [[`${prefix}${a.name}`, a] as [string, Attr], ...walk(a.subAttributes ?? [], `${prefix}${a.name}.`)]);

describe("GET /Schemas (RFC 7643 §7)", () => {
  const list = schemasList(registry, base) as { Resources: { id: string; attributes: Attr[]; meta: unknown }[] };
  test("ListResponse of the User, EnterpriseUser and Group schemas", () => {
    expect(list).toMatchObject({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    expect(list.Resources.map((r) => r.id)).toEqual([USER_SCHEMA, ENT, GROUP_SCHEMA]);
    expect(list.Resources[1]?.meta).toEqual({ resourceType: "Schema", location: `${base}/Schemas/${ENT}` });
  });
  const characteristics = ["name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness"];
  for (const s of list.Resources) {
    test(`every attribute of ${s.id} has all RFC 7643 §7 characteristics`, () => {
      for (const [path, a] of walk(s.attributes)) {
        expect({ path, keys: characteristics.filter((c) => c in a) }).toEqual({ path, keys: characteristics });
        if (a.type === "complex") expect(a.subAttributes?.length).toBeGreaterThan(0);
      }
    });
    // RFC 7643 §4.1.2 defines no canonical types for entitlements, roles and x509Certificates; an empty list
    // would read as "no value is allowed", so those leave the key out.
    test(`every type sub-attribute of ${s.id} lists canonicalValues, or none at all (entra.md)`, () => {
      const undefinedByRfc = ["entitlements.type", "roles.type", "x509Certificates.type"];
      for (const [path, a] of walk(s.attributes)) {
        if (!path.endsWith(".type")) continue;
        const listed = Array.isArray(a.canonicalValues) && a.canonicalValues.length > 0;
        if (s.id === USER_SCHEMA && undefinedByRfc.includes(path)) expect({ path, has: "canonicalValues" in a }).toEqual({ path, has: false });
        else expect({ path, listed }).toEqual({ path, listed: true });
      }
    });
  }
  // RFC 7643 §3.1 lets a schema list common attributes; the core schemas list externalId, which clients map.
  test("of the common attributes, the core schemas list externalId only", () => {
    for (const id of [USER_SCHEMA, GROUP_SCHEMA]) {
      const names = schema(id).attributes.map((a) => a.name);
      expect(names.filter((n) => ["id", "externalId", "meta"].includes(n))).toEqual(["externalId"]);
    }
    expect(schema(ENT).attributes.map((a) => a.name)).not.toContain("externalId");
  });
  test("unknown schema is undefined (404); ids match case-insensitively", () => {
    expect(schemaDoc(registry, "urn:nope", base)).toBeUndefined();
    expect(schemaDoc(registry, ENT.toLowerCase(), base)).toMatchObject({ id: ENT });
  });
});

describe("RFC 7643 §8.7.1 characteristics", () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [USER_SCHEMA, "userName", { type: "string", required: true, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "server" }],
    [USER_SCHEMA, "password", { mutability: "writeOnly", returned: "never" }],
    [USER_SCHEMA, "groups", { multiValued: true, mutability: "readOnly" }],
    [USER_SCHEMA, "groups.$ref", { type: "reference", referenceTypes: ["User", "Group"] }],
    [USER_SCHEMA, "profileUrl", { type: "reference", referenceTypes: ["external"] }],
    [USER_SCHEMA, "active", { type: "boolean" }],
    [USER_SCHEMA, "emails.type", { canonicalValues: ["work", "home", "other"] }],
    [USER_SCHEMA, "phoneNumbers.type", { canonicalValues: ["work", "home", "mobile", "fax", "pager", "other"] }],
    [USER_SCHEMA, "ims.type", { canonicalValues: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"] }],
    [USER_SCHEMA, "photos.type", { canonicalValues: ["photo", "thumbnail"] }],
    [USER_SCHEMA, "photos.value", { type: "reference", referenceTypes: ["external"] }],
    [USER_SCHEMA, "addresses.type", { canonicalValues: ["work", "home", "other"] }],
    [USER_SCHEMA, "x509Certificates.value", { type: "binary", caseExact: true }], // RFC 7643 §2.3.6
    [ENT, "manager.$ref", { type: "reference", referenceTypes: ["User"] }],
    [ENT, "manager.displayName", { mutability: "readOnly" }],
    [GROUP_SCHEMA, "displayName", { required: true }],
    [GROUP_SCHEMA, "members.value", { mutability: "immutable" }],
    [GROUP_SCHEMA, "members.type", { canonicalValues: ["User", "Group"], mutability: "immutable" }],
  ];
  for (const [id, path, expected] of cases) test(`${path}`, () => expect(attr(id, path)).toMatchObject(expected));

  test("User has every RFC 7643 §4.1 attribute and sub-attribute", () => {
    const paths = walk(schema(USER_SCHEMA).attributes).map(([p]) => p);
    const mv = (n: string, subs = ["value", "display", "type", "primary"]) => [n, ...subs.map((s) => `${n}.${s}`)];
    expect(paths).toEqual([
      "externalId",
      "userName",
      ...["name", "name.formatted", "name.familyName", "name.givenName", "name.middleName", "name.honorificPrefix", "name.honorificSuffix"],
      ...["displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone", "active", "password"],
      ...mv("emails"),
      ...mv("phoneNumbers"),
      ...mv("ims"),
      ...mv("photos"),
      ...mv("addresses", ["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary"]),
      ...mv("groups", ["value", "$ref", "display", "type"]),
      ...mv("entitlements"),
      ...mv("roles"),
      ...mv("x509Certificates"),
    ]);
  });
  test("EnterpriseUser has every RFC 7643 §4.3 attribute", () => {
    expect(walk(schema(ENT).attributes).map(([p]) => p)).toEqual([
      ...["employeeNumber", "costCenter", "organization", "division", "department"],
      ...["manager", "manager.value", "manager.$ref", "manager.displayName"],
    ]);
  });
});

describe("GET /ResourceTypes (RFC 7643 §6)", () => {
  test("Users has the enterprise extension, not required", () => {
    expect(resourceTypeDoc(registry, "User", base)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENT, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    });
  });
  test("list and lookup", () => {
    const list = resourceTypesList(registry, base) as { totalResults: number; Resources: { id: string }[] };
    expect(list.totalResults).toBe(2);
    expect(list.Resources.map((r) => r.id)).toEqual(["User", "Group"]);
    expect(resourceTypeDoc(registry, "Group", base)).toMatchObject({ endpoint: "/Groups", schemaExtensions: [] });
    expect(resourceTypeDoc(registry, "Device", base)).toBeUndefined();
  });
});

describe("GET /ServiceProviderConfig (RFC 7643 §5)", () => {
  const doc = serviceProviderConfig({
    baseUrl: base,
    maxResults: 200,
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    sort: true,
    etag: true,
    documentationUri: "https://scim.example/docs",
  });
  test("every feature and the bearer scheme", () => {
    expect(doc).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      documentationUri: "https://scim.example/docs",
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        expect.objectContaining({ type: "oauthbearertoken", primary: true }),
        expect.objectContaining({ type: "oauth2", primary: false }),
      ],
      meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
    });
  });
});
