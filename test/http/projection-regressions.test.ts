// Projections the differential test (projection-differential.test.ts) found wrong, each pinned by a request.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, GROUP, q, resources, setUp, USER } from "./client";

const PROJ_USER = "urn:ietf:params:scim:schemas:extension:proj:2.0:User";
const PROJ_GROUP = "urn:ietf:params:scim:schemas:extension:proj:2.0:Group";

let c: Client;
let userId: string;
let groupId: string;

beforeAll(async () => {
  c = await setUp("projection-regressions");
  for (const [id, resourceType, attributes] of [
    [PROJ_USER, "User", [{ name: "level", type: "integer", returned: "always" }, { name: "badge", type: "integer" }]],
    [PROJ_GROUP, "Group", [{ name: "tier", type: "integer", returned: "always" }, { name: "note", type: "string" }]],
  ] as const) {
    const res = await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, { id, name: "Proj", resourceType, attributes });
    expect(res.status).toBe(200);
  }
  userId = String((await c.user({ schemas: [USER, PROJ_USER], userName: "ann@example.com", displayName: "Ann", [PROJ_USER]: { level: 3, badge: 7 } })).id);
  groupId = String((await c.group({ schemas: [GROUP, PROJ_GROUP], displayName: "Ops", [PROJ_GROUP]: { tier: 2, note: "n" } })).id);
});

// RFC 7643 §2.4: "always: The attribute is always returned, regardless of the contents of the "attributes"
// parameter"; RFC 7644 §3.4.2.5: excludedAttributes "SHALL have no effect on attributes whose schema
// "returned" setting is "always"". An extension's attributes are attributes of their schema like any other:
// the extension's URN not being named (or being excluded) does not drop them, nor their URN from `schemas`.
describe("an extension attribute returned \"always\"", () => {
  const userOnly = (body: Doc) => ({ schemas: body.schemas, [PROJ_USER]: body[PROJ_USER] });

  for (const [query, kept] of [
    ["attributes=userName", { level: 3 }],
    [`attributes=${q(`${PROJ_USER}:badge`)}`, { level: 3, badge: 7 }],
    [`excludedAttributes=${q(PROJ_USER)}`, { level: 3 }],
    [`excludedAttributes=${q(`${PROJ_USER}:level`)},${q(`${PROJ_USER}:badge`)}`, { level: 3 }],
  ] as const) {
    test(`GET /Users/{id}?${decodeURIComponent(query)} keeps it`, async () => {
      const got = await c.get(`/Users/${userId}?${query}`);
      expect(got.status).toBe(200);
      expect(userOnly(got.body)).toEqual({ schemas: [USER, PROJ_USER], [PROJ_USER]: kept });
    });
  }

  test("GET /Users and POST /Users/.search keep it", async () => {
    const listed = await c.get(`/Users?attributes=displayName`);
    expect(resources(listed.body).map(userOnly)).toEqual([{ schemas: [USER, PROJ_USER], [PROJ_USER]: { level: 3 } }]);
    const searched = await c.post("/Users/.search", { excludedAttributes: [PROJ_USER] });
    expect(resources(searched.body).map(userOnly)).toEqual([{ schemas: [USER, PROJ_USER], [PROJ_USER]: { level: 3 } }]);
  });

  test("the answer of POST /Users?attributes=userName keeps it", async () => {
    const created = await c.post("/Users?attributes=userName", { schemas: [USER, PROJ_USER], userName: "bo@example.com", [PROJ_USER]: { level: 1, badge: 2 } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ schemas: [USER, PROJ_USER], id: created.body.id, userName: "bo@example.com", [PROJ_USER]: { level: 1 } });
  });

  test("GET /Groups/{id} and PATCH /Groups/{id} answers keep a Group extension's", async () => {
    const got = await c.get(`/Groups/${groupId}?attributes=displayName`);
    expect(got.body).toEqual({ schemas: [GROUP, PROJ_GROUP], id: groupId, displayName: "Ops", [PROJ_GROUP]: { tier: 2 } });
    const patched = await c.patch(`/Groups/${groupId}?attributes=externalId`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "externalId", value: "x" }] });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ schemas: [GROUP, PROJ_GROUP], id: groupId, externalId: "x", [PROJ_GROUP]: { tier: 2 } });
  });

  test("an extension holding no value for it still leaves with its last attribute", async () => {
    const created = await c.user({ schemas: [USER, PROJ_USER], userName: "cy@example.com", [PROJ_USER]: { badge: 5 } });
    const got = await c.get(`/Users/${created.id}?attributes=userName`);
    expect(got.body).toEqual({ schemas: [USER], id: created.id, userName: "cy@example.com" });
  });
});
