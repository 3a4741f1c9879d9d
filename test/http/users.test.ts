// /Users over HTTP (RFC 7644 §3.2–§3.6, §3.14) with every RFC 7643 §4.1 attribute, on the real stack.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, client, type Doc, ENT, expectScimError, GROUP, idsOf, PATCH_OP, patchOp, q, resources, setUp, snapshot, USER } from "./client";
import type { PatchJob, PatchOutcome } from "./patch-worker";
import { everyAttribute } from "./user-fixture";

let c: Client;
let manager: Doc;

beforeAll(async () => {
  c = await setUp();
  manager = await c.user({ userName: "boss@example.com", displayName: "The Boss" });
});

/** What a response must hold for `input`: every attribute back, password gone, server-set id and meta. */
function expectRoundTrip(body: Doc, input: Doc) {
  const { password: _password, schemas, ...rest } = input;
  expect(body).toEqual({ ...rest, schemas: expect.arrayContaining(schemas as string[]), id: expect.any(String), meta: expect.any(Object) });
  expect((body.schemas as string[]).length).toBe((schemas as string[]).length);
}

describe("POST /Users (RFC 7644 §3.3)", () => {
  test("RFC 7643 §4.1 + §4.3: every attribute round-trips through POST, GET, list and PUT", async () => {
    const input = { ...everyAttribute("bjensen@example.com", String(manager.id)), password: "t1meMa$heen" };
    const created = await c.post("/Users", input);
    expect(created.status).toBe(201);
    expectRoundTrip(created.body, input);
    const id = String(created.body.id);

    const got = await c.get(`/Users/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const listed = await c.get(`/Users?filter=${q(`userName eq "bjensen@example.com"`)}`);
    expect(resources(listed.body)).toEqual([created.body]);

    const put = await c.put(`/Users/${id}`, input);
    expect(put.status).toBe(200);
    expectRoundTrip(put.body, input);
    expect(put.body.id).toBe(id);
  });

  test("RFC 7644 §3.3: 201 with Location = meta.location, ETag = meta.version, application/scim+json", async () => {
    const r = await c.post("/Users", { schemas: [USER], userName: "headers@example.com" });
    expect(r.status).toBe(201);
    expect(r.headers.get("content-type")).toStartWith("application/scim+json");
    const meta = r.body.meta as Doc;
    expect(meta).toMatchObject({ resourceType: "User", location: `http://scimd.test${c.tenant.url}/Users/${r.body.id}` });
    expect(Date.parse(String(meta.created))).toBeGreaterThan(Date.now() - 60_000);
    expect(meta.lastModified).toBe(meta.created);
    expect(r.headers.get("location")).toBe(String(meta.location));
    expect(r.headers.get("etag")).toBe(String(meta.version));
    // A user is active unless told otherwise: the default is stored and answered (see the filter tests).
    expect(r.body.active).toBe(true);
  });

  test("RFC 7643 §4.3: manager sent as a bare id string is stored as {value}", async () => {
    const r = await c.post("/Users", { schemas: [USER, ENT], userName: "report@example.com", [ENT]: { manager: manager.id } });
    expect(r.status).toBe(201);
    expect((r.body[ENT] as Doc).manager).toEqual({ value: manager.id });
  });

  test("RFC 7643 §4.3: manager.displayName is readOnly — ignored on input", async () => {
    const r = await c.post("/Users", {
      userName: "report2@example.com",
      [ENT]: { department: "X", manager: { value: manager.id, displayName: "forged" } },
    });
    expect((r.body[ENT] as Doc).manager).toEqual({ value: manager.id });
  });

  test("RFC 7643 §3.1, §2.2 readOnly: id, meta and groups in the body are ignored", async () => {
    const g = await c.group({ displayName: "readonly-probe" });
    const r = await c.post("/Users", {
      schemas: [USER],
      id: "chosen-by-client",
      userName: "readonly@example.com",
      meta: { created: "2000-01-01T00:00:00Z", version: 'W/"99"', resourceType: "Group", location: "http://evil/" },
      groups: [{ value: g.id, display: "readonly-probe" }],
    });
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe("chosen-by-client");
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.meta).toMatchObject({ resourceType: "User", version: 'W/"1"' });
    expect((r.body.meta as Doc).created).not.toBe("2000-01-01T00:00:00Z");
    expect(r.body.groups).toBeUndefined();
    expect((await c.get(`/Groups/${g.id}`)).body.members).toBeUndefined();
  });

  test("RFC 7643 §4.1: userName is unique case-insensitively → 409 uniqueness, nothing written", async () => {
    await c.user({ userName: "Unique.Person@Example.com" });
    const before = snapshot(c.h);
    for (const userName of ["Unique.Person@Example.com", "unique.person@example.com", "UNIQUE.PERSON@EXAMPLE.COM"]) {
      expectScimError(await c.post("/Users", { schemas: [USER], userName }), 409, "uniqueness");
    }
    expect(snapshot(c.h)).toBe(before);
  });

  test("RFC 7644 §3.3: application/json is accepted as well as application/scim+json", async () => {
    for (const [type, userName] of [
      ["application/json", "json@example.com"],
      ["application/scim+json", "scim@example.com"],
      ["application/scim+json; charset=utf-8", "charset@example.com"],
      ["application/json;charset=UTF-8", "charset2@example.com"],
    ]) {
      const r = await c.post("/Users", { schemas: [USER], userName }, { "content-type": type });
      expect({ type, status: r.status }).toEqual({ type, status: 201 });
      expect(r.headers.get("content-type")).toStartWith("application/scim+json");
    }
  });

  test.each(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "RFC 7644 §3.1: Content-Type %s → 415 SCIM error, nothing written",
    async (type) => {
      const before = snapshot(c.h);
      const u = String(manager.id);
      for (const [method, path, body] of [
        ["POST", "/Users", { schemas: [USER], userName: "415@example.com" }],
        ["PUT", `/Users/${u}`, { schemas: [USER], userName: "415@example.com" }],
        ["PATCH", `/Users/${u}`, patchOp({ op: "replace", path: "title", value: "x" })],
      ] as const) {
        expectScimError(await c.send(method, path, body, { "content-type": type }), 415, "invalidSyntax");
      }
      expect(snapshot(c.h)).toBe(before);
    },
  );
});

