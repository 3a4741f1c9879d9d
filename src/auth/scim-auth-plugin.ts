import { Elysia } from "elysia";
import { ScimError } from "../errors";
import { noteAuthenticated } from "../http/request-notes";
import { scimError } from "../http/scim-response";
import type { Services } from "../services";
import { authenticateTenant } from "./scim-guard";

/**
 * Resolves the authenticated tenant for routes under /scim/v2/:tenantId, then applies its rate limit — after
 * authentication, so an unauthenticated flood cannot drain a tenant's bucket. Not named: every module gets its own hook.
 * The tenant's settings are read in the same synchronous run as a known token's status, so both share one
 * look at the database's change counter.
 */
export const scimAuth = (services: Services) =>
  new Elysia()
    .resolve({ as: "scoped" }, async ({ params, request }) => {
      const tenantId = (params as Record<string, string>).tenantId ?? "";
      const pending = authenticateTenant(services, tenantId, request.headers.get("authorization"));
      const { kind } = pending instanceof Promise ? await pending : pending;
      noteAuthenticated(request);
      const perSecond = services.tenantSettings.get(tenantId).rateLimit ?? services.config.rateLimit;
      return { tenantId, tokenKind: kind, rateLimitPerSecond: perSecond };
    })
    .onBeforeHandle({ as: "scoped" }, ({ tenantId, rateLimitPerSecond: perSecond }) => {
      const decision = services.rateLimiter.take(tenantId, perSecond);
      if (decision.ok) return;
      const error = new ScimError(429, `Too many requests: this tenant may make ${perSecond} requests per second; retry later`);
      return scimError(error, { "retry-after": String(decision.retryAfterSeconds) });
    });
