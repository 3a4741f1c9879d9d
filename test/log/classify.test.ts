// Operation kinds as an operator reads them, from the request shapes of entra.md "The conversation".
import { describe, expect, test } from "bun:test";
import { attributeOf, classify, toBool } from "../../src/modules/log/classify";
import type { Operation } from "../../src/modules/log/model";
import { scimTarget } from "../../src/modules/log/scim-target";

const T = "7d1a6a1e-0000-4000-8000-000000000001";
const GUID = "9b2c1c44-3e0f-4b9c-9d0c-2f1b2b7c6c11";
const q = (filter: string, extra = "") => `?${extra}filter=${encodeURIComponent(filter)}`;
const patch = (...ops: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: ops });

function kind(method: string, path: string, opts: { status?: number; body?: unknown; response?: unknown } = {}): Operation {
  const target = scimTarget(`https://scimd.example${`/scim/v2/${T}${path}`}`);
  if (!target) throw new Error("not a SCIM path");
  return classify({ method, target, status: opts.status ?? 200, requestBody: opts.body, responseBody: opts.response }).operation;
}

describe("operation kinds", () => {
  const cases: [string, string, string, { status?: number; body?: unknown; response?: unknown }, Operation][] = [
    ["Test Connection: userName eq <guid>, nothing found", "GET", `/Users${q(`userName eq "${GUID}"`)}`, { response: { totalResults: 0 } }, "test_connection"],
    ["Test Connection refused (401) is still a probe", "GET", `/Users${q(`userName eq "${GUID}"`)}`, { status: 401 }, "test_connection"],
    ["Test Connection failing with 400 is still a probe", "GET", `/Users${q(`userName eq "${GUID}"`)}`, { status: 400 }, "test_connection"],
    ["group probe with excludedAttributes=members", "GET", `/Groups${q(`displayName eq "${GUID}"`, "excludedAttributes=members&")}`, { response: { totalResults: 0 } }, "test_connection"],
    ["a guid userName that exists is a lookup", "GET", `/Users${q(`userName eq "${GUID}"`)}`, { response: { totalResults: 1 } }, "lookup"],
    ["Test Connection as Entra encodes it (+ for spaces)", "GET", `/Users?filter=userName+eq+%22${GUID}%22`, { response: { totalResults: 0 } }, "test_connection"],
    ["parameter names in any case", "GET", `/Users?Filter=${encodeURIComponent('userName eq "a"')}`, {}, "lookup"],
    ["match by userName", "GET", `/Users${q('userName eq "alice@contoso.com"')}`, {}, "lookup"],
    ["match by externalId and userName", "GET", `/Users${q('externalId eq "x" and userName eq "a"')}`, {}, "lookup"],
    ["a quoted 'or' inside the value is still a lookup", "GET", `/Users${q('userName eq "tom or jerry"')}`, {}, "lookup"],
    ["two names with or is a list", "GET", `/Users${q('userName eq "a" or userName eq "b"')}`, {}, "list"],
    ["a lookup whose name holds an escaped quote", "GET", `/Users${q('userName eq "o\\"neil"')}`, {}, "lookup"],
    ["filter with sw is a list", "GET", `/Users${q('userName sw "a"')}`, {}, "list"],
    ["no filter is a list", "GET", "/Users?startIndex=1&count=100", {}, "list"],
    ["POST /.search is a list", "POST", "/Users/.search", { body: { filter: 'userName sw "a"' } }, "list"],
    ["POST /.search by userName is a lookup (the filter is in the body)", "POST", "/Users/.search", { body: { filter: 'userName eq "a"' } }, "lookup"],
    ["POST /.search probe, nothing found", "POST", "/Groups/.search", { body: { filter: `displayName eq "${GUID}"` }, response: { totalResults: 0 } }, "test_connection"],
    ["POST /.search without a filter is a list", "POST", "/Users/.search", { body: {} }, "list"],
    ["POST /.search ignores a filter in the query", "POST", `/Users/.search${q('userName eq "a"')}`, { body: {} }, "list"],
    ["get by id", "GET", "/Users/abc", {}, "lookup"],
    ["create", "POST", "/Users", { status: 201, body: { userName: "a" } }, "create"],
    ["delete", "DELETE", "/Users/abc", { status: 204 }, "delete"],
    ["disable, default shape (string 'False')", "PATCH", "/Users/abc", { body: patch({ op: "Replace", path: "active", value: "False" }) }, "disable"],
    ["disable, aadOptscim062020 shape", "PATCH", "/Users/abc", { body: patch({ op: "replace", path: "active", value: false }) }, "disable"],
    ["disable, path-less replace", "PATCH", "/Users/abc", { body: patch({ op: "replace", value: { active: false, displayName: "x" } }) }, "disable"],
    ["disable with a URN path", "PATCH", "/Users/abc", { body: patch({ op: "Replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:active", value: "false" }) }, "disable"],
    ["disable next to other changes", "PATCH", "/Users/abc", { body: patch({ op: "Replace", path: "title", value: "x" }, { op: "Replace", path: "active", value: "False" }) }, "disable"],
    ["enable", "PATCH", "/Users/abc", { body: patch({ op: "Replace", path: "active", value: "True" }) }, "enable"],
    ["Add on active means replace (entra.md)", "PATCH", "/Users/abc", { body: patch({ op: "Add", path: "active", value: true }) }, "enable"],
    ["attribute update", "PATCH", "/Users/abc", { body: patch({ op: "Replace", path: "name.givenName", value: "A" }) }, "update"],
    ["empty Operations is an update (no-op)", "PATCH", "/Users/abc", { body: patch() }, "update"],
    ["PATCH without a readable body", "PATCH", "/Users/abc", { status: 401 }, "update"],
    ["member add", "PATCH", "/Groups/g", { status: 204, body: patch({ op: "Add", path: "members", value: [{ $ref: null, value: "u1" }, { value: "u2" }] }) }, "member_add"],
    ["member remove, default shape", "PATCH", "/Groups/g", { status: 204, body: patch({ op: "Remove", path: "members", value: [{ value: "u1" }] }) }, "member_remove"],
    ["member remove, value filter", "PATCH", "/Groups/g", { status: 204, body: patch({ op: "remove", path: 'members[value eq "u1"]' }) }, "member_remove"],
    ["members added and removed", "PATCH", "/Groups/g", { body: patch({ op: "Add", path: "members", value: [{ value: "u1" }] }, { op: "Remove", path: "members", value: [{ value: "u2" }] }) }, "update"],
    ["members replaced", "PATCH", "/Groups/g", { body: patch({ op: "Replace", path: "members", value: [] }) }, "update"],
    ["group rename", "PATCH", "/Groups/g", { body: patch({ op: "Replace", path: "displayName", value: "n" }) }, "update"],
    ["PUT with active false", "PUT", "/Users/abc", { body: { userName: "a", active: false } }, "disable"],
    ["PUT", "PUT", "/Users/abc", { body: { userName: "a", active: true } }, "update"],
    ["ServiceProviderConfig", "GET", "/ServiceProviderConfig", {}, "discovery"],
    ["Schemas by id", "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", {}, "discovery"],
    ["ResourceTypes", "GET", "/ResourceTypes", {}, "discovery"],
    ["Bulk", "POST", "/Bulk", { status: 501 }, "bulk"],
    ["unknown endpoint", "GET", "/Nope", { status: 404 }, "other"],
    ["the tenant root", "GET", "", { status: 404 }, "other"],
  ];
  test.each(cases)("%s", (_name, method, path, opts, expected) => {
    expect(kind(method, path, opts)).toBe(expected);
  });
});