test.each(["gzip", "deflate", "br"])("RFC 9110 §8.4: Content-Encoding %s → 415 SCIM error, nothing written", async (coding) => {
  const before = snapshot(c.h);
  const u = String(manager.id);
  for (const [method, path, body] of [
    ["POST", "/Users", { schemas: [USER], userName: "coded@example.com" }],
    ["PATCH", `/Users/${u}`, patchOp({ op: "replace", path: "title", value: "x" })],
  ] as const) {
    const r = await c.send(method, path, body, { "content-encoding": coding });
    expectScimError(r, 415, "invalidSyntax");
    expect(String(r.body.detail)).toContain(coding);
  }
  expect(snapshot(c.h)).toBe(before);
  const plain = await c.send("POST", "/Users", { schemas: [USER], userName: `identity-${coding}@example.com` }, { "content-encoding": "identity" });
  expect(plain.status).toBe(201);
});

describe("password (RFC 7643 §4.1.1: writeOnly, returned never)", () => {
  let id: string;
  beforeAll(async () => {
    id = String((await c.user({ userName: "secret@example.com", password: "Plaintext-Pa55" })).id);
  });

  test("never in POST, PUT, PATCH, GET or list responses, not even with attributes=password", async () => {
    const replies = [
      await c.post("/Users?attributes=password", { schemas: [USER], userName: "secret2@example.com", password: "Plaintext-Pa55" }),
      await c.get(`/Users/${id}`),
      await c.get(`/Users/${id}?attributes=password`),
      await c.get(`/Users/${id}?attributes=userName,password`),
      await c.get(`/Users?attributes=password&filter=${q('userName sw "secret"')}`),
      await c.get(`/Users?filter=${q('userName sw "secret"')}`),
      await c.put(`/Users/${id}?attributes=password`, { schemas: [USER], userName: "secret@example.com", password: "Plaintext-Pa55" }),
      await c.patch(`/Users/${id}?attributes=password`, patchOp({ op: "replace", path: "password", value: "Plaintext-Pa55" })),
    ];
    for (const r of replies) {
      expect(r.status).toBeLessThan(300);
      expect(r.text).not.toContain("Plaintext-Pa55");
      expect(r.text).not.toMatch(/"password"/i);
    }
    expect(resources(replies[4].body).length).toBe(2);
  });

  test("stored only as a hash, outside the resource JSON", () => {
    const row = c.h.services.db.query("SELECT data, password_hash FROM users WHERE id = ?").get(id) as { data: string; password_hash: string };
    expect(row.data).not.toContain("Plaintext-Pa55");
    expect(row.password_hash).toStartWith("$argon2id$");
  });

  test("PATCH replace password stores the new hash, and only the password changes", async () => {
    const hashOf = () => (c.h.services.db.query("SELECT password_hash AS h FROM users WHERE id = ?").get(id) as { h: string }).h;
    const before = await c.get(`/Users/${id}`);
    const r = await c.patch(`/Users/${id}`, patchOp({ op: "replace", path: "password", value: "Rotated-Pa55-2" }));
    expect(r.status).toBe(200);
    expect(await Bun.password.verify("Rotated-Pa55-2", hashOf())).toBe(true);
    expect(await Bun.password.verify("Plaintext-Pa55", hashOf())).toBe(false);
    const { meta: _m1, ...was } = before.body;
    const { meta: _m2, ...now } = r.body;
    expect(now).toEqual(was);
  });

  describe("PATCH that names password and leaves none clears the stored hash (NULL); one that does not name it keeps it", () => {
    const hashOf = (userId: unknown) =>
      (c.h.services.db.query("SELECT password_hash AS h FROM users WHERE id = ?").get(String(userId)) as { h: string | null }).h;
    const cases: [string, unknown[]][] = [
      ['§3.5.2.2 remove path "password"', [{ op: "remove", path: "password" }]],
      ["replace password with null", [{ op: "replace", path: "password", value: null }]],
      ['replace password with "" (entra.md: "" clears)', [{ op: "replace", path: "password", value: "" }]],
      ["path-less replace with {password: null}", [{ op: "replace", value: { password: null } }]],
      ["remove by the URN-qualified path", [{ op: "remove", path: `${USER}:password` }]],
      ["set, then removed later in the same request", [{ op: "replace", path: "password", value: "Brief-Pa55" }, { op: "remove", path: "password" }]],
    ];
    test.each(cases)("%s", async (_name, ops) => {
      const u = await c.user({ userName: `clear-${crypto.randomUUID()}@example.com`, password: "Kept-Pa55" });
      expect((await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "T" }))).status).toBe(200);
      expect(await Bun.password.verify("Kept-Pa55", hashOf(u.id) ?? "")).toBe(true);
      const r = await c.patch(`/Users/${u.id}`, patchOp(...ops));
      expect(r.status).toBe(200);
      expect(hashOf(u.id)).toBeNull();
      // The hash is not in the resource, but clearing it is a change: the version moves on.
      expect(r.headers.get("etag")).toBe('W/"3"');
      expect(r.body).toMatchObject({ userName: u.userName, title: "T" });
    });

    test("removed, then set again in the same request: the new password is stored", async () => {
      const u = await c.user({ userName: "clear-then-set@example.com", password: "Old-Pa55" });
      const ops = [{ op: "remove", path: "password" }, { op: "add", path: "password", value: "New-Pa55" }];
      expect((await c.patch(`/Users/${u.id}`, patchOp(...ops))).status).toBe(200);
      expect(await Bun.password.verify("New-Pa55", hashOf(u.id) ?? "")).toBe(true);
    });

    test("removing a password the user does not have is a no-op: nothing written, the version stays", async () => {
      const u = await c.user({ userName: "no-password@example.com" });
      const before = snapshot(c.h);
      const r = await c.patch(`/Users/${u.id}`, patchOp({ op: "remove", path: "password" }));
      expect(r.status).toBe(200);
      expect(r.headers.get("etag")).toBe('W/"1"');
      expect(hashOf(u.id)).toBeNull();
      expect(snapshot(c.h)).toBe(before);
    });
  });

  test("a filter on password never matches", async () => {
    const r = await c.get(`/Users?filter=${q('password eq "Plaintext-Pa55"')}`);
    if (r.status === 200) expect(r.body.totalResults).toBe(0);
    else expectScimError(r, 400, "invalidFilter");
  });
});

