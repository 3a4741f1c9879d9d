// Every line of ../shared/entra.md replayed through the real router, each test named after its line.
// Both PATCH shapes run against the same server and tenant, with no configuration.
import { afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { AD_GROUP, client, type Client, type Doc, ENT, expectScimError, GROUP, harness, LIST, patchOp, q, resources, setUp, snapshot, USER } from "../http/client";
import { createHarness } from "../support/harness";

let c: Client;
beforeAll(async () => {
  c = await setUp("Entra");
});

type Shape = "default" | "aadOptscim062020";
const SHAPES: Shape[] = ["default", "aadOptscim062020"];
/** The flag shape is chosen by the Tenant URL Entra was given: `…/scim/v2/{tenant}?aadOptscim062020`. */
const flag = (shape: Shape, path: string) => (shape === "default" ? path : `${path}${path.includes("?") ? "&" : "?"}aadOptscim062020`);
/** `Replace` and "False" by default; `replace` and false with the flag. */
const op = (shape: Shape, name: "add" | "replace" | "remove", path?: string, value?: unknown) => {
  const written = shape === "default" ? name[0].toUpperCase() + name.slice(1) : name;
  const v = shape === "default" && typeof value === "boolean" ? (value ? "True" : "False") : value;
  return { op: written, ...(path === undefined ? {} : { path }), ...(value === undefined ? {} : { value: v }) };
};

/** The create body of Microsoft's documentation, with the extras Entra sends in real traffic. */
const entraUser = (userName: string, extra: Doc = {}): Doc => ({
  schemas: [USER, ENT],
  externalId: crypto.randomUUID(),
  userName,
  active: true,
  emails: [{ primary: true, type: "work", value: `${userName.split("@")[0]}@testuser.com` }],
  meta: { resourceType: "User" },
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  roles: [],
  ...extra,
});
const entraGroup = (displayName: string): Doc => ({
  schemas: [GROUP, AD_GROUP],
  externalId: crypto.randomUUID(),
  displayName,
  meta: { resourceType: "Group" },
});
const newUser = async (extra: Doc = {}) => c.user(entraUser(`Test_User_${crypto.randomUUID()}@contoso.com`, extra));
const memberIds = async (groupId: unknown) => (((await c.get(`/Groups/${groupId}`)).body.members ?? []) as Doc[]).map((m) => String(m.value)).sort();
const versionOf = (r: { body: Doc }) => (r.body.meta as Doc).version;

describe("entra.md — The conversation", () => {
  test('1. Test Connection: GET /Users?filter=userName+eq+%22<random guid>%22 → 200 with an empty ListResponse', async () => {
    const r = await c.get(`/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toStartWith("application/scim+json");
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 0 });
    expect(resources(r.body)).toEqual([]);
    // The `+`s are spaces: the same form finds a user that exists.
    const u = await newUser();
    const found = await c.get(`/Users?filter=userName+eq+%22${encodeURIComponent(String(u.userName))}%22`);
    expect(found.body.totalResults).toBe(1);
  });

  test.each([
    ["/Users", `userName eq "${crypto.randomUUID()}"`],
    ["/Users", `externalId eq "${crypto.randomUUID()}"`],
    ["/Users", `id eq "${crypto.randomUUID()}"`],
    ["/Users", `emails[type eq "work"].value eq "${crypto.randomUUID()}@x.com"`],
    ["/Groups", `displayName eq "${crypto.randomUUID()}"`],
    ["/Groups", `id eq "${crypto.randomUUID()}"`],
  ])("1. 400 or 404 on a filter that matches nothing fails the connection: %s?filter=%s → 200, empty", async (endpoint, filter) => {
    const r = await c.get(`${endpoint}?filter=${q(filter)}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 0 });
  });

  test("1. A group probe: GET /Groups?excludedAttributes=members&filter=displayName+eq+%22<guid>%22 → 200, empty", async () => {
    const r = await c.get(`/Groups?excludedAttributes=members&filter=displayName+eq+%22${crypto.randomUUID()}%22`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 0 });
  });

  test('2. Match: filter=userName eq "…" is case-insensitive and finds exactly one', async () => {
    const u = await c.user(entraUser("Match.Me@Contoso.com"));
    for (const name of ["Match.Me@Contoso.com", "match.me@contoso.com", "MATCH.ME@CONTOSO.COM"]) {
      for (const filter of [`userName eq "${name}"`, `userName+eq+"${name}"`]) {
        const encoded = filter.includes("+") ? filter.replace(/"/g, "%22").replace(/@/g, "%40") : q(filter);
        const r = await c.get(`/Users?filter=${encoded}`);
        expect({ filter, ids: resources(r.body).map((x) => x.id) }).toEqual({ filter, ids: [u.id] });
      }
    }
  });

  test('2. Match: externalId eq "…" if the admin changed the matching attribute', async () => {
    const u = await newUser();
    const r = await c.get(`/Users?filter=${q(`externalId eq "${u.externalId}"`)}`);
    expect(resources(r.body).map((x) => x.id)).toEqual([u.id]);
  });

  test('2. Match: emails[type eq "work"].value eq "…" is possible', async () => {
    const u = await newUser();
    const email = (u.emails as Doc[])[0].value;
    const r = await c.get(`/Users?filter=${q(`emails[type eq "work"].value eq "${email}"`)}`);
    expect(resources(r.body).map((x) => x.id)).toEqual([u.id]);
    const home = await c.get(`/Users?filter=${q(`emails[type eq "home"].value eq "${email}"`)}`);
    expect(home.body.totalResults).toBe(0);
  });

  test("2. Only eq and and are used", async () => {
    const u = await newUser();
    const both = await c.get(`/Users?filter=${q(`userName eq "${u.userName}" and externalId eq "${u.externalId}"`)}`);
    expect(resources(both.body).map((x) => x.id)).toEqual([u.id]);
    const mismatch = await c.get(`/Users?filter=${q(`userName eq "${u.userName}" and externalId eq "other"`)}`);
    expect(mismatch.body.totalResults).toBe(0);
  });

  test("2. Matching must be case-insensitive for group displayName", async () => {
    const g = await c.group(entraGroup("Finance Approvers"));
    const r = await c.get(`/Groups?excludedAttributes=members&filter=${q('displayName eq "FINANCE approvers"')}`);
    expect(resources(r.body).map((x) => x.id)).toEqual([g.id]);
  });

  test("3. Create: core + enterprise URNs, meta, roles: [], explicit nulls, unknown and misspelt URNs → 201 with an id", async () => {
    const body = entraUser("Test_User_create@contoso.com", {
      schemas: [
        USER,
        ENT,
        "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0",
        "urn:ietf:params:scim:schemas:core:2.0:user",
      ],
      title: null,
      displayName: null,
      phoneNumbers: null,
      addresses: [{ type: "work", streetAddress: null, locality: "Redmond" }],
      [ENT]: { employeeNumber: "1234", department: null, manager: null },
      "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": { CustomAttribute: "x" },
    });
    const r = await c.post("/Users", body);
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body).toEqual({
      schemas: [USER, ENT],
      id: r.body.id,
      externalId: body.externalId,
      userName: "Test_User_create@contoso.com",
      active: true,
      emails: body.emails,
      name: body.name,
      addresses: [{ type: "work", locality: "Redmond" }],
      [ENT]: { employeeNumber: "1234" },
      meta: expect.objectContaining({ resourceType: "User", version: 'W/"1"' }),
    });
    // "Entra keeps that id forever": it is the resource's address from now on.
    await c.patch(`/Users/${r.body.id}`, patchOp({ op: "Replace", path: "displayName", value: "D" }));
    expect((await c.get(`/Users/${r.body.id}`)).body).toMatchObject({ id: r.body.id, displayName: "D" });
  });

  test('3. Duplicate userName (any case) → 409 with scimType: "uniqueness"', async () => {
    await c.user(entraUser("Dup.User@Contoso.com"));
    const before = snapshot(c.h);
    for (const userName of ["Dup.User@Contoso.com", "dup.user@contoso.com", "DUP.USER@CONTOSO.COM"]) {
      expectScimError(await c.post("/Users", entraUser(userName)), 409, "uniqueness");
    }
    expect(snapshot(c.h)).toBe(before);
  });

  test("4. Update: Entra GETs /Users/{id}, computes the difference, and sends only that as PATCH", async () => {
    const u = await newUser({ title: "Engineer", [ENT]: { department: "R&D" } });
    const current = (await c.get(`/Users/${u.id}`)).body;
    const wanted = { title: "Senior Engineer", "name.familyName": "Jones", [`${ENT}:department`]: "Research" };
    const diff = Object.entries(wanted).map(([path, value]) => ({ op: "Replace", path, value }));
    const r = await c.patch(`/Users/${u.id}`, patchOp(...diff));
    expect(r.status).toBe(200);
    const after = (await c.get(`/Users/${u.id}`)).body;
    expect({ ...after, meta: undefined } as Doc).toEqual({
      ...current,
      meta: undefined,
      title: "Senior Engineer",
      name: { ...(current.name as Doc), familyName: "Jones" },
      [ENT]: { department: "Research" },
    });
    expect(r.body).toEqual(after);
  });

  test.each(SHAPES)("5. Disable instead of delete: PATCH active to false; still returned by id and by filter (%s)", async (shape) => {
    const u = await newUser();
    const r = await c.patch(flag(shape, `/Users/${u.id}`), patchOp(op(shape, "replace", "active", false)));
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect((await c.get(`/Users/${u.id}`)).body.active).toBe(false);
    const byName = await c.get(`/Users?filter=${q(`userName eq "${u.userName}"`)}`);
    expect(resources(byName.body)).toEqual([expect.objectContaining({ id: u.id, active: false })]);
    const byExternalId = await c.get(`/Users?filter=${q(`externalId eq "${u.externalId}"`)}`);
    expect(resources(byExternalId.body).map((x) => x.id)).toEqual([u.id]);
    const disabled = await c.get(`/Users?filter=${q(`active eq false and userName eq "${u.userName}"`)}`);
    expect(disabled.body.totalResults).toBe(1);
  });

  test.each(SHAPES)("5. Disable sent with attributes the tenant never declared (custom URN, misspelt Enterprise name): 200, inactive (%s)", async (shape) => {
    const CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";
    const u = await newUser({ [CUSTOM]: { CustomAttribute: "x" }, [ENT]: { costCentre: "4130" } });
    const unknown = { [`${CUSTOM}:CustomAttribute`]: "x", [`${ENT}:costCentre`]: "4130" };
    const ops =
      shape === "default"
        ? [...Object.entries(unknown).map(([path, value]) => op(shape, "add", path, value)), op(shape, "replace", "active", false)]
        : [op(shape, "replace", undefined, { ...unknown, active: false })];
    const r = await c.patch(flag(shape, `/Users/${u.id}`), patchOp(...ops));
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    const after = (await c.get(`/Users/${u.id}`)).body;
    expect(after).toEqual({ ...u, active: false, meta: expect.any(Object) });
    // Entra's next cycle sends the same diff again: still 200, still inactive.
    expect((await c.patch(flag(shape, `/Users/${u.id}`), patchOp(...ops))).status).toBe(200);
    expect((await c.get(`/Users/${u.id}`)).body.active).toBe(false);
  });

  test("5. Delete (DELETE /Users/{id} → 204) comes only on hard delete", async () => {
    const u = await newUser();
    const r = await c.del(`/Users/${u.id}`);
    expect(r.status).toBe(204);
    expectScimError(await c.get(`/Users/${u.id}`), 404);
    const probe = await c.get(`/Users?filter=${q(`userName eq "${u.userName}"`)}`);
    expect(probe.body).toMatchObject({ totalResults: 0 });
  });

  test("6. Groups: lookup by displayName eq with excludedAttributes=members never returns members", async () => {
    const u = await newUser();
    const g = await c.group({ ...entraGroup("Has Members"), members: [{ value: u.id }] });
    expect(await memberIds(g.id)).toEqual([String(u.id)]);
    const r = await c.get(`/Groups?excludedAttributes=members&filter=displayName+eq+%22Has+Members%22`);
    expect(resources(r.body).map((x) => x.id)).toEqual([g.id]);
    expect(r.text).not.toContain('"members"');
    const byId = await c.get(`/Groups/${g.id}?excludedAttributes=members`);
    expect(byId.text).not.toContain('"members"');
  });

  test("6. Create with no members and the ADSCIM schema URN → 201", async () => {
    const r = await c.post("/Groups", entraGroup("ADSCIM Group"));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ schemas: [GROUP], displayName: "ADSCIM Group" });
    expect(r.body.id).toBeString();
    expect(r.body.members).toBeUndefined();
  });

  test.each(SHAPES)("6. Members are added and removed by PATCH, many per request; group PATCH → 204 (%s)", async (shape) => {
    const g = await c.group(entraGroup(`Many ${shape}`));
    const users = await Promise.all(Array.from({ length: 30 }, () => newUser()));
    const ids = users.map((u) => String(u.id));
    const add = await c.patch(flag(shape, `/Groups/${g.id}`), patchOp(op(shape, "add", "members", ids.map((value) => ({ $ref: null, value })))));
    expect(add.status).toBe(204);
    expect(add.text).toBe("");
    expect(await memberIds(g.id)).toEqual([...ids].sort());
    const gone = ids.slice(0, 12);
    const removes =
      shape === "default"
        ? [op(shape, "remove", "members", gone.map((value) => ({ value })))]
        : gone.map((id) => op(shape, "remove", `members[value eq "${id}"]`));
    const remove = await c.patch(flag(shape, `/Groups/${g.id}`), patchOp(...removes));
    expect(remove.status).toBe(204);
    expect(await memberIds(g.id)).toEqual(ids.slice(12).sort());
  });

  test("7. Entra sends no PUT, and may send no User-Agent header", async () => {
    const send = (method: string, path: string, body?: unknown) => {
      const request = new Request(`http://scimd.test${c.tenant.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${c.tenant.token}`, ...(body ? { "content-type": "application/scim+json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(request.headers.get("user-agent")).toBeNull();
      return c.h.app.handle(request);
    };
    expect((await send("GET", `/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`)).status).toBe(200);
    const created = await send("POST", "/Users", entraUser("no-agent@contoso.com"));
    expect(created.status).toBe(201);
    const id = ((await created.json()) as Doc).id;
    expect((await send("GET", `/Users/${id}`)).status).toBe(200);
    expect((await send("PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value: "False" }))).status).toBe(200);
    const group = await send("POST", "/Groups", entraGroup("no-agent"));
    expect(group.status).toBe(201);
    const gid = ((await group.json()) as Doc).id;
    expect((await send("PATCH", `/Groups/${gid}`, patchOp({ op: "Add", path: "members", value: [{ value: id }] }))).status).toBe(204);
    expect((await send("DELETE", `/Users/${id}`)).status).toBe(204);
  });
});

describe("entra.md — PATCH shapes: both must work, in one server, without configuration", () => {
  test.each(SHAPES)("op names | `Add`, `Replace`, `Remove` | `add`, `replace`, `remove` (%s)", async (shape) => {
    const u = await newUser({ nickName: "Nick", title: "Old" });
    const r = await c.patch(flag(shape, `/Users/${u.id}`), patchOp(
      op(shape, "add", "displayName", "Added"),
      op(shape, "replace", "title", "New"),
      op(shape, "remove", "nickName"),
    ));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: "Added", title: "New" });
    expect(r.body.nickName).toBeUndefined();
  });

  test.each(SHAPES)('disable | {"op":"Replace","path":"active","value":"False"} | {"op":"replace","path":"active","value":false} (%s)', async (shape) => {
    const u = await newUser();
    const body = patchOp(op(shape, "replace", "active", false));
    expect((body.Operations[0] as Doc).value).toBe(shape === "default" ? "False" : false);
    const r = await c.patch(flag(shape, `/Users/${u.id}`), body);
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect(r.text).toContain('"active":false');
  });

  test("several attributes | one op per attribute, each with a path | one path-less replace with dotted and URN-qualified keys", async () => {
    const values = {
      "name.givenName": "Alicia",
      "name.familyName": "Jones",
      'emails[type eq "work"].value': "alicia@contoso.com",
      'phoneNumbers[type eq "mobile"].value': "+1 555 0199",
      timezone: "Europe/Paris",
      [`${ENT}:employeeNumber`]: "43",
      [`${ENT}:department`]: "Support",
    };
    const results: Doc[] = [];
    for (const shape of SHAPES) {
      const u = await c.user(entraUser(`several-${shape}@contoso.com`, { externalId: "same" }));
      const ops = shape === "default" ? Object.entries(values).map(([path, value]) => op(shape, "replace", path, value)) : [op(shape, "replace", undefined, values)];
      const r = await c.patch(flag(shape, `/Users/${u.id}`), patchOp(...ops));
      expect(r.status).toBe(200);
      const { id: _id, meta: _meta, userName: _userName, ...rest } = r.body;
      results.push(rest);
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toMatchObject({
      name: { givenName: "Alicia", familyName: "Jones" },
      emails: [{ type: "work", value: "alicia@contoso.com" }],
      phoneNumbers: [{ type: "mobile", value: "+1 555 0199" }],
      timezone: "Europe/Paris",
      [ENT]: { employeeNumber: "43", department: "Support" },
    });
  });

  test.each(SHAPES)("remove a member | value list: remove only the listed ids | members[value eq \"<id>\"] (%s)", async (shape) => {
    const [a, b, d] = await Promise.all([newUser(), newUser(), newUser()]);
    const g = await c.group({ ...entraGroup(`remove-one-${shape}`), members: [{ value: a.id }, { value: b.id }, { value: d.id }] });
    const remove =
      shape === "default"
        ? { op: "Remove", path: "members", value: [{ value: b.id }] }
        : { op: "remove", path: `members[value eq "${b.id}"]` };
    const r = await c.patch(flag(shape, `/Groups/${g.id}`), patchOp(remove));
    expect(r.status).toBe(204);
    expect(await memberIds(g.id)).toEqual([String(a.id), String(d.id)].sort());
  });

  test("both shapes interleaved on one tenant, no configuration in between", async () => {
    const u = await newUser();
    const steps: [Shape, unknown, (d: Doc) => void][] = [
      ["default", op("default", "replace", "active", false), (d) => expect(d.active).toBe(false)],
      ["aadOptscim062020", op("aadOptscim062020", "replace", "active", true), (d) => expect(d.active).toBe(true)],
      ["default", op("default", "add", "title", "T1"), (d) => expect(d.title).toBe("T1")],
      ["aadOptscim062020", op("aadOptscim062020", "replace", undefined, { title: "T2", "name.givenName": "G" }), (d) => expect(d).toMatchObject({ title: "T2", name: { givenName: "G" } })],
    ];
    for (const [shape, operation, check] of steps) {
      const r = await c.patch(flag(shape, `/Users/${u.id}`), patchOp(operation));
      expect(r.status).toBe(200);
      check(r.body);
    }
  });
});

describe("entra.md — Other shapes seen in real traffic", () => {
  test.each(["True", "False", "true", "false"])('"%s" strings for booleans (active, primary); always answer with JSON booleans', async (text) => {
    const want = text.toLowerCase() === "true";
    const created = await c.post("/Users", entraUser(`bool-${text}-${crypto.randomUUID()}@contoso.com`, { active: text, emails: [{ value: "b@x.com", type: "work", primary: text }] }));
    expect(created.status).toBe(201);
    expect(created.body.active).toBe(want);
    expect((created.body.emails as Doc[])[0].primary).toBe(want);
    const r = await c.patch(`/Users/${created.body.id}`, patchOp(
      { op: "Replace", path: "active", value: text },
      { op: "Replace", path: 'emails[type eq "work"].primary', value: text },
    ));
    expect(r.body.active).toBe(want);
    expect((r.body.emails as Doc[])[0].primary).toBe(want);
    expect(r.text).not.toContain(`"${text}"`);
  });

  test('`op: "Add"` on a single-valued attribute that already has a value (means replace), also for `active`', async () => {
    const u = await newUser({ title: "Old", [ENT]: { department: "Old" } });
    const r = await c.patch(`/Users/${u.id}`, patchOp(
      { op: "Add", path: "title", value: "New" },
      { op: "Add", path: "active", value: "False" },
      { op: "Add", path: `${ENT}:department`, value: "New" },
    ));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: "New", active: false, [ENT]: { department: "New" } });
  });

  test.each(["Replace", "Add"])('%s phoneNumbers[type eq "mobile"].value on a user without one creates {type: "mobile", value}; unrelated changes apply', async (name) => {
    const u = await newUser({ phoneNumbers: [{ type: "work", value: "+1 555 0100" }] });
    const r = await c.patch(`/Users/${u.id}`, patchOp(
      { op: name, path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0199" },
      { op: "Replace", path: "title", value: "Unrelated" },
      { op: name, path: 'addresses[type eq "work"].locality', value: "Redmond" },
    ));
    expect(r.status).toBe(200);
    expect(r.body.phoneNumbers).toEqual([
      { type: "work", value: "+1 555 0100" },
      { type: "mobile", value: "+1 555 0199" },
    ]);
    expect(r.body.addresses).toEqual([{ type: "work", locality: "Redmond" }]);
    expect(r.body.title).toBe("Unrelated");
  });

  test('Member add: {"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}, …]}; adding an existing member or removing a non-member is a harmless no-op', async () => {
    const [a, b, outsider] = await Promise.all([newUser(), newUser(), newUser()]);
    const g = await c.group(entraGroup("no-ops"));
    const add = await c.patch(`/Groups/${g.id}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: a.id }, { $ref: null, value: b.id }] }));
    expect(add.status).toBe(204);
    const version = add.headers.get("etag");
    const again = await c.patch(`/Groups/${g.id}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: a.id }] }));
    expect(again.status).toBe(204);
    const removeOutsider = await c.patch(`/Groups/${g.id}`, patchOp({ op: "Remove", path: "members", value: [{ value: outsider.id }] }));
    expect(removeOutsider.status).toBe(204);
    const removeFiltered = await c.patch(`/Groups/${g.id}?aadOptscim062020`, patchOp({ op: "remove", path: `members[value eq "${outsider.id}"]` }));
    expect(removeFiltered.status).toBe(204);
    expect([again, removeOutsider, removeFiltered].map((r) => r.headers.get("etag"))).toEqual([version, version, version]);
    expect(await memberIds(g.id)).toEqual([String(a.id), String(b.id)].sort());
  });

  test("`manager` in the enterprise extension sent as a bare id string", async () => {
    const boss = await newUser();
    const u = await newUser();
    const byPath = await c.patch(`/Users/${u.id}`, patchOp({ op: "Add", path: `${ENT}:manager`, value: boss.id }));
    expect((byPath.body[ENT] as Doc).manager).toEqual({ value: boss.id });
    const v = await newUser();
    const pathless = await c.patch(`/Users/${v.id}?aadOptscim062020`, patchOp({ op: "replace", value: { [`${ENT}:manager`]: boss.id } }));
    expect((pathless.body[ENT] as Doc).manager).toEqual({ value: boss.id });
    const filtered = await c.get(`/Users?filter=${q(`${ENT}:manager.value eq "${boss.id}"`)}`);
    expect(resources(filtered.body).map((x) => x.id).sort()).toEqual([u.id, v.id].sort() as string[]);
  });

  test.each([
    ["title", "title", (d: Doc) => d.title],
    ["title", "title (null)", (d: Doc) => d.title],
    [`${ENT}:department`, "department", (d: Doc) => (d[ENT] as Doc | undefined)?.department],
    [`${ENT}:manager`, "manager", (d: Doc) => (d[ENT] as Doc | undefined)?.manager],
    ['phoneNumbers[type eq "mobile"].value', "mobile phone", (d: Doc) => d.phoneNumbers],
    ["name.givenName", "givenName", (d: Doc) => (d.name as Doc | undefined)?.givenName],
  ])('"" or null to clear an attribute: %s (%s)', async (path, what, read) => {
    const boss = await newUser();
    const u = await newUser({ title: "T", phoneNumbers: [{ type: "mobile", value: "1" }], [ENT]: { department: "D", manager: { value: boss.id } } });
    expect(read((await c.get(`/Users/${u.id}`)).body)).toBeDefined();
    const value = what.includes("null") || path.includes("manager") ? null : "";
    const r = await c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path, value }));
    expect(r.status).toBe(200);
    expect(read(r.body)).toBeUndefined();
    expect(read((await c.get(`/Users/${u.id}`)).body)).toBeUndefined();
  });

  test("Periodic re-assertions (`active` true again): harmless no-ops, never errors", async () => {
    const u = await newUser();
    for (const value of ["True", true, "true"]) {
      const r = await c.patch(`/Users/${u.id}`, patchOp({ op: "Replace", path: "active", value }, { op: "Replace", path: "userName", value: u.userName }));
      expect(r.status).toBe(200);
      expect(r.body.active).toBe(true);
      expect(versionOf(r)).toBe('W/"1"');
    }
  });

  test("An empty `Operations` array: a valid no-op", async () => {
    const u = await newUser();
    const g = await c.group(entraGroup("empty-ops"));
    const before = snapshot(c.h);
    const user = await c.patch(`/Users/${u.id}`, patchOp());
    expect(user.status).toBe(200);
    expect(user.body).toEqual((await c.get(`/Users/${u.id}`)).body);
    expect((await c.patch(`/Groups/${g.id}`, patchOp())).status).toBe(204);
    expect((await c.patch(`/Groups/${g.id}?aadOptscim062020`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [] })).status).toBe(204);
    expect(snapshot(c.h)).toBe(before);
  });

  test("Unknown query parameters (like `aadOptscim062020`) on any URL: ignore them", async () => {
    const u = await newUser();
    const g = await c.group(entraGroup("unknown-params"));
    const extra = "aadOptscim062020&foo=bar&utm_source=entra";
    const requests: [string, string, unknown, number][] = [
      ["GET", `/Users?${extra}`, undefined, 200],
      ["GET", `/Users?filter=${q(`userName eq "${u.userName}"`)}&${extra}`, undefined, 200],
      ["GET", `/Users/${u.id}?${extra}`, undefined, 200],
      ["PATCH", `/Users/${u.id}?${extra}`, patchOp({ op: "replace", path: "title", value: "x" }), 200],
      ["POST", `/Users?${extra}`, entraUser(`params-${crypto.randomUUID()}@contoso.com`), 201],
      ["GET", `/Groups?${extra}&excludedAttributes=members`, undefined, 200],
      ["GET", `/Groups/${g.id}?${extra}`, undefined, 200],
      ["PATCH", `/Groups/${g.id}?${extra}`, patchOp({ op: "add", path: "members", value: [{ value: u.id }] }), 204],
      ["POST", `/Groups?${extra}`, entraGroup(`params-${crypto.randomUUID()}`), 201],
      ["GET", `/ServiceProviderConfig?${extra}`, undefined, 200],
      ["GET", `/ResourceTypes?${extra}`, undefined, 200],
      ["GET", `/Schemas?${extra}`, undefined, 200],
      ["DELETE", `/Groups/${g.id}?${extra}`, undefined, 204],
      ["DELETE", `/Users/${u.id}?${extra}`, undefined, 204],
    ];
    for (const [method, path, body, status] of requests) {
      const r = await c.send(method, path, body);
      expect({ method, path, status: r.status }).toEqual({ method, path, status });
    }
  });
});

