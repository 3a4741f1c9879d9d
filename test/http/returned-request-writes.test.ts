// RFC 7643 §2.4 "request": "The attribute is returned in response to any PUT, POST, or PATCH operations if the
// attribute was specified by the client (for example, the attribute was modified). The attribute is returned in a
// SCIM query operation only if specified in the "attributes" parameter." Only a tenant's extension schemas hold
// such attributes. `excludedAttributes` still removes one a write specified; `attributes`, which overrides the
// default set (RFC 7644 §3.9), still returns it only when it names it: with `attributes`, a write answers what a
// GET would.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, GROUP, patchOp, q, setUp, USER } from "./client";

const EXT = "urn:ietf:params:scim:schemas:extension:req:2.0:User";
const GEXT = "urn:ietf:params:scim:schemas:extension:req:2.0:Group";

let c: Client;
let n = 0;

beforeAll(async () => {
  c = await setUp("returned-request-writes");
  const user = [
    { name: "level", type: "integer", returned: "always" },
    { name: "hint", type: "string", returned: "request" },
    { name: "badge", type: "integer" },
    { name: "building", type: "complex", subAttributes: [{ name: "code", type: "string" }, { name: "door", type: "string", returned: "request" }] },
  ];
  const group = [{ name: "memo", type: "string", returned: "request" }, { name: "note", type: "string" }];
  for (const [id, resourceType, attributes] of [[EXT, "User", user], [GEXT, "Group", group]] as const) {
    const res = await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, { id, name: "Req", resourceType, attributes });
    expect(res.status).toBe(200);
  }
});

const ext = (body: Doc) => body[EXT] as Doc | undefined;
const userBody = (extension: Doc): Doc => ({ schemas: [USER, EXT], userName: `u${n++}@example.com`, [EXT]: extension });
const newUser = async (extension: Doc) => String((await c.user(userBody(extension))).id);

describe("POST and PUT answers carry the request attributes the body specified", () => {
  test("POST /Users: the answer has hint and building.door; GET has them only when attributes names them", async () => {
    const created = await c.post("/Users", userBody({ hint: "h", badge: 1, building: { code: "B", door: "7" } }));
    expect(created.status).toBe(201);
    expect(ext(created.body)).toEqual({ hint: "h", badge: 1, building: { code: "B", door: "7" } });
    const got = await c.get(`/Users/${created.body.id}`);
    expect(ext(got.body)).toEqual({ badge: 1, building: { code: "B" } });
    expect(ext((await c.get(`/Users/${created.body.id}?attributes=${q(`${EXT}:hint`)}`)).body)).toEqual({ hint: "h" });
  });

  test("the URN-prefixed form of the name in the body specifies it too", async () => {
    const created = await c.post("/Users", { schemas: [USER, EXT], userName: `u${n++}@example.com`, [`${EXT}:hint`]: "h" });
    expect(ext(created.body)).toEqual({ hint: "h" });
  });

  test("excludedAttributes naming it, or its extension, removes it; excluding something else does not", async () => {
    const named = await c.post(`/Users?excludedAttributes=${q(`${EXT}:hint`)}`, userBody({ hint: "h", badge: 1 }));
    expect(ext(named.body)).toEqual({ badge: 1 });
    const whole = await c.post(`/Users?excludedAttributes=${q(EXT)}`, userBody({ hint: "h", level: 2 }));
    expect(ext(whole.body)).toEqual({ level: 2 });
    const other = await c.post(`/Users?excludedAttributes=${q(`${EXT}:badge`)}`, userBody({ hint: "h", badge: 1 }));
    expect(ext(other.body)).toEqual({ hint: "h" });
  });

  test("attributes overrides the default set: it returns hint only when it names hint", async () => {
    const other = await c.post("/Users?attributes=userName", userBody({ hint: "h", level: 2 }));
    expect(ext(other.body)).toEqual({ level: 2 });
    const named = await c.post(`/Users?attributes=${q(`${EXT}:hint`)}`, userBody({ hint: "h", level: 2 }));
    expect(ext(named.body)).toEqual({ level: 2, hint: "h" });
  });

  test("PUT /Users: with hint the answer has it; without it or with null it is cleared and answered without it", async () => {
    const id = await newUser({ badge: 1 });
    const put = (extension: Doc) => c.put(`/Users/${id}`, { ...userBody(extension), userName: `put-${id}@example.com` });
    expect(ext((await put({ hint: "h", badge: 1 })).body)).toEqual({ hint: "h", badge: 1 });
    expect(ext((await put({ hint: "h", badge: 1 })).body)).toEqual({ hint: "h", badge: 1 }); // unchanged, still specified
    expect(ext((await put({ badge: 2 })).body)).toEqual({ badge: 2 });
    await put({ hint: "h", badge: 1 });
    expect(ext((await put({ hint: null, badge: 1 })).body)).toEqual({ badge: 1 });
    expect(ext((await c.get(`/Users/${id}?attributes=${q(`${EXT}:hint`)}`)).body)).toBeUndefined();
  });

  test("POST and PUT /Groups: the answer has memo", async () => {
    const body = { schemas: [GROUP, GEXT], displayName: `g${n++}`, [GEXT]: { memo: "m", note: "x" } };
    const created = await c.post("/Groups", body);
    expect(created.body[GEXT]).toEqual({ memo: "m", note: "x" });
    expect((await c.get(`/Groups/${created.body.id}`)).body[GEXT]).toEqual({ note: "x" });
    const replaced = await c.put(`/Groups/${created.body.id}`, { ...body, [GEXT]: { memo: "m2" } });
    expect(replaced.body[GEXT]).toEqual({ memo: "m2" });
  });
});

