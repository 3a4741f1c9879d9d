// A list answer is built as JSON text from the stored data when the default projection returns each resource
// whole (renderJson). It must be, byte for byte, what JSON.stringify of the page of rendered objects gives,
// and must fall back to that whenever the stored data might hold what the tenant's schemas no longer allow.
import { beforeAll, describe, expect, test } from "bun:test";
import { storedKeysKnown } from "../../src/modules/resources/render";
import { parseListParams } from "../../src/scim/list-params";
import { attr } from "../../src/scim/schema/define";
import type { AttributeDef, SchemaDef } from "../../src/scim/schema/types";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { everyAttribute } from "./user-fixture";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
// A URN with `"` and `]`, as the admin API accepted before ids had to be RFC 8141 URNs: such a schema, stored then,
// still loads, and its key reads `\"]` inside `schemas`.
const ODD = 'urn:odd:x"],"userName":"mallory';

let h: Harness;
let a: TestTenant;

const scim = (method: string, path: string, body?: unknown) => h.request(method, `${a.url}${path}`, { token: a.token, body });
const extension = (id: string, attributes: unknown[]) => ({ id, name: "Ext", resourceType: "User", attributes });

/** The GET answer, and JSON.stringify of the same page rendered as objects. */
async function both(type: "Users" | "Groups", query: string) {
  const res = await scim("GET", `/${type}${query}`);
  expect(res.status).toBe(200);
  const params = new URLSearchParams(query.slice(1));
  const parsed = parseListParams(Object.fromEntries(params));
  if (!parsed.ok) throw parsed.error;
  const service = type === "Users" ? h.services.users : h.services.groups;
  // A cursor carries its expiry (in ms): two pages read a moment apart differ there and only there.
  const sameCursors = (json: string) => json.replace(/"(next|previous)Cursor":"[^"]*"/g, '"$1Cursor":"…"');
  return { text: sameCursors(await res.text()), objects: sameCursors(JSON.stringify(service.list(a.id, parsed.value))) };
}

/** Stored as the admin API stored schemas before it checked ids (src/modules/custom-schemas/service.ts `put`). */
function storeLegacySchema(id: string, attributes: AttributeDef[]) {
  const definition: SchemaDef = { id, name: "Ext", description: "", attributes };
  h.services.db
    .query("INSERT INTO tenant_schemas (tenant_id, urn, resource_type, required, definition, created) VALUES (?, ?, 'User', 0, ?, ?)")
    .run(a.id, id, JSON.stringify(definition), new Date().toISOString());
  h.services.registries.invalidate(a.id);
}

beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  a = await h.newTenant("A");
  expect((await h.admin("PUT", `/tenants/${a.id}/schemas`, extension(ACME, [{ name: "badge", type: "integer" }]))).status).toBe(200);
  storeLegacySchema(ODD, [attr("note", "", { type: "string" })]);
  const boss = (await (await scim("POST", "/Users", { schemas: [USER], userName: "boss@example.com" })).json()) as { id: string };
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const body: Record<string, unknown> = { ...everyAttribute(`user${i}@example.com`, boss.id), password: "t1meMa$heen" };
    if (i % 2) body[ACME] = { badge: i };
    if (i === 3) body[ODD] = { note: "odd" };
    const res = await scim("POST", "/Users", body);
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  for (const [name, members] of [["Even", [ids[0], ids[2]]], ["Odd", [ids[1], ids[3], boss.id]]] as const) {
    const res = await scim("POST", "/Groups", { schemas: [GROUP], displayName: name, members: members.map((value) => ({ value })) });
    expect(res.status).toBe(201);
  }
});

describe("list answers as JSON text (renderJson)", () => {
  const queries = [
    "",
    `?filter=${encodeURIComponent('userName eq "user3@example.com"')}`,
    "?startIndex=2&count=3",
    "?sortBy=userName&sortOrder=descending",
    "?count=0",
    `?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`,
    "?attributes=userName,groups",
    "?excludedAttributes=groups,emails",
    `?attributes=${encodeURIComponent(ACME)}`,
    "?cursor=&count=2",
  ];
  for (const query of queries) {
    test(`/Users${query || " (everything)"}: the same bytes as the rendered objects`, async () => {
      const { text, objects } = await both("Users", query);
      expect(text).toBe(objects);
    });
  }

  // POST /.search answers through the same path: the same bytes as the GET with the same parameters.
  for (const query of queries.filter((query) => !query.includes("cursor"))) {
    test(`POST /Users/.search with ${query || "no parameters"}: the same bytes as the GET`, async () => {
      const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], ...Object.fromEntries(new URLSearchParams(query.slice(1))) };
      const get = await (await scim("GET", `/Users${query}`)).text();
      const post = await scim("POST", "/Users/.search", body);
      expect(post.status).toBe(200);
      expect(await post.text()).toBe(get);
    });
  }

  for (const query of ["", "?excludedAttributes=members", `?filter=${encodeURIComponent('displayName eq "Odd"')}`]) {
    test(`/Groups${query || " (everything)"}: the same bytes as the rendered objects`, async () => {
      const { text, objects } = await both("Groups", query);
      expect(text).toBe(objects);
    });
  }

  test("stored data naming an extension the tenant no longer has goes through the projection", async () => {
    expect((await h.admin("DELETE", `/tenants/${a.id}/schemas/${encodeURIComponent(ACME)}`)).status).toBe(204);
    const { text, objects } = await both("Users", "");
    expect(text).toBe(objects);
    expect(text).toContain(ODD.replaceAll('"', '\\"'));
  });

  test("an attribute returned only on request makes every answer go through the projection", async () => {
    const hidden = extension("urn:acme:hidden:User", [{ name: "secret", type: "string", returned: "request" }]);
    expect((await h.admin("PUT", `/tenants/${a.id}/schemas`, hidden)).status).toBe(200);
    const created = await scim("POST", "/Users", { schemas: [USER, "urn:acme:hidden:User"], userName: "hush@example.com", "urn:acme:hidden:User": { secret: "s" } });
    expect(created.status).toBe(201);
    const { text, objects } = await both("Users", "");
    expect(text).toBe(objects);
    expect(text).not.toContain('"secret"');
  });
});

describe("storedKeysKnown: when the stored text may be answered as it is", () => {
  const plain = { keys: new Set<string>(), schemaIds: new Set([USER, ACME, ODD]) };
  const cases: [string, string, boolean][] = [
    ["core only", `{"schemas":["${USER}"],"userName":"a"}`, true],
    ["core and a known extension", `{"schemas":["${USER}","${ACME}"],"userName":"a","${ACME}":{"badge":1}}`, true],
    ["an extension the registry does not have", `{"schemas":["${USER}","urn:gone:User"],"urn:gone:User":{}}`, false],
    ["a URN holding an escaped quote and a bracket", JSON.stringify({ schemas: [USER, ODD], userName: "a" }), false],
    ["not written by normalize (schemas not first)", `{"userName":"a","schemas":["${USER}"]}`, false],
    ["schemas that are not strings", `{"schemas":[1],"userName":"a"}`, false],
    ["no schemas at all", "{}", false],
  ];
  for (const [name, data, expected] of cases) {
    test(`${name} → ${expected}`, () => {
      expect(storedKeysKnown(data, plain)).toBe(expected);
    });
  }
});