describe("groups on a User (RFC 7643 §4.1.2: readOnly, derived from membership)", () => {
  test("appear when the user is made a member, vanish when the group is deleted", async () => {
    const u = await c.user({ userName: "member@example.com" });
    const g1 = await c.group({ displayName: "Alpha Team", members: [{ value: u.id }] });
    const g2 = await c.group({ displayName: "beta team" });
    expect((await c.patch(`/Groups/${g2.id}`, patchOp({ op: "add", path: "members", value: [{ value: u.id }] }))).status).toBe(204);

    const got = await c.get(`/Users/${u.id}`);
    const base = `http://scimd.test${c.tenant.url}/Groups`;
    expect(got.body.groups).toEqual([
      { value: g1.id, $ref: `${base}/${g1.id}`, display: "Alpha Team", type: "direct" },
      { value: g2.id, $ref: `${base}/${g2.id}`, display: "beta team", type: "direct" },
    ]);
    const byFilter = await c.get(`/Users?filter=${q(`groups.value eq "${g1.id}"`)}`);
    expect(idsOf(byFilter.body)).toEqual([String(u.id)]);

    expect((await c.del(`/Groups/${g1.id}`)).status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body.groups).toEqual([{ value: g2.id, $ref: `${base}/${g2.id}`, display: "beta team", type: "direct" }]);
    await c.patch(`/Groups/${g2.id}`, patchOp({ op: "remove", path: `members[value eq "${u.id}"]` }));
    expect((await c.get(`/Users/${u.id}`)).body.groups).toBeUndefined();
  });

  test("include groups reached through nested groups, typed indirect, even when groups contain each other", async () => {
    const u = await c.user({ userName: "nested@example.com" });
    const inner = await c.group({ displayName: "Nested Inner", members: [{ value: u.id }] });
    const middle = await c.group({ displayName: "Nested Middle", members: [{ value: inner.id, type: "Group" }] });
    const outer = await c.group({ displayName: "Nested Outer", members: [{ value: middle.id, type: "Group" }] });
    // A cycle: the climb must end, and list each group once.
    const add = (group: Doc, member: Doc) => c.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: member.id }] }));
    expect((await add(inner, outer)).status).toBe(204);
    const base = `http://scimd.test${c.tenant.url}/Groups`;
    const ref = (g: Doc, display: string, type: string) => ({ value: g.id, $ref: `${base}/${g.id}`, display, type });
    const expected = [ref(inner, "Nested Inner", "direct"), ref(middle, "Nested Middle", "indirect"), ref(outer, "Nested Outer", "indirect")];
    expect((await c.get(`/Users/${u.id}`)).body.groups).toEqual(expected);
    const listed = await c.get(`/Users?filter=${q(`userName eq "nested@example.com"`)}`);
    expect((resources(listed.body)[0] as Doc).groups).toEqual(expected);

    // Filters see the same memberships the answer shows.
    const indirectOuter = q(`groups[value eq "${outer.id}" and type eq "indirect"]`);
    expect(idsOf((await c.get(`/Users?filter=${indirectOuter}`)).body)).toEqual([String(u.id)]);
    expect(idsOf((await c.get(`/Users?filter=${q(`groups.display eq "nested middle"`)}`)).body)).toEqual([String(u.id)]);

    // Direct and indirect at once: listed once, as direct.
    expect((await add(outer, u)).status).toBe(204);
    const both = [expected[0], expected[1], ref(outer, "Nested Outer", "direct")];
    expect((await c.get(`/Users/${u.id}`)).body.groups).toEqual(both);
    expect(idsOf((await c.get(`/Users?filter=${indirectOuter}`)).body)).toEqual([]);

    // Deleting the middle group cuts the chain: outer stays only as the direct membership.
    expect((await c.del(`/Groups/${middle.id}`)).status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body.groups).toEqual([expected[0], ref(outer, "Nested Outer", "direct")]);
    // A group's members stay direct only (RFC 7643 §4.2): outer now lists the user alone.
    const members = ((await c.get(`/Groups/${outer.id}`)).body.members as Doc[]).map((m) => m.value).sort();
    expect(members).toEqual([String(u.id)].sort());
  });

  test("PATCH path groups → 400 mutability; PUT with groups ignores them", async () => {
    const u = await c.user({ userName: "nogroups@example.com" });
    const g = await c.group({ displayName: "not via user" });
    const before = snapshot(c.h);
    const r = await c.patch(`/Users/${u.id}`, patchOp({ op: "add", path: "groups", value: [{ value: g.id }] }));
    expectScimError(r, 400, "mutability");
    expect(snapshot(c.h)).toBe(before);
    const put = await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "nogroups@example.com", groups: [{ value: g.id }] });
    expect(put.status).toBe(200);
    expect(put.body.groups).toBeUndefined();
    expect((await c.get(`/Groups/${g.id}`)).body.members).toBeUndefined();
  });

  test("excludedAttributes=groups omits them; attributes=groups returns only them", async () => {
    const u = await c.user({ userName: "grouped@example.com" });
    const g = await c.group({ displayName: "grouped", members: [{ value: u.id }] });
    expect((await c.get(`/Users/${u.id}?excludedAttributes=groups`)).body.groups).toBeUndefined();
    const only = await c.get(`/Users/${u.id}?attributes=groups`);
    expect(only.body).toEqual({ schemas: [USER], id: u.id, groups: [expect.objectContaining({ value: g.id })] });
  });
});

