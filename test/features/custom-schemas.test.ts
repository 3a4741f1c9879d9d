// Issue 4 §6: extension schemas an admin declares for one tenant: discoverable, validated, filterable,
// sortable, patchable the way Entra maps them — and invisible to every other tenant.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { ACME_USER_URN as URN, acmeUserSchema } from "../support/acme-schema";

let h: Harness;
let a: TestTenant;
let b: TestTenant;

const schema = acmeUserSchema([
  { name: "badgeNumber", type: "integer", description: "Badge" },
  { name: "clearance", type: "string", canonicalValues: ["low", "high"], caseExact: false },
  { name: "hireDate", type: "dateTime" },
  { name: "remote", type: "boolean" },
  { name: "building", type: "complex", subAttributes: [{ name: "code", type: "string" }, { name: "floor", type: "integer" }] },
  { name: "skills", type: "string", multiValued: true },
]);

const scim = (tenant: typeof a, method: string, path: string, body?: unknown) => h.request(method, `${tenant.url}${path}`, { token: tenant.token, body });

beforeAll(async () => {
  h = await createHarness();
  a = await h.newTenant("A");
  b = await h.newTenant("B");
  const res = await h.admin("PUT", `/tenants/${a.id}/schemas`, schema);
  expect(res.status).toBe(200);
  for (const [userName, badge, clearance, floor] of [["ann", 30, "high", 2], ["ben", 10, "LOW", 5], ["cat", 20, "low", 1]] as const) {
    const created = await scim(a, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", URN],
      userName,
      [URN]: { badgeNumber: badge, clearance, building: { code: "B1", floor }, skills: ["go", userName], remote: "True" },
    });
    expect(created.status).toBe(201);
  }
});

