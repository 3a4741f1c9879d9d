import { Elysia } from "elysia";
import type { Services } from "../services";
import { authenticateTenant } from "./scim-guard";

/** Resolves the authenticated tenant for routes under /scim/v2/:tenantId. Not named: every module gets its own hook. */
export const scimAuth = (services: Services) =>
  new Elysia().resolve({ as: "scoped" }, async ({ params, request }) => {
    const tenantId = (params as Record<string, string>).tenantId ?? "";
    const claims = await authenticateTenant(services.tokens, tenantId, request.headers.get("authorization"));
    return { tenantId: claims.tenantId };
  });