describe("GET /Users/{id} (RFC 7644 §3.4.1)", () => {
  test("unknown id → 404 SCIM error", async () => {
    expectScimError(await c.get(`/Users/${crypto.randomUUID()}`), 404);
    expectScimError(await c.get("/Users/not-a-uuid"), 404);
  });

  test("a group's id is not a user (404)", async () => {
    const g = await c.group({ displayName: "i am a group" });
    expectScimError(await c.get(`/Users/${g.id}`), 404);
  });
});

describe("PUT /Users/{id} (RFC 7644 §3.5.1)", () => {
  test("replaces every writable attribute: what the body omits is cleared", async () => {
    const u = await c.user({ userName: "put@example.com", title: "Boss", nickName: "B", emails: [{ value: "a@b.c", type: "work" }], [ENT]: { department: "D" } });
    const r = await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "put@example.com", displayName: "Put" });
    expect(r.status).toBe(200);
    // `active` is not cleared: it keeps its stored value (true, the default it was created with).
    expect(r.body).toEqual({ schemas: [USER], id: u.id, userName: "put@example.com", displayName: "Put", active: true, meta: expect.any(Object) });
    expect((await c.get(`/Users/${u.id}`)).body).toEqual(r.body);
  });

  test("a user the IdP disabled stays disabled through a GET-edit-PUT without active, and a minimal PUT", async () => {
    const u = await c.user({ userName: "disabled-put@example.com", title: "Old" });
    await c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "active", value: "False" }));
    const edited: Doc = { ...(await c.get(`/Users/${u.id}`)).body, title: "New" };
    delete edited.active;
    const r = await c.put(`/Users/${u.id}`, edited);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: "New", active: false });
    const minimal = await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "disabled-put@example.com" });
    expect(minimal.body.active).toBe(false);
    expect((await c.get(`/Users/${u.id}`)).body.active).toBe(false);
    const found = await c.get(`/Users?filter=${q('active eq false and userName eq "disabled-put@example.com"')}`);
    expect(idsOf(found.body)).toEqual([String(u.id)]);
    // A body that names active decides: true re-enables; null clears it to the default (§3.5.1 "to clear all values").
    expect((await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "disabled-put@example.com", active: true })).body.active).toBe(true);
    await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "disabled-put@example.com", active: false });
    expect((await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "disabled-put@example.com", active: null })).body.active).toBe(true);
  });

  test("RFC 7643 §2.2 writeOnly: a PUT without password keeps the password; one with a password replaces it", async () => {
    const u = await c.user({ userName: "put-password@example.com", password: "First-Pa55" });
    const hash = () => (c.h.services.db.query("SELECT password_hash AS h FROM users WHERE id = ?").get(String(u.id)) as { h: string }).h;
    expect((await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "put-password@example.com", title: "T" })).status).toBe(200);
    expect(await Bun.password.verify("First-Pa55", hash())).toBe(true);
    expect((await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "put-password@example.com", password: "Second-Pa55" })).status).toBe(200);
    expect(await Bun.password.verify("Second-Pa55", hash())).toBe(true);
    expect(await Bun.password.verify("First-Pa55", hash())).toBe(false);
  });

  test('RFC 7644 §3.5.1 "to clear all values": a PUT with "password": null clears the stored hash (NULL)', async () => {
    const u = await c.user({ userName: "put-password-null@example.com", password: "First-Pa55" });
    const hash = () => (c.h.services.db.query("SELECT password_hash AS h FROM users WHERE id = ?").get(String(u.id)) as { h: string | null }).h;
    const put = (extra: Doc) => c.put(`/Users/${u.id}`, { schemas: [USER], userName: "put-password-null@example.com", ...extra });
    expect(hash()).toStartWith("$argon2id$");
    expect((await put({ password: null })).status).toBe(200);
    expect(hash()).toBeNull();
    expect((await put({ password: "Second-Pa55" })).status).toBe(200);
    expect(await Bun.password.verify("Second-Pa55", hash() ?? "")).toBe(true);
    // The URN-qualified name is the same attribute (RFC 7644 §3.10).
    expect((await put({ [`${USER}:password`]: null })).status).toBe(200);
    expect(hash()).toBeNull();
    // Clearing what is already cleared is harmless.
    expect((await put({ password: null })).status).toBe(200);
    expect(hash()).toBeNull();
  });

  test("RFC 7643 §2.2 writeOnly in a tenant's extension schema: kept by a PUT that omits it, replaced or cleared by one that names it", async () => {
    const w = client(c.h, await c.h.newTenant("WriteOnly"));
    const EXT = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
    const declared = { id: EXT, name: "Acme", resourceType: "User", attributes: [{ name: "pin", type: "string", mutability: "writeOnly", returned: "never" }, { name: "badge", type: "string" }] };
    expect((await c.h.admin("PUT", `/tenants/${w.tenant.id}/schemas`, declared)).status).toBe(200);
    const u = await w.user({ schemas: [USER, EXT], userName: "pin@example.com", [EXT]: { pin: "1234", badge: "B1" } });
    const stored = () => JSON.parse((c.h.services.db.query("SELECT data FROM users WHERE id = ?").get(String(u.id)) as { data: string }).data) as Doc;
    const put = (extra: Doc) => w.put(`/Users/${u.id}`, { schemas: [USER, EXT], userName: "pin@example.com", ...extra });

    const omitted = await put({ title: "T" });
    expect(omitted.status).toBe(200);
    expect(omitted.text).not.toContain("1234");
    expect(stored()).toMatchObject({ schemas: [USER, EXT], title: "T", [EXT]: { pin: "1234" } });
    expect((stored()[EXT] as Doc).badge).toBeUndefined();
    await put({ [EXT]: { badge: "B2" } });
    expect(stored()[EXT]).toEqual({ pin: "1234", badge: "B2" });
    await put({ [`${EXT}:pin`]: "5678" });
    expect(stored()[EXT]).toEqual({ pin: "5678" });
    await put({ [EXT]: { pin: null, badge: "B3" } });
    expect(stored()[EXT]).toEqual({ badge: "B3" });
  });

  test("id in the body is ignored (readOnly); userName may change case", async () => {
    const u = await c.user({ userName: "rename@example.com" });
    const r = await c.put(`/Users/${u.id}`, { schemas: [USER], id: "other", userName: "Rename@Example.com" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, userName: "Rename@Example.com" });
    expectScimError(await c.get("/Users/other"), 404);
  });

  test("renaming onto another user's userName (any case) → 409 uniqueness, nothing written", async () => {
    const a = await c.user({ userName: "taken@example.com" });
    const b = await c.user({ userName: "mine@example.com" });
    const before = snapshot(c.h);
    expectScimError(await c.put(`/Users/${b.id}`, { schemas: [USER], userName: "TAKEN@example.com" }), 409, "uniqueness");
    expectScimError(await c.patch(`/Users/${b.id}`, patchOp({ op: "replace", path: "userName", value: "Taken@Example.com" })), 409, "uniqueness");
    expect(snapshot(c.h)).toBe(before);
    expect((await c.get(`/Users/${a.id}`)).body.userName).toBe("taken@example.com");
  });

  test("unknown id → 404", async () => {
    const before = snapshot(c.h);
    expectScimError(await c.put(`/Users/${crypto.randomUUID()}`, { schemas: [USER], userName: "ghost@example.com" }), 404);
    expect(snapshot(c.h)).toBe(before);
  });
});

