import { Elysia } from "elysia";
import { bearerToken } from "../../auth/scim-guard";
import { AdminError } from "../../errors";
import type { Services } from "../../services";
import { DOCS_TAGS } from "../docs/documentation";

/** Prometheus scrape endpoint; admin token unless SCIMD_METRICS_PUBLIC=1. */
export const metricsModule = (services: Services) =>
  new Elysia({ name: "metrics" }).get(
    "/metrics",
    ({ request, set }) => {
      const token = bearerToken(request.headers.get("authorization"));
      if (!services.metrics.isPublic && !(token && services.admin.matches(token))) {
        set.headers["www-authenticate"] = 'Bearer realm="scimd-admin"';
        throw new AdminError(
          401,
          "admin token required: Authorization: Bearer <SCIMD_ADMIN_TOKEN> (or set SCIMD_METRICS_PUBLIC=1)",
        );
      }
      return new Response(services.metrics.render(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    },
    { detail: { tags: [DOCS_TAGS.admin], summary: "Prometheus metrics (admin token, unless SCIMD_METRICS_PUBLIC=1)" } },
  );