describe("entra.md — Attributes Entra maps by default", () => {
  const userAttributes: [string, unknown, (d: Doc) => unknown, string][] = [
    ["userName", "Mapped.User@contoso.com", (d) => d.userName, 'userName eq "mapped.user@contoso.com"'],
    ["active", "False", (d) => d.active, "active eq false"],
    ['emails[type eq "work"].value', "mapped@contoso.com", (d) => (d.emails as Doc[]).find((e) => e.type === "work")?.value, 'emails[type eq "work"].value eq "mapped@contoso.com"'],
    ["name.givenName", "Mapped", (d) => (d.name as Doc).givenName, 'name.givenName eq "Mapped"'],
    ["name.familyName", "Person", (d) => (d.name as Doc).familyName, 'name.familyName eq "Person"'],
    ['phoneNumbers[type eq "work"].value', "+1 425 555 0100", (d) => (d.phoneNumbers as Doc[]).find((p) => p.type === "work")?.value, 'phoneNumbers[type eq "work"].value eq "+1 425 555 0100"'],
    ['phoneNumbers[type eq "mobile"].value', "+1 425 555 0199", (d) => (d.phoneNumbers as Doc[]).find((p) => p.type === "mobile")?.value, 'phoneNumbers[type eq "mobile"].value eq "+1 425 555 0199"'],
    ["externalId", "mapped-external-id", (d) => d.externalId, 'externalId eq "mapped-external-id"'],
    ["timezone", "America/Los_Angeles", (d) => d.timezone, 'timezone eq "America/Los_Angeles"'],
    [`${ENT}:employeeNumber`, "E-42", (d) => (d[ENT] as Doc).employeeNumber, `${ENT}:employeeNumber eq "E-42"`],
    [`${ENT}:department`, "Mapping", (d) => (d[ENT] as Doc).department, `${ENT}:department eq "Mapping"`],
    [`${ENT}:costCenter`, "CC-1", (d) => (d[ENT] as Doc).costCenter, `${ENT}:costCenter eq "CC-1"`],
  ];
  let m: Client;
  let mapped: Doc;
  beforeAll(async () => {
    m = await setUp("mapped");
    mapped = await m.user({ userName: "to-be-mapped@contoso.com", emails: [{ value: "old@contoso.com", type: "work" }] });
  });
  test.each(userAttributes)("Users: %s is written by PATCH, read back and found by filter", async (path, value, read, filter) => {
    const r = await m.patch(`/Users/${mapped.id}`, patchOp({ op: "Replace", path, value }));
    expect(r.status).toBe(200);
    const want = value === "False" ? false : value;
    expect(read(r.body)).toBe(want);
    expect(read((await m.get(`/Users/${mapped.id}`)).body)).toBe(want);
    expect(resources((await m.get(`/Users?filter=${q(filter)}`)).body).map((x) => x.id)).toEqual([mapped.id]);
  });

  test("Groups: displayName, externalId, members", async () => {
    const g = await m.group(entraGroup("Mapped Group"));
    const r = await m.patch(`/Groups/${g.id}`, patchOp(
      { op: "Replace", path: "displayName", value: "Mapped Group 2" },
      { op: "Replace", path: "externalId", value: "mapped-group-ext" },
      { op: "Add", path: "members", value: [{ $ref: null, value: mapped.id }] },
    ));
    expect(r.status).toBe(204);
    const got = await m.get(`/Groups?filter=${q('externalId eq "mapped-group-ext" and displayName eq "mapped group 2"')}`);
    expect(resources(got.body)).toEqual([expect.objectContaining({ id: g.id, members: [expect.objectContaining({ value: mapped.id })] })]);
  });

  test("`/Schemas` must describe every one of them, with `canonicalValues` on `type` sub-attributes", async () => {
    const schemas = resources((await m.get("/Schemas")).body);
    const find = (urn: string, path: string) => {
      const [top, sub] = path.split(".");
      const attr = ((schemas.find((s) => s.id === urn)?.attributes ?? []) as Doc[]).find((a) => a.name === top);
      return sub ? ((attr?.subAttributes ?? []) as Doc[]).find((a) => a.name === sub) : attr;
    };
    for (const path of ["userName", "active", "emails.value", "name.givenName", "name.familyName", "phoneNumbers.value", "timezone"]) {
      expect({ path, found: find(USER, path) !== undefined }).toEqual({ path, found: true });
    }
    expect(find(USER, "emails.type")?.canonicalValues).toEqual(expect.arrayContaining(["work"]));
    expect(find(USER, "phoneNumbers.type")?.canonicalValues).toEqual(expect.arrayContaining(["work", "mobile"]));
    for (const path of ["employeeNumber", "department", "manager"]) expect(find(ENT, path)).toBeDefined();
    for (const path of ["displayName", "members"]) expect(find(GROUP, path)).toBeDefined();
  });

  test.each(["Random_String_a8f3e2", "not a zone!", "@#$%^&*()", "Etc/GMT+25", "💥"])("Microsoft's validator sends random strings as `timezone`: %s is accepted", async (timezone) => {
    const created = await m.post("/Users", entraUser(`tz-${crypto.randomUUID()}@contoso.com`, { timezone }));
    expect(created.status).toBe(201);
    expect(created.body.timezone).toBe(timezone);
    const patched = await m.patch(`/Users/${created.body.id}`, patchOp({ op: "Replace", path: "timezone", value: `${timezone}-2` }));
    expect(patched.body.timezone).toBe(`${timezone}-2`);
  });
});

