import { Elysia, t } from "elysia";
import { adminGuard } from "../../auth/admin-guard";
import { AdminError } from "../../errors";
import type { Services } from "../../services";
import { DOCS_TAGS } from "../docs/documentation";
import { toLogEntryWithBodies } from "./entry";
import * as M from "./model";
import { liveTail } from "./stream";

const tags = [DOCS_TAGS.admin];

/** Admin API of the provisioning log: search, per-bucket counts, live tail. */
export const logModule = (services: Services) => {
  const log = services.requestLog;
  return new Elysia({ prefix: "/admin/v1/log" })
    .use(adminGuard(services))
    .get("/", ({ query }) => log.list(query), {
      query: M.LogQuery,
      response: M.LogPage,
      detail: { tags, summary: "Search the log, newest first (`cursor` pages back; `after` polls for newer entries)" },
    })
    .get("/stats", ({ query }) => log.stats(query), {
      query: M.StatsQuery,
      response: M.Stats,
      detail: { tags, summary: "Successes and failures (status ≥ 400) per hour or day, UTC" },
    })
    .get(
      "/stream",
      ({ query, request, server }) => {
        // The tail is idle between entries: it must outlive the per-request idle timeout.
        server?.timeout(request, 0);
        const last = Number(request.headers.get("last-event-id") ?? Number.NaN);
        return liveTail(log, query.tenant, Number.isSafeInteger(last) ? last : undefined);
      },
      {
        query: M.StreamQuery,
        detail: {
          tags,
          summary:
            "Live tail (text/event-stream): one event per new entry, a heartbeat comment every 15 s; Last-Event-ID resumes",
        },
      },
    )
    .get(
      "/:id",
      ({ params }) => {
        const entry = log.entry(params.id);
        if (!entry) throw new AdminError(404, `no log entry ${params.id}`);
        return toLogEntryWithBodies(entry);
      },
      {
        params: t.Object({ id: t.Integer() }),
        response: M.LogEntryWithBodies,
        detail: { tags, summary: "One entry, with its captured headers and bodies (when capture is on for its tenant)" },
      },
    );
};

/** Per-tenant log settings and connection health, under /admin/v1/tenants/:id. */
export const tenantLogModule = (services: Services) => {
  const log = services.requestLog;
  const existing = (id: string) => {
    if (!services.tenants.get(id)) throw new AdminError(404, `no tenant ${id}`);
    return id;
  };
  return new Elysia({ prefix: "/admin/v1/tenants" })
    .use(adminGuard(services))
    .get("/:id/log-settings", ({ params }) => log.settings.get(existing(params.id)), {
      response: M.LogSettings,
      detail: { tags, summary: "A tenant's log settings" },
    })
    .put("/:id/log-settings", ({ params, body }) => log.settings.set(existing(params.id), body), {
      body: M.LogSettings,
      response: M.LogSettings,
      detail: { tags, summary: "Turn body capture on or off (passwords, tokens and Authorization are always redacted)" },
    })
    .get("/:id/health", ({ params }) => log.health(existing(params.id)), {
      response: M.Health,
      detail: {
        tags,
        summary: "Connection health: last request, last Test Connection, failure rates over one Entra cycle and a day, warning",
      },
    });
};
