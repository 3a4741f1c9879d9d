// Which methods a path is served with, read from a route table like the router's (RFC 9110 §15.5.6, §9.3.7).
import { describe, expect, test } from "bun:test";
import { RouteMethods, unserved } from "../../src/http/route-methods";

const routes = new RouteMethods([
  { method: "GET", path: "/scim/v2/:tenantId/Users" },
  { method: "POST", path: "/scim/v2/:tenantId/Users" },
  { method: "GET", path: "/scim/v2/:tenantId/Users/:id" },
  { method: "DELETE", path: "/scim/v2/:tenantId/Users/:id" },
  { method: "POST", path: "/scim/v2/:tenantId/Users/.search" },
  { method: "GET", path: "/ui/assets/*" },
]);

describe("RouteMethods.allowed", () => {
  test.each([
    ["/scim/v2/t1/Users", ["GET", "HEAD", "OPTIONS", "POST"]],
    ["/scim/v2/t1/Users/", ["GET", "HEAD", "OPTIONS", "POST"]],
    ["/scim/v2/t1/Users/abc", ["DELETE", "GET", "HEAD", "OPTIONS"]],
    // The static route and the parameter route both match; the router serves both.
    ["/scim/v2/t1/Users/.search", ["DELETE", "GET", "HEAD", "OPTIONS", "POST"]],
    ["/scim/v2/t1/Users/abc/extra", []],
    ["/scim/v2/t1", []],
    ["/scim/v2/t1/users", []], // endpoint case is the canonical-path hook's business, before routing
    ["/ui/assets/a/b/c.js", ["GET", "HEAD", "OPTIONS"]],
    ["/nowhere", []],
  ])("%s → %p", (path, expected) => {
    expect(routes.allowed(path)).toEqual(expected);
  });
});

describe("unserved", () => {
  const at = (method: string, path: string) => unserved(routes, new Request(`http://x${path}`, { method }));
  test("a known path with another method → 405 with Allow", () => {
    expect(at("PUT", "/scim/v2/t1/Users")).toEqual({ status: 405, allow: "GET, HEAD, OPTIONS, POST" });
  });
  test("OPTIONS on a known path → 204 with Allow", () => {
    expect(at("OPTIONS", "/scim/v2/t1/Users/abc")).toEqual({ status: 204, allow: "DELETE, GET, HEAD, OPTIONS" });
  });
  test("an unknown path → 404, whatever the method", () => {
    expect(at("PUT", "/nowhere")).toEqual({ status: 404 });
    expect(at("OPTIONS", "/nowhere")).toEqual({ status: 404 });
  });
  test("a served method the router still missed is not a method problem → 404", () => {
    expect(at("GET", "/scim/v2/t1/Users/")).toEqual({ status: 404 });
  });
});
