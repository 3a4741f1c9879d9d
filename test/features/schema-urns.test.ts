// RFC 8141 schema URNs: the "urn" scheme and the NID match in any letter case wherever a URN is read (§3.1), and
// a custom schema's id must be a URN: ASCII only (§2), or its attributes could not be named in a filter.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
// As the admin spells it: upper-case scheme, mixed-case NID.
const DECLARED = "URN:Example:widgets:User";
const declaration = (id: string) => ({ id, name: "Widgets", resourceType: "User", attributes: [{ name: "badge", type: "string" }, { name: "size", type: "integer" }] });

let h: Harness;
let t: TestTenant;
type Doc = Record<string, unknown>;
const scim = (method: string, path: string, body?: unknown) => h.request(method, `${t.url}${path}`, { token: t.token, body });
const userNames = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { Resources: Doc[] }).Resources.map((u) => u.userName);
};
const declared = async () => ((await (await h.admin("GET", `/tenants/${t.id}/schemas`)).json()) as { id: string }[]).map((s) => s.id);

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
  const res = await h.admin("PUT", `/tenants/${t.id}/schemas`, declaration(DECLARED));
  expect(res.status).toBe(200);
  expect(((await res.json()) as Doc).id).toBe(DECLARED);
});

describe("RFC 8141 §3.1: the urn scheme and the NID are case-insensitive", () => {
  test("a custom schema declared as URN:Example:… is accepted, and stored and shown as declared", async () => {
    expect(await declared()).toEqual([DECLARED]);
    const doc = (await (await scim("GET", `/Schemas/${encodeURIComponent("urn:example:widgets:User")}`)).json()) as Doc;
    expect(doc.id).toBe(DECLARED);
    const userType = (await (await scim("GET", "/ResourceTypes/User")).json()) as { schemaExtensions: { schema: string }[] };
    expect(userType.schemaExtensions.map((e) => e.schema)).toEqual([ENTERPRISE, DECLARED]);
  });

  test.each([
    ["urn:example:widgets:User", "lower"],
    ["URN:EXAMPLE:widgets:User", "upper"],
    ["uRn:eXaMpLe:widgets:User", "mixed"],
  ])(
    "%s names it in bodies, filters, sortBy, attributes, excludedAttributes and PATCH paths",
    async (urn, userName) => {
      const created = await scim("POST", "/Users", { schemas: [CORE, urn], userName, [urn]: { badge: "b1", size: 1 } });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as Doc).id as string;
      // Answered under the declared spelling, whichever the client wrote.
      expect(((await (await scim("GET", `/Users/${id}`)).json()) as Doc)[DECLARED]).toEqual({ badge: "b1", size: 1 });

      const patched = await scim("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: "replace", path: `${urn}:badge`, value: "b2" },
          { op: "replace", value: { [`${urn}:size`]: 2 } },
        ],
      });
      expect(patched.status).toBe(200);
      expect(((await patched.json()) as Doc)[DECLARED]).toEqual({ badge: "b2", size: 2 });

      const only = (q: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&${q}`;
      expect(await userNames(await scim("GET", `/Users?filter=${encodeURIComponent(`${urn}:badge eq "b2" and userName eq "${userName}"`)}`))).toEqual([userName]);
      expect(await userNames(await scim("GET", `${only(`sortBy=${encodeURIComponent(`${urn}:size`)}`)}`))).toEqual([userName]);
      const picked = (await (await scim("GET", only(`attributes=${encodeURIComponent(`${urn}:badge`)}`))).json()) as { Resources: Doc[] };
      expect(picked.Resources[0][DECLARED]).toEqual({ badge: "b2" });
      const dropped = (await (await scim("GET", only(`excludedAttributes=${encodeURIComponent(urn)}`))).json()) as { Resources: Doc[] };
      expect(dropped.Resources[0][DECLARED]).toBeUndefined();

      const replaced = await scim("PUT", `/Users/${id}`, { schemas: [CORE, urn], userName, [urn]: { badge: "b3" } });
      expect(replaced.status).toBe(200);
      expect(((await replaced.json()) as Doc)[DECLARED]).toEqual({ badge: "b3" });
    },
  );

  test("the standard schemas' URNs read in any case of scheme and NID, in every place", async () => {
    const upperCore = CORE.replace("urn:ietf", "URN:IETF");
    const upperEnterprise = ENTERPRISE.replace("urn:ietf", "URN:IETF");
    const created = await scim("POST", "/Users", { schemas: [upperCore, upperEnterprise], userName: "std", [upperEnterprise]: { employeeNumber: "7" } });
    expect(created.status).toBe(201);
    const user = (await created.json()) as Doc;
    expect(user.schemas).toEqual([CORE, ENTERPRISE]);
    const patched = await scim("PATCH", `/Users/${user.id}`, {
      schemas: [PATCH_OP.replace("urn:", "URN:")],
      Operations: [{ op: "replace", path: `${upperCore}:displayName`, value: "Std" }],
    });
    expect(patched.status).toBe(200);
    expect(await userNames(await scim("GET", `/Users?filter=${encodeURIComponent(`${upperEnterprise}:employeeNumber eq "7" and ${upperCore}:displayName eq "Std"`)}`))).toEqual(["std"]);
    const picked = (await (await scim("GET", `/Users/${user.id}?attributes=${encodeURIComponent(`${upperCore}:displayName`)}`)).json()) as Doc;
    expect(picked.displayName).toBe("Std");
    expect(picked.userName).toBeUndefined();
  });

  test("BulkRequest and SearchRequest messages name their schema in any case of scheme and NID", async () => {
    const bulk = await scim("POST", "/Bulk", {
      schemas: ["URN:IETF:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [{ method: "POST", path: "/Users", bulkId: "b", data: { schemas: [CORE], userName: "bulked" } }],
    });
    expect(bulk.status).toBe(200);
    expect(((await bulk.json()) as { Operations: { status: string }[] }).Operations.map((o) => o.status)).toEqual(["201"]);
    for (const path of ["/Users/.search", "/.search"]) {
      const searched = await scim("POST", path, { schemas: ["Urn:Ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "bulked"' });
      expect(await userNames(searched)).toEqual(["bulked"]);
    }
    // Still refused when the message's own URN is missing.
    const wrong = await scim("POST", "/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], filter: 'userName eq "bulked"' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Doc).scimType).toBe("invalidSyntax");
  });

  test("a standard schema cannot be redeclared by spelling its scheme or NID in upper case", async () => {
    const res = await h.admin("PUT", `/tenants/${t.id}/schemas`, declaration("URN:IETF:params:scim:schemas:core:2.0:User"));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain("standard schema");
  });
});

describe("RFC 8141 §2: a custom schema's id must be a URN", () => {
  test.each([
    ["urn:example:café:User", 'printable ASCII only (RFC 8141 §2); "é" at character 16'],
    ["urn:example:😀:User", 'printable ASCII only (RFC 8141 §2); "😀" at character 13'],
    ["urn:example:a b", 'printable ASCII only (RFC 8141 §2); " " at character 14'],
    ["uri:example:x", 'a URN starts with "urn:"'],
    ["urn:example", "has no NSS"],
    ["urn:example:", "NSS is empty"],
    ["urn:x:one", 'the NID "x" must be 2 to 32'],
    ["urn:ab-:one", 'the NID "ab-" must be 2 to 32'],
    [`urn:${"n".repeat(33)}:one`, "must be 2 to 32"],
    ["urn:example:/one", 'NSS cannot begin with "/"'],
    ["urn:example:one?+resolve", '"?" at character 16 would begin a URN\'s r- or q-component'],
    ["urn:example:one#part", '"#" at character 16 would begin a URN\'s f-component'],
    ["urn:example:one%zz", '"%" at character 16 must begin a percent-encoded octet'],
    ["urn:example:a<b>", '"<" at character 14 is not allowed in a URN\'s NSS'],
    ['urn:example:a"b', '"\\"" at character 14 is not allowed'],
  ])("%s → 400 saying why, nothing stored", async (id, why) => {
    const res = await h.admin("PUT", `/tenants/${t.id}/schemas`, declaration(id));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain(`id ${JSON.stringify(id)} is not a valid URN`);
    expect(error).toContain(why);
    expect(await declared()).toEqual([DECLARED]);
  });

  // RFC 8141 allows these, but in a filter the ")" would end the path (schema-urn-filters.test.ts).
  test.each([
    ["urn:example:a)b(:User", '")" at character 14 closes no "(": a filter (RFC 7644 §3.4.2.2) could not name'],
    ["urn:example:(a))(:User", '")" at character 16 closes no "("'],
  ])("%s → 400: a filter could not name its attributes; nothing stored", async (id, why) => {
    const res = await h.admin("PUT", `/tenants/${t.id}/schemas`, declaration(id));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain(`id ${JSON.stringify(id)} cannot name a schema: ${why}`);
    expect(await declared()).toEqual([DECLARED]);
  });

  test.each([["urn:isbn:0451450523"], ["urn:example:a%C3%A9/b:User"], ["urn:a-1:x:y:z"], ["urn:example:!$&'()*+,;=:@~._-"]])(
    "%s is a URN and is accepted",
    async (id) => {
      const res = await h.admin("PUT", `/tenants/${t.id}/schemas`, declaration(id));
      expect(res.status).toBe(200);
      expect(await h.admin("DELETE", `/tenants/${t.id}/schemas/${encodeURIComponent(id)}`)).toHaveProperty("status", 204);
    },
  );
});
