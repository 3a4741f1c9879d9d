import { Elysia } from "elysia";
import type { Services } from "../../services";

export const healthModule = (services: Services) =>
  new Elysia({ name: "health" })
    .get("/healthz", () => ({ status: "ok", version: services.version }), {
      detail: { tags: ["Health"], summary: "Liveness: the process answers", security: [] },
    })
    .get(
      "/readyz",
      ({ set }) => {
        try {
          services.db.query("SELECT 1").get();
          return { status: "ready" };
        } catch {
          set.status = 503;
          return { status: "database unavailable" };
        }
      },
      { detail: { tags: ["Health"], summary: "Readiness: the database answers", security: [] } },
    );