describe("resource type, id and name", () => {
  const target = (path: string) => scimTarget(`http://h/scim/v2/${T}${path}`)!;
  test("create takes the id from Location, the name from the request", () => {
    const c = classify({ method: "POST", target: target("/Users"), status: 201, requestBody: { userName: "bob" }, location: `http://h/scim/v2/${T}/Users/u-1` });
    expect(c).toEqual({ operation: "create", resourceType: "User", resourceId: "u-1", resourceName: "bob" });
  });
  test("create without Location reads the id from the response", () => {
    const c = classify({ method: "POST", target: target("/Groups"), status: 201, responseBody: { id: "g-1", displayName: "Sales" } });
    expect(c).toEqual({ operation: "create", resourceType: "Group", resourceId: "g-1", resourceName: "Sales" });
  });
  test("a lookup is named after the value it matches (escaped quotes undone)", () => {
    const c = classify({ method: "GET", target: target(`/Users${q('userName eq "o\\"neil@x"')}`), status: 200 });
    expect(c.resourceName).toBe('o"neil@x');
  });
  test("a PATCH that renames is named after the new name", () => {
    const c = classify({ method: "PATCH", target: target("/Users/u-1"), status: 200, requestBody: patch({ op: "replace", value: { userName: "new@x" } }) });
    expect(c).toEqual({ operation: "update", resourceType: "User", resourceId: "u-1", resourceName: "new@x" });
  });
  test("percent-encoded ids and tenant ids are decoded; the path keeps its query as received", () => {
    const t = scimTarget(`http://h/scim/v2/${T}/Users/a%20b?x=1`)!;
    expect(t.resourceId).toBe("a b");
    expect(t.tenantId).toBe(T);
    expect(t.path).toBe(`/scim/v2/${T}/Users/a%20b?x=1`);
  });
  test("paths outside /scim/v2/{tenant} are not SCIM targets", () => {
    expect(scimTarget("http://h/admin/v1/log")).toBeUndefined();
    expect(scimTarget("http://h/scim/v2/")).toBeUndefined();
  });
});

describe("helpers", () => {
  test.each([[true, true], ["True", true], ["false", false], ["False", false], ["yes", undefined], [1, undefined]] as const)(
    "toBool(%p) → %p",
    (input, expected) => expect(toBool(input)).toBe(expected),
  );
  test.each([
    ['members[value eq "x"]', "members"],
    ["urn:ietf:params:scim:schemas:core:2.0:User:active", "active"],
    ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "manager"],
    ["name.givenName", "name"],
    ["Password", "password"],
  ])("attributeOf(%p) → %p", (path, expected) => expect(attributeOf(path)).toBe(expected));
});