describe("PATCH /Users/{id} (RFC 7644 §3.5.2)", () => {
  test("200 with the resource; meta.version and ETag move on; lastModified advances", async () => {
    const u = await c.user({ userName: "patch@example.com", title: "old" });
    const r = await c.patch(`/Users/${u.id}`, patchOp(
      { op: "replace", path: "title", value: "new" },
      { op: "add", path: 'emails[type eq "work"].value', value: "w@example.com" },
      { op: "replace", path: `${ENT}:department`, value: "R&D" },
    ));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, title: "new", emails: [{ type: "work", value: "w@example.com" }], [ENT]: { department: "R&D" } });
    expect(r.body.schemas).toEqual(expect.arrayContaining([USER, ENT]));
    const meta = r.body.meta as Doc;
    expect(meta.version).toBe('W/"2"');
    expect(r.headers.get("etag")).toBe('W/"2"');
    expect(String(meta.lastModified) >= String((u.meta as Doc).lastModified)).toBe(true);
    expect((await c.get(`/Users/${u.id}`)).body).toEqual(r.body);
  });

  test("the answers of POST and PATCH are, byte for byte, what a GET then returns (groups included)", async () => {
    const created = await c.post("/Users", { ...everyAttribute("bytes@example.com", String(manager.id)), password: "t1meMa$heen" });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect((await c.get(`/Users/${id}`)).text).toBe(created.text);
    const g = await c.group({ schemas: [GROUP], displayName: "Byte Counters", members: [{ value: id }] });
    const r = await c.patch(`/Users/${id}`, patchOp(
      { op: "Replace", path: "active", value: "False" },
      { op: "Add", path: 'phoneNumbers[type eq "fax"].value', value: "+1 555 0100" },
      { op: "Replace", value: { "name.givenName": "Babs", [`${ENT}:department`]: "Tour" } },
    ));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ active: false, name: { givenName: "Babs" }, groups: [{ value: g.id }] });
    expect((await c.get(`/Users/${id}`)).text).toBe(r.text);
  });

  test("a PATCH that changes nothing keeps the version", async () => {
    const u = await c.user({ userName: "noop@example.com", active: true });
    const r = await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "active", value: true }));
    expect(r.status).toBe(200);
    expect((r.body.meta as Doc).version).toBe('W/"1"');
  });

  test('RFC 7644 §3.5.2.1 "already contains the value": add of a present email in another case changes nothing', async () => {
    const u = await c.user({ userName: "dup@example.com", emails: [{ value: "a@x.com", type: "work" }] });
    const r = await c.patch(`/Users/${u.id}`, patchOp({ op: "add", path: "emails", value: [{ value: "A@X.COM", type: "work" }] }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ emails: [{ value: "a@x.com", type: "work" }], meta: { version: 'W/"1"' } });
    expect((await c.get(`/Users/${u.id}`)).body).toEqual(r.body);
  });

  test("RFC 7643 §2.4: a primary email without a value is no email and demotes nobody, until it gets a value", async () => {
    const work = { value: "w@example.com", type: "work", primary: true };
    const u = await c.user({ userName: "primary@example.com", emails: [work] });
    const homePrimary = { op: "replace", path: 'emails[type eq "home"].primary', value: true };
    for (const operation of [homePrimary, { op: "add", path: "emails", value: [{ type: "home", primary: true }] }]) {
      const r = await c.patch(`/Users/${u.id}`, patchOp(operation));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ emails: [work], meta: { version: 'W/"1"' } });
    }
    const r = await c.patch(`/Users/${u.id}`, patchOp(homePrimary, { op: "add", path: 'emails[type eq "home"].value', value: "h@example.com" }));
    expect(r.body.emails).toEqual([{ ...work, primary: false }, { type: "home", primary: true, value: "h@example.com" }]);
  });

  test("unknown id → 404", async () => {
    expectScimError(await c.patch(`/Users/${crypto.randomUUID()}`, patchOp({ op: "replace", path: "title", value: "x" })), 404);
  });
});

