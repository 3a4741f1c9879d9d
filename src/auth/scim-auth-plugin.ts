import { Elysia } from "elysia";
import { ScimError } from "../errors";
import { scimError } from "../http/scim-response";
import type { Services } from "../services";
import { authenticateTenant } from "./scim-guard";

/**
 * Resolves the authenticated tenant for routes under /scim/v2/:tenantId, then applies its rate limit — after
 * authentication, so an unauthenticated flood cannot drain a tenant's bucket. Not named: every module gets its own hook.
 */
export const scimAuth = (services: Services) =>
  new Elysia()
    .resolve({ as: "scoped" }, async ({ params, request }) => {
      const tenantId = (params as Record<string, string>).tenantId ?? "";
      const { kind } = await authenticateTenant(services, tenantId, request.headers.get("authorization"));
      return { tenantId, tokenKind: kind };
    })
    .onBeforeHandle({ as: "scoped" }, ({ tenantId }) => {
      const perSecond = services.tenantSettings.get(tenantId).rateLimit ?? services.config.rateLimit;
      const decision = services.rateLimiter.take(tenantId, perSecond);
      if (decision.ok) return;
      const error = new ScimError(429, `Too many requests: this tenant may make ${perSecond} requests per second; retry later`);
      return scimError(error, { "retry-after": String(decision.retryAfterSeconds) });
    });