describe("per-tenant extension schemas", () => {
  test("appear in that tenant's /Schemas and /ResourceTypes, with their characteristics", async () => {
    const schemas = (await (await scim(a, "GET", "/Schemas")).json()) as { Resources: { id: string; attributes: { name: string; canonicalValues?: string[] }[] }[] };
    const mine = schemas.Resources.find((s) => s.id === URN);
    expect(mine?.attributes.map((x) => x.name)).toEqual(["badgeNumber", "clearance", "hireDate", "remote", "building", "skills"]);
    expect(mine?.attributes.find((x) => x.name === "clearance")?.canonicalValues).toEqual(["low", "high"]);
    const one = await scim(a, "GET", `/Schemas/${URN}`);
    expect(one.status).toBe(200);
    const user = (await (await scim(a, "GET", "/ResourceTypes/User")).json()) as { schemaExtensions: { schema: string }[] };
    expect(user.schemaExtensions.map((e) => e.schema)).toContain(URN);
  });

  test("other tenants do not see them anywhere", async () => {
    const schemas = await (await scim(b, "GET", "/Schemas")).text();
    expect(schemas).not.toContain(URN);
    expect((await scim(b, "GET", `/Schemas/${URN}`)).status).toBe(404);
    const filter = await scim(b, "GET", `/Users?filter=${encodeURIComponent(`${URN}:badgeNumber eq 10`)}`);
    expect(filter.status).toBe(400);
    // Data under an unknown URN is dropped for B, not stored.
    const created = (await (await scim(b, "POST", "/Users", { userName: "zed", [URN]: { badgeNumber: 1 } })).json()) as Record<string, unknown>;
    expect(created[URN]).toBeUndefined();
  });

  test("values are validated on write: a wrong type → 400 invalidValue, nothing stored", async () => {
    const before = h.services.tenants.counts(a.id).users;
    const res = await scim(a, "POST", "/Users", { userName: "bad", [URN]: { badgeNumber: "twelve" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { scimType: string }).scimType).toBe("invalidValue");
    expect(h.services.tenants.counts(a.id).users).toBe(before);
  });

  test("booleans from Entra as strings are stored as JSON booleans", async () => {
    const list = (await (await scim(a, "GET", '/Users?filter=userName eq "ann"')).json()) as { Resources: Record<string, { remote: unknown }>[] };
    expect(list.Resources[0][URN].remote).toBe(true);
  });

  test.each([
    [`${URN}:badgeNumber gt 15`, ["ann", "cat"]],
    [`${URN}:clearance eq "low"`, ["ben", "cat"]],
    [`${URN}:building.floor ge 2`, ["ann", "ben"]],
    [`${URN}:skills eq "ben"`, ["ben"]],
    [`${URN}:remote eq true and ${URN}:badgeNumber lt 25`, ["ben", "cat"]],
  ])("filterable: %s", async (filter, expected) => {
    const res = await scim(a, "GET", `/Users?filter=${encodeURIComponent(filter)}&sortBy=userName`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Resources: { userName: string }[] };
    expect(body.Resources.map((u) => u.userName)).toEqual(expected);
  });

  test("sortable, including a sub-attribute", async () => {
    const names = async (q: string) => ((await (await scim(a, "GET", `/Users?${q}`)).json()) as { Resources: { userName: string }[] }).Resources.map((u) => u.userName);
    expect(await names(`sortBy=${URN}:badgeNumber`)).toEqual(["ben", "cat", "ann"]);
    expect(await names(`sortBy=${URN}:building.floor&sortOrder=descending`)).toEqual(["ben", "ann", "cat"]);
  });

  test("Entra maps to them with a URN-qualified PATCH path and path-less replace", async () => {
    const id = ((await (await scim(a, "GET", '/Users?filter=userName eq "cat"')).json()) as { Resources: { id: string }[] }).Resources[0].id;
    const res = await scim(a, "PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: `${URN}:clearance`, value: "high" },
        { op: "replace", value: { [`${URN}:badgeNumber`]: 99 } },
      ],
    });
    expect(res.status).toBe(200);
    const user = (await res.json()) as Record<string, { clearance: string; badgeNumber: number }>;
    expect(user[URN].clearance).toBe("high");
    expect(user[URN].badgeNumber).toBe(99);
  });

  test("admin API: list, reject bad declarations, delete", async () => {
    const list = (await (await h.admin("GET", `/tenants/${a.id}/schemas`)).json()) as { id: string }[];
    expect(list.map((s) => s.id)).toEqual([URN]);
    for (const bad of [
      { ...schema, id: "urn:ietf:params:scim:schemas:core:2.0:User" },
      { ...schema, id: "not-a-urn" },
      { ...schema, attributes: [{ name: "x", type: "complex" }] },
      { ...schema, attributes: [{ name: "dup", type: "string" }, { name: "DUP", type: "string" }] },
      { ...schema, attributes: [{ name: "1bad", type: "string" }] },
    ]) {
      expect((await h.admin("PUT", `/tenants/${b.id}/schemas`, bad)).status).toBe(400);
    }
    expect((await h.admin("GET", `/tenants/${b.id}/schemas`)).status).toBe(200);
    const urn = encodeURIComponent(URN);
    const temp = { ...schema, id: `${URN}:temp`, attributes: [{ name: "x", type: "string" }] };
    expect((await h.admin("PUT", `/tenants/${b.id}/schemas`, temp)).status).toBe(200);
    expect((await scim(b, "GET", `/Schemas/${temp.id}`)).status).toBe(200);
    expect((await h.admin("DELETE", `/tenants/${b.id}/schemas/${encodeURIComponent(temp.id)}`)).status).toBe(204);
    expect((await scim(b, "GET", `/Schemas/${temp.id}`)).status).toBe(404);
    expect((await h.admin("DELETE", `/tenants/${b.id}/schemas/${urn}`)).status).toBe(404);
    // A literal % in a URN is decoded once, by the router: 404, not a URIError.
    expect((await h.admin("DELETE", `/tenants/${b.id}/schemas/${encodeURIComponent("urn:x%zz")}`)).status).toBe(404);
  });

  // Every URN lookup here (discovery, PATCH paths, filters, DELETE) ignores letter case, as RFC 7643 §2.1 does for
  // attribute names: a PUT in another letter case names the same schema. (A URN is ASCII, RFC 8141 §2.)
  test.each([
    ["letter case", `${URN}:Case`, `${URN.replace("acme", "ACME")}:CASE`],
    // RFC 8141 §3.1: the "urn" scheme and the NID are case-insensitive.
    ["the scheme's and NID's letter case", `${URN}:Case`, `URN:IETF:${URN.slice("urn:ietf:".length)}:Case`],
  ])("a PUT whose URN differs only in %s replaces the declaration; the first spelling stays", async (_, first, second) => {
    const g = await h.newTenant("G");
    const put = (id: string, attributes: object[]) => h.admin("PUT", `/tenants/${g.id}/schemas`, { ...schema, id, attributes });
    expect((await put(first, [{ name: "one", type: "string" }])).status).toBe(200);
    const body = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", first], userName: "kim", [first]: { one: "kept" } };
    const created = await scim(g, "POST", "/Users", body);
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;

    const replaced = await put(second, [{ name: "one", type: "string" }, { name: "two", type: "integer" }]);
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { id: string }).id).toBe(first);
    const declared = (await (await h.admin("GET", `/tenants/${g.id}/schemas`)).json()) as { id: string; attributes: { name: string }[] }[];
    expect(declared.map((x) => [x.id, x.attributes.map((a) => a.name)])).toEqual([[first, ["one", "two"]]]);
    const userType = (await (await scim(g, "GET", "/ResourceTypes/User")).json()) as { schemaExtensions: { schema: string }[] };
    expect(userType.schemaExtensions.map((e) => e.schema)).toEqual(["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", first]);
    // Values stored under the first spelling are still answered, and found by a filter in either spelling.
    expect(((await (await scim(g, "GET", `/Users/${id}`)).json()) as Record<string, unknown>)[first]).toEqual({ one: "kept" });
    for (const urn of [first, second]) {
      const found = (await (await scim(g, "GET", `/Users?filter=${encodeURIComponent(`${urn}:one eq "kept"`)}`)).json()) as { Resources: { userName: string }[] };
      expect(found.Resources.map((u) => u.userName)).toEqual(["kim"]);
    }
    expect((await h.admin("DELETE", `/tenants/${g.id}/schemas/${encodeURIComponent(second)}`)).status).toBe(204);
    expect(await (await h.admin("GET", `/tenants/${g.id}/schemas`)).json()).toEqual([]);
  });

  test("one URN stored in two spellings (before PUT folded them): the oldest is read everywhere; the next PUT leaves one row", async () => {
    const l = await h.newTenant("L");
    const older = `${URN}:legacy`;
    const newer = `${URN}:LEGACY`;
    const insert = (urn: string, name: string, created: string) => {
      const definition = { id: urn, name: "Legacy", description: "", attributes: [{ name, type: "string", multiValued: false, description: "", required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none" }] };
      h.services.db
        .query("INSERT INTO tenant_schemas (tenant_id, urn, resource_type, required, definition, created) VALUES (?, ?, 'User', 0, ?, ?)")
        .run(l.id, urn, JSON.stringify(definition), created);
    };
    insert(newer, "two", "2024-06-01T00:00:00.000Z");
    insert(older, "one", "2024-01-01T00:00:00.000Z");
    h.services.registries.invalidate(l.id);

    const declared = (await (await h.admin("GET", `/tenants/${l.id}/schemas`)).json()) as { id: string; attributes: { name: string }[] }[];
    expect(declared.map((x) => [x.id, x.attributes.map((a) => a.name)])).toEqual([[older, ["one"]]]);
    const userType = (await (await scim(l, "GET", "/ResourceTypes/User")).json()) as { schemaExtensions: { schema: string }[] };
    expect(userType.schemaExtensions.map((e) => e.schema)).toEqual(["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", older]);
    const listed = (await (await scim(l, "GET", "/Schemas")).json()) as { Resources: { id: string; attributes: { name: string }[] }[] };
    const legacy = listed.Resources.filter((x) => x.id.toLowerCase() === older.toLowerCase());
    expect(legacy.map((x) => [x.id, x.attributes.map((a) => a.name)])).toEqual([[older, ["one"]]]);

    const replaced = await h.admin("PUT", `/tenants/${l.id}/schemas`, { ...schema, id: newer, attributes: [{ name: "three", type: "string" }] });
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { id: string }).id).toBe(older);
    const rows = h.services.db.query("SELECT urn, definition FROM tenant_schemas WHERE tenant_id = ?").all(l.id) as { urn: string; definition: string }[];
    expect(rows.map((r) => [r.urn, (JSON.parse(r.definition) as { attributes: { name: string }[] }).attributes.map((a) => a.name)])).toEqual([[older, ["three"]]]);
  });

  // RFC 7643 §2.3.5: a dateTime is an instant; the value is kept as the client wrote it.
  test("dateTime values filter and sort as instants, whatever offset they were written with", async () => {
    const e = await h.newTenant("E");
    expect((await h.admin("PUT", `/tenants/${e.id}/schemas`, schema)).status).toBe(200);
    const hired = [["ann", "2020-01-01T10:00:00Z"], ["ben", "2020-01-01T12:00:00+02:00"], ["cat", "2020-01-01T10:00:00.5Z"], ["dan", undefined]];
    for (const [userName, hireDate] of hired) {
      const body = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", URN], userName, [URN]: hireDate ? { hireDate } : { badgeNumber: 1 } };
      expect((await scim(e, "POST", "/Users", body)).status).toBe(201);
    }
    const names = async (q: string) => {
      const res = await scim(e, "GET", `/Users?${q}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { Resources: Record<string, unknown>[] }).Resources.map((u) => u.userName);
    };
    const filter = (f: string) => names(`filter=${encodeURIComponent(f)}&sortBy=userName`);
    expect(await filter(`${URN}:hireDate eq "2020-01-01T10:00:00Z"`)).toEqual(["ann", "ben"]);
    expect(await filter(`${URN}:hireDate eq "2020-01-01T10:00:00.500Z"`)).toEqual(["cat"]);
    expect(await filter(`${URN}:hireDate lt "2020-01-01T11:00:00Z"`)).toEqual(["ann", "ben", "cat"]);
    expect(await filter(`${URN}:hireDate gt "2020-01-01T10:00:00Z"`)).toEqual(["cat"]);
    expect(await names(`sortBy=${URN}:hireDate`)).toEqual(["ann", "ben", "cat", "dan"]);
    expect(await names(`sortBy=${URN}:hireDate&sortOrder=descending`)).toEqual(["dan", "cat", "ben", "ann"]);
    // Cursor pages continue from the edge row's instant.
    const first = (await (await scim(e, "GET", `/Users?sortBy=${URN}:hireDate&count=2&cursor=`)).json()) as { nextCursor: string; Resources: { userName: string }[] };
    const next = (await (await scim(e, "GET", `/Users?sortBy=${URN}:hireDate&count=2&cursor=${first.nextCursor}`)).json()) as { Resources: { userName: string }[] };
    expect([...first.Resources, ...next.Resources].map((u) => u.userName)).toEqual(["ann", "ben", "cat", "dan"]);
    // Answered as written.
    const ben = (await (await scim(e, "GET", '/Users?filter=userName eq "ben"')).json()) as { Resources: Record<string, { hireDate: string }>[] };
    expect(ben.Resources[0][URN].hireDate).toBe("2020-01-01T12:00:00+02:00");
  });

  // RFC 7643 §2.3.6: "A binary is case exact".
  test("a binary attribute is case exact: declared so by default, reported so, compared so; caseExact false is refused", async () => {
    const c = await h.newTenant("C");
    const urn = `${URN}:bin`;
    const declared = { ...schema, id: urn, attributes: [{ name: "key", type: "binary" }, { name: "pair", type: "complex", subAttributes: [{ name: "der", type: "binary" }] }] };
    expect((await h.admin("PUT", `/tenants/${c.id}/schemas`, declared)).status).toBe(200);
    const doc = (await (await scim(c, "GET", `/Schemas/${encodeURIComponent(urn)}`)).json()) as { attributes: { caseExact: boolean; subAttributes?: { caseExact: boolean }[] }[] };
    expect(doc.attributes.map((x) => [x.caseExact, x.subAttributes?.[0].caseExact])).toEqual([[true, undefined], [false, true]]);
    for (const [userName, key] of [["upper", "QUJD"], ["lower", "qujd"]]) {
      const body = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", urn], userName, [urn]: { key, pair: { der: key } } };
      expect((await scim(c, "POST", "/Users", body)).status).toBe(201);
    }
    for (const filter of [`${urn}:key eq "QUJD"`, `${urn}:pair.der eq "QUJD"`]) {
      const found = (await (await scim(c, "GET", `/Users?filter=${encodeURIComponent(filter)}`)).json()) as { Resources: { userName: string }[] };
      expect(found.Resources.map((u) => u.userName)).toEqual(["upper"]);
    }
    const refused = await h.admin("PUT", `/tenants/${c.id}/schemas`, { ...declared, attributes: [{ name: "key", type: "binary", caseExact: false }] });
    expect(refused.status).toBe(400);
  });

  test("a declared empty canonicalValues list is left out of /Schemas, where it would read as 'no value allowed'", async () => {
    const f = await h.newTenant("F");
    const urn = `${URN}:open`;
    const declared = {
      ...schema,
      id: urn,
      attributes: [
        { name: "tag", type: "string", canonicalValues: [] },
        { name: "kind", type: "complex", subAttributes: [{ name: "type", type: "string", canonicalValues: [] }] },
      ],
    };
    expect((await h.admin("PUT", `/tenants/${f.id}/schemas`, declared)).status).toBe(200);
    const doc = (await (await scim(f, "GET", `/Schemas/${encodeURIComponent(urn)}`)).json()) as { attributes: ({ subAttributes?: object[] } & object)[] };
    expect(doc.attributes.map((a) => ["canonicalValues" in a, a.subAttributes?.map((x) => "canonicalValues" in x)])).toEqual([[false, undefined], [false, [false]]]);
  });

  test("a binary attribute declared before binary was case exact by default is read as case exact", async () => {
    const d = await h.newTenant("D");
    const urn = `${URN}:old`;
    // What the admin API stored then: every characteristic spelled out, caseExact false.
    const definition = { id: urn, name: "Old", description: "", attributes: [{ name: "key", type: "binary", multiValued: false, description: "", required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none" }] };
    h.services.db
      .query("INSERT INTO tenant_schemas (tenant_id, urn, resource_type, required, definition, created) VALUES (?, ?, 'User', 0, ?, ?)")
      .run(d.id, urn, JSON.stringify(definition), new Date().toISOString());
    const doc = (await (await scim(d, "GET", `/Schemas/${encodeURIComponent(urn)}`)).json()) as { attributes: { caseExact: boolean }[] };
    expect(doc.attributes[0].caseExact).toBe(true);
  });

  test("a removed extension's data is kept but not answered, and comes back with the extension", async () => {
    const gone = `${URN}:gone`;
    const declared = { ...schema, id: gone, attributes: [{ name: "note", type: "string" }] };
    expect((await h.admin("PUT", `/tenants/${b.id}/schemas`, declared)).status).toBe(200);
    const created = await scim(b, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", gone],
      userName: "dora",
      [gone]: { note: "kept" },
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const other = await scim(b, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", gone], userName: "ed", [gone]: { note: "x" } });
    const otherId = ((await other.json()) as { id: string }).id;
    expect((await h.admin("DELETE", `/tenants/${b.id}/schemas/${encodeURIComponent(gone)}`)).status).toBe(204);
    const patched = await scim(b, "PATCH", `/Users/${otherId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "displayName", value: "Ed" }],
    });
    expect(patched.status).toBe(200);

    // Every answer lists only schemas the tenant's /Schemas has, and carries no data under any other.
    const one = (await (await scim(b, "GET", `/Users/${id}`)).json()) as Record<string, unknown>;
    const listed = (await (await scim(b, "GET", '/Users?filter=userName eq "dora"')).json()) as { Resources: Record<string, unknown>[] };
    const searched = (await (await scim(b, "POST", "/Users/.search", { filter: 'userName eq "dora"' })).json()) as { Resources: Record<string, unknown>[] };
    for (const user of [one, listed.Resources[0], searched.Resources[0]]) {
      expect(user?.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User"]);
      expect(user?.[gone]).toBeUndefined();
      expect(user?.userName).toBe("dora");
    }
    expect((await scim(b, "GET", `/Schemas/${encodeURIComponent(gone)}`)).status).toBe(404);

    // Declared again, the stored values are answered again: removing a declaration deletes no data.
    expect((await h.admin("PUT", `/tenants/${b.id}/schemas`, declared)).status).toBe(200);
    const back = (await (await scim(b, "GET", `/Users/${id}`)).json()) as Record<string, unknown>;
    expect(back[gone]).toEqual({ note: "kept" });
    expect(back.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", gone]);
    // A user written while the schema was gone was written without those values.
    const rewritten = (await (await scim(b, "GET", `/Users/${otherId}`)).json()) as Record<string, unknown>;
    expect(rewritten[gone]).toBeUndefined();
    expect(rewritten.displayName).toBe("Ed");
    expect((await h.admin("DELETE", `/tenants/${b.id}/schemas/${encodeURIComponent(gone)}`)).status).toBe(204);
  });
});