describe("PATCH values with keys named like Object members (found by a review pass: they hung the server)", () => {
  const owner = { schemas: [USER, ENT], userName: "proto@example.com", name: { givenName: "Ann", familyName: "Lee" }, [ENT]: { manager: { value: "m-1" } } };
  const MANAGER = `${ENT}:manager`;

  /** The PATCH of a new `owner` by each operation (JSON text, so "__proto__" stays a key), in one Worker. */
  function patchesInWorker(operations: string[], ms = 5000): Promise<PatchOutcome | "no answer">[] {
    const worker = new Worker(new URL("./patch-worker.ts", import.meta.url).href);
    const answers = operations.map(() => Promise.withResolvers<PatchOutcome | "no answer">());
    const timer = setTimeout(() => {
      for (const answer of answers) answer.resolve("no answer");
      worker.terminate();
    }, ms);
    worker.onmessage = ({ data }: MessageEvent<{ index: number; outcome: PatchOutcome }>) => {
      answers[data.index].resolve(data.outcome);
      if (data.index < operations.length - 1) return;
      clearTimeout(timer);
      worker.terminate();
    };
    const patches = operations.map((operation) => `{"schemas":["${PATCH_OP}"],"Operations":[${operation}]}`);
    worker.postMessage({ user: owner, patches } satisfies PatchJob);
    return answers.map((answer) => answer.promise);
  }

  // RFC 7644 §3.5.2.3: sub-attributes "not specified" stay; a key that is no sub-attribute is ignored, as on POST.
  const cases: [string, string, Doc | undefined][] = [
    ["name with constructor", '{"op":"replace","path":"name","value":{"givenName":"A","constructor":"x"}}', { name: { givenName: "A", familyName: "Lee" } }],
    ["name with only toString (add)", '{"op":"add","path":"name","value":{"toString":"x"}}', undefined],
    ["name with hasOwnProperty", '{"op":"replace","path":"name","value":{"hasOwnProperty":"x","familyName":"Li"}}', { name: { givenName: "Ann", familyName: "Li" } }],
    ["name with only __proto__", '{"op":"replace","path":"name","value":{"__proto__":{"givenName":"Eve"}}}', undefined],
    ["path-less name with constructor", '{"op":"replace","value":{"name":{"constructor":"x","givenName":"B"}}}', { name: { givenName: "B", familyName: "Lee" } }],
    ["manager with __proto__", `{"op":"replace","path":"${MANAGER}","value":{"value":"m-2","__proto__":{}}}`, { [ENT]: { manager: { value: "m-2" } } }],
    ["manager with only constructor (add)", `{"op":"add","path":"${MANAGER}","value":{"constructor":"x"}}`, undefined],
    ["the extension with manager.toString", `{"op":"replace","path":"${ENT}","value":{"manager":{"value":"m-3","toString":"x"}}}`, { [ENT]: { manager: { value: "m-3" } } }],
  ];
  let outcomes: Promise<PatchOutcome | "no answer">[];
  beforeAll(() => {
    outcomes = patchesInWorker(cases.map(([, operation]) => operation));
  });

  test.each(cases.map((c, i) => [...c, i] as const))("%s: 200 at once, the key ignored", async (_name, _operation, changed, i) => {
    const outcome = await outcomes[i];
    if (outcome === "no answer") throw new Error("the PATCH got no answer within 5 s");
    const { status, body, before, after } = outcome;
    expect(status).toBe(200);
    expect(after).toEqual(body);
    if (!changed) return expect(after).toEqual(before); // nothing to write: the same version, too
    const { meta: _meta, ...kept } = before;
    expect(after).toMatchObject({ ...kept, ...changed, meta: { version: 'W/"2"' } });
    expect(JSON.stringify(after)).not.toMatch(/constructor|toString|hasOwnProperty|__proto__/);
  });
});