describe("entra.md — Load and failure behaviour", () => {
  afterEach(() => setSystemTime());

  test("Microsoft requires an endpoint to sustain at least 25 requests per second per tenant (default SCIMD_RATE_LIMIT)", async () => {
    const h = await createHarness();
    const t = client(h, await h.newTenant("load"));
    const start = Date.parse("2030-01-01T00:00:00Z");
    const statuses: number[] = [];
    // Ten seconds of Entra at 30 requests per second, with the clock frozen within each second.
    for (let second = 0; second < 10; second++) {
      setSystemTime(new Date(start + second * 1000));
      for (let i = 0; i < 30; i++) statuses.push((await t.get(`/Users?filter=userName+eq+%22${second}-${i}%22`)).status);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  test("429 with Retry-After is honoured and retried: a burst above the limit gets 429, Retry-After and a SCIM error", async () => {
    const h = await createHarness({ SCIMD_RATE_LIMIT: "5" });
    const t = client(h, await h.newTenant("throttled"));
    setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const replies = [];
    for (let i = 0; i < 11; i++) replies.push(await t.get("/Users?count=0"));
    expect(replies.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(200));
    const last = replies[10];
    expectScimError(last, 429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    setSystemTime(new Date(Date.parse("2030-01-01T00:00:00Z") + 1000 * Number(last.headers.get("retry-after"))));
    expect((await t.get("/Users?count=0")).status).toBe(200);
  });

  test("5xx and timeouts count toward quarantine: a whole provisioning cycle answers no 5xx", async () => {
    const h = await harness();
    const t = client(h, await h.newTenant("cycle"));
    const statuses: number[] = [];
    const record = async (p: Promise<{ status: number; body: Doc }>) => {
      const r = await p;
      statuses.push(r.status);
      return r;
    };
    await record(t.get(`/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`));
    await record(t.get(`/Groups?excludedAttributes=members&filter=displayName+eq+%22${crypto.randomUUID()}%22`));
    const group = await record(t.post("/Groups", entraGroup("cycle group")));
    for (let i = 0; i < 20; i++) {
      const name = `cycle${i}@contoso.com`;
      await record(t.get(`/Users?filter=${q(`userName eq "${name}"`)}`));
      const u = await record(t.post("/Users", entraUser(name)));
      await record(t.get(`/Users/${u.body.id}`));
      await record(t.patch(`/Users/${u.body.id}`, patchOp({ op: "Replace", path: "displayName", value: `Cycle ${i}` }, { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: `${i}` })));
      await record(t.patch(`/Groups/${group.body.id}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: u.body.id }] })));
      if (i % 2) await record(t.patch(`/Users/${u.body.id}`, patchOp({ op: "Replace", path: "active", value: "False" })));
      if (i % 5 === 0) await record(t.del(`/Users/${u.body.id}`));
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 201, 204]));
  });

  test("401/403 on Test Connection: \"invalid credentials\" — a wrong or missing Secret Token gets 401, never 404 or 5xx", async () => {
    const probe = `${c.tenant.url}/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`;
    for (const token of [undefined, "not-a-token", `${c.tenant.token}x`]) {
      const res = await c.h.request("GET", probe, { token });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
    }
  });
});