describe("PATCH answers carry the request attributes an operation named", () => {
  const patched = async (id: string, query: string, ...ops: Doc[]) => {
    const answer = await c.patch(`/Users/${id}${query}`, patchOp(...ops));
    expect(answer.status).toBe(200);
    return ext(answer.body);
  };

  test("by its path, by a path-less value (extension object or URN-prefixed key), by the extension's path", async () => {
    const id = await newUser({ hint: "h0", badge: 1 });
    expect(await patched(id, "", { op: "replace", path: `${EXT}:hint`, value: "h1" })).toEqual({ hint: "h1", badge: 1 });
    expect(await patched(id, "", { op: "replace", value: { [EXT]: { hint: "h2" } } })).toEqual({ hint: "h2", badge: 1 });
    expect(await patched(id, "", { op: "replace", value: { [`${EXT}:hint`]: "h3" } })).toEqual({ hint: "h3", badge: 1 });
    expect(await patched(id, "", { op: "add", path: EXT, value: { hint: "h4" } })).toEqual({ hint: "h4", badge: 1 });
    expect(await patched(id, "", { op: "replace", path: `${EXT}:building`, value: { door: "9" } })).toEqual({ badge: 1, building: { door: "9" } });
    expect(await patched(id, "", { op: "replace", path: `${EXT}:building.door`, value: "8" })).toEqual({ badge: 1, building: { door: "8" } });
  });

  test("an operation naming something else leaves it out; a remove of it answers without a value", async () => {
    const id = await newUser({ hint: "h0", badge: 1 });
    expect(await patched(id, "", { op: "replace", path: `${EXT}:badge`, value: 2 })).toEqual({ badge: 2 });
    expect(await patched(id, "", { op: "remove", path: `${EXT}:hint` })).toEqual({ badge: 2 });
    expect(ext((await c.get(`/Users/${id}?attributes=${q(`${EXT}:hint`)}`)).body)).toBeUndefined();
  });

  test("excludedAttributes removes it; attributes returns it only when it names it", async () => {
    const id = await newUser({ hint: "h0", badge: 1 });
    const op = { op: "replace", path: `${EXT}:hint`, value: "h1" };
    expect(await patched(id, `?excludedAttributes=${q(`${EXT}:hint`)}`, op)).toEqual({ badge: 1 });
    expect(await patched(id, `?attributes=${q(`${EXT}:badge`)}`, op)).toEqual({ badge: 1 });
    expect(await patched(id, `?attributes=${q(`${EXT}:hint`)}`, op)).toEqual({ hint: "h1" });
  });

  test("Groups still answer 204 without attributes; an empty attributes= answers the default set with memo", async () => {
    const group = await c.group({ schemas: [GROUP, GEXT], displayName: `g${n++}`, [GEXT]: { note: "x" } });
    const op = patchOp({ op: "replace", path: `${GEXT}:memo`, value: "m" });
    expect((await c.patch(`/Groups/${group.id}`, op)).status).toBe(204);
    const answer = await c.patch(`/Groups/${group.id}?attributes=`, op);
    expect(answer.status).toBe(200);
    expect(answer.body[GEXT]).toEqual({ memo: "m", note: "x" });
    expect((await c.patch(`/Groups/${group.id}?attributes=displayName`, op)).body[GEXT]).toBeUndefined();
  });
});