describe("concurrent writes to one user (entra.md: 5xx counts toward quarantine)", () => {
  test("10 concurrent PATCHes and 2 password changes: all 200, none lost", async () => {
    const u = await c.user({ userName: "concurrent@example.com" });
    const titles = Array.from({ length: 10 }, (_, i) => c.patch(`/Users/${u.id}`, patchOp({ op: "add", path: "emails", value: [{ value: `e${i}@example.com` }] })));
    const passwords = [1, 2].map((i) => c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "password", value: `Concurrent-${i}-pw` })));
    const replies = await Promise.all([...titles, ...passwords]);
    expect(replies.map((r) => r.status)).toEqual(Array(12).fill(200));
    const after = await c.get(`/Users/${u.id}`);
    expect(((after.body.emails ?? []) as Doc[]).map((e) => e.value).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}@example.com`).sort());
    expect((after.body.meta as Doc).version).toBe('W/"13"');
  });
});

describe("DELETE /Users/{id} (RFC 7644 §3.6)", () => {
  test("204, then 404 on GET, PATCH, PUT and a second DELETE; memberships go with it", async () => {
    const u = await c.user({ userName: "gone@example.com" });
    const g = await c.group({ displayName: "had gone", members: [{ value: u.id }] });
    const version = (g.meta as Doc).version;
    const r = await c.del(`/Users/${u.id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    expectScimError(await c.get(`/Users/${u.id}`), 404);
    expectScimError(await c.del(`/Users/${u.id}`), 404);
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "x" })), 404);
    expectScimError(await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "gone@example.com" }), 404);
    const after = await c.get(`/Groups/${g.id}`);
    expect(after.body.members).toBeUndefined();
    expect((after.body.meta as Doc).version).not.toBe(version);
    // The userName is free again.
    expect((await c.post("/Users", { schemas: [USER], userName: "GONE@example.com" })).status).toBe(201);
  });
});

