// RFC 7644 §3.14: a resource's version changes when the resource does. A PUT of what is stored (Okta sends PUT for
// every update, Microsoft's validator a GET-then-PUT) keeps meta.version and lastModified, as a PATCH that changes
// nothing does; anything a PUT does change still moves them.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
type Doc = Record<string, unknown> & { id: string; meta: { version: string; lastModified: string } };

let h: Harness;
let t: TestTenant;
const scim = async (method: string, path: string, body?: unknown) => {
  const res = await h.request(method, `${t.url}${path}`, { token: t.token, body });
  return { status: res.status, body: (await res.json()) as Doc };
};
const versionOf = async (path: string) => (await scim("GET", path)).body.meta.version;

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
});

const userBody = (name: string) => ({
  schemas: [USER],
  userName: name,
  displayName: "Ada Lovelace",
  emails: [{ value: name, type: "work", primary: true }],
});

describe("PUT /Users/{id} keeps the version when nothing changes", () => {
  test("the same body, a GET-then-PUT of the answer, schemas in another order, and clearing no password keep the version", async () => {
    const created = (await scim("POST", "/Users", userBody("same@example.com"))).body;
    const path = `/Users/${created.id}`;
    const first = await scim("PUT", path, userBody("same@example.com"));
    expect(first.status).toBe(200);
    expect(first.body.meta).toEqual(created.meta);
    const got = (await scim("GET", path)).body;
    expect((await scim("PUT", path, got)).body.meta).toEqual(created.meta);
    const withDepartment = { ...userBody("same@example.com"), schemas: [USER, ENTERPRISE], [ENTERPRISE]: { department: "R&D" } };
    const version = (await scim("PUT", path, withDepartment)).body.meta.version;
    expect(version).not.toBe(created.meta.version);
    expect((await scim("PUT", path, { ...withDepartment, schemas: [ENTERPRISE, USER] })).body.meta.version).toBe(version);
    // No password stored, so clearing it changes nothing.
    expect((await scim("PUT", path, { ...withDepartment, password: null })).body.meta.version).toBe(version);
  });

  test("a changed value, a new password, or clearing a stored one each move the version", async () => {
    const created = (await scim("POST", "/Users", { ...userBody("moves@example.com"), password: "Secret-0ne!" })).body;
    const path = `/Users/${created.id}`;
    const versions = [created.meta.version];
    versions.push((await scim("PUT", path, { ...userBody("moves@example.com"), password: "Secret-0ne!" })).body.meta.version);
    versions.push((await scim("PUT", path, { ...userBody("moves@example.com"), password: null })).body.meta.version);
    versions.push((await scim("PUT", path, { ...userBody("moves@example.com"), title: "Countess" })).body.meta.version);
    expect(new Set(versions).size).toBe(4);
    expect(await versionOf(path)).toBe(versions[3] as string);
  });
});

describe("PUT /Groups/{id} keeps the version when nothing changes", () => {
  test("the same name and members keep it; other members or another name move it", async () => {
    const a = (await scim("POST", "/Users", { schemas: [USER], userName: "member-a@example.com" })).body;
    const b = (await scim("POST", "/Users", { schemas: [USER], userName: "member-b@example.com" })).body;
    const body = (members: Doc[], displayName = "Analysts") => ({ schemas: [GROUP], displayName, members: members.map((m) => ({ value: m.id })) });
    const created = (await scim("POST", "/Groups", body([a]))).body;
    const path = `/Groups/${created.id}`;
    const same = await scim("PUT", path, body([a]));
    expect(same.status).toBe(200);
    expect(same.body.meta).toEqual(created.meta);
    const moreMembers = (await scim("PUT", path, body([a, b]))).body.meta.version;
    expect(moreMembers).not.toBe(created.meta.version);
    const renamed = (await scim("PUT", path, body([a, b], "Senior Analysts"))).body.meta.version;
    expect(renamed).not.toBe(moreMembers);
    expect((await scim("PUT", path, body([a, b], "Senior Analysts"))).body.meta.version).toBe(renamed);
    expect((await scim("GET", path)).body.members).toHaveLength(2);
  });
});
