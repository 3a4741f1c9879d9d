import { Elysia } from "elysia";
import { AdminError } from "../errors";
import { pathStart } from "../http/url-path";
import type { Services } from "../services";
import type { AdminTokenCheck } from "./admin-token";
import { bearerToken } from "./scim-guard";

const unauthorized = () => new AdminError(401, "admin token required: Authorization: Bearer <SCIMD_ADMIN_TOKEN>");

/** Whether the request carries the admin bearer token, compared in constant time. */
function hasAdminToken(admin: AdminTokenCheck, request: Request): boolean {
  const token = bearerToken(request.headers.get("authorization"));
  return token !== undefined && admin.matches(token);
}

/** /admin and everything below it: the admin API's paths, as the router matches them (raw, case-sensitive). */
export function isAdminUrl(url: string): boolean {
  const slash = pathStart(url);
  if (slash < 0 || !url.startsWith("/admin", slash)) return false;
  const next = url[slash + "/admin".length];
  return next === undefined || next === "/" || next === "?";
}

/**
 * The admin API's front door, run before routing: a request under /admin without the admin token is refused
 * before anything reads its body (Elysia parses a body before a route's transform hook runs).
 */
export function adminGate(admin: AdminTokenCheck, request: Request): AdminError | undefined {
  return isAdminUrl(request.url) && !hasAdminToken(admin, request) ? unauthorized() : undefined;
}

/** Admin API guard, per route: the same check again, so no module depends on the gate alone. Not named, so each module gets its own hook. */
export const adminGuard = (services: Services) =>
  // onTransform runs before body validation: a stranger gets 401, never a 400 that describes the schema.
  new Elysia().onTransform({ as: "scoped" }, ({ request, set }) => {
    if (hasAdminToken(services.admin, request)) return;
    set.headers["www-authenticate"] = 'Bearer realm="scimd-admin"';
    throw unauthorized();
  });