describe("ETag and meta.version (RFC 7644 §3.14)", () => {
  test("ETag header = meta.version on GET, POST, PUT, PATCH", async () => {
    const created = await c.post("/Users", { schemas: [USER], userName: "etag@example.com" });
    const id = created.body.id;
    const replies = [
      created,
      await c.get(`/Users/${id}`),
      await c.put(`/Users/${id}`, { schemas: [USER], userName: "etag@example.com", title: "t" }),
      await c.patch(`/Users/${id}`, patchOp({ op: "replace", path: "title", value: "u" })),
    ];
    expect(replies.map((r) => r.headers.get("etag"))).toEqual(['W/"1"', 'W/"1"', 'W/"2"', 'W/"3"']);
    for (const r of replies) expect(r.headers.get("etag")).toBe(String((r.body.meta as Doc).version));
  });

  test("If-None-Match with the current version → 304; with an old one → 200", async () => {
    const u = await c.user({ userName: "inm@example.com" });
    const notModified = await c.get(`/Users/${u.id}`, { "if-none-match": 'W/"1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "x" }));
    expect((await c.get(`/Users/${u.id}`, { "if-none-match": 'W/"1"' })).status).toBe(200);
  });

  test("If-Match with a stale version → 412 and nothing written; with the current one → applied", async () => {
    const u = await c.user({ userName: "ifmatch@example.com" });
    await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "v2" }));
    const before = snapshot(c.h);
    const stale = { "if-match": 'W/"1"' };
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "v3" }), stale), 412);
    expectScimError(await c.put(`/Users/${u.id}`, { schemas: [USER], userName: "ifmatch@example.com" }, stale), 412);
    expectScimError(await c.del(`/Users/${u.id}`, stale), 412);
    expect(snapshot(c.h)).toBe(before);
    const ok = await c.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "v3" }), { "if-match": 'W/"2"' });
    expect(ok.status).toBe(200);
    expect(ok.body.title).toBe("v3");
  });
});

describe("Group resource type is not served under /Users", () => {
  test("POST /Users with only the Group schema still needs a userName", async () => {
    expectScimError(await c.post("/Users", { schemas: [GROUP], displayName: "x" }), 400, "invalidValue");
  });
});
