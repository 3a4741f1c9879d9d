import { Elysia } from "elysia";
import { AdminError } from "../errors";
import type { Services } from "../services";
import { bearerToken } from "./scim-guard";

/** Admin API guard: the admin bearer token, compared in constant time. Not named, so each module gets its own hook. */
export const adminGuard = (services: Services) =>
  // onTransform runs before body validation: a stranger gets 401, never a 400 that describes the schema.
  new Elysia().onTransform({ as: "scoped" }, ({ request, set }) => {
    const token = bearerToken(request.headers.get("authorization"));
    if (!token || !services.admin.matches(token)) {
      set.headers["www-authenticate"] = 'Bearer realm="scimd-admin"';
      throw new AdminError(401, "admin token required: Authorization: Bearer <SCIMD_ADMIN_TOKEN>");
    }
  });
