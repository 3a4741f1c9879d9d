// createApp composes the feature modules; it never listens (tests call app.handle, index.ts listens).
import { Elysia } from "elysia";
import { canonicalRequest } from "../../../src/http/canonical-path";
import { renderError } from "../../../src/http/on-error";
import { adminClientsModule } from "../../../src/modules/admin/clients";
import { adminSettingsModule } from "../../../src/modules/admin/settings";
import { adminTenantsModule } from "../../../src/modules/admin/tenants";
import { bulkModule } from "../../../src/modules/bulk";
import { consoleModule } from "../../../src/modules/console";
import { customSchemasModule } from "../../../src/modules/custom-schemas";
import { discoveryModule } from "../../../src/modules/discovery";
import { docsPlugin } from "../../../src/modules/docs";
import { groupsModule } from "../../../src/modules/groups";
import { healthModule } from "../../../src/modules/health";
import { oauthModule } from "../../../src/modules/oauth";
import { logModule, tenantLogModule } from "../../../src/modules/log";
import { requestRecorder } from "../../../src/modules/log/recorder";
import { metricsModule } from "../../../src/modules/metrics";
import { searchModule } from "../../../src/modules/search";
import { usersModule } from "../../../src/modules/users";
import type { Services } from "../../../src/services";

export function createApp(services: Services) {
  let reroute: (request: Request) => Promise<Response> = () => Promise.reject(new Error("app not built"));
  const app = new Elysia()
    .onRequest(({ request }): Promise<Response> | undefined => {
      const canonical = canonicalRequest(request);
      if (canonical) return reroute(canonical);
    })
    .onError({ as: "global" }, ({ code, error, request }) => renderError(code, error, request))
    // First: its hooks must see every route registered after it.

    .use(docsPlugin({ version: services.version }))
    .use(healthModule(services))
    .use(metricsModule(services))
    .use(adminTenantsModule(services))
    .use(adminClientsModule(services))
    .use(adminSettingsModule(services))
    .use(oauthModule(services))
    .use(logModule(services))
    .use(tenantLogModule(services))
    .use(discoveryModule(services))
    .use(usersModule(services, services.users))
    .use(groupsModule(services, services.groups))
    .use(searchModule(services))
    .use(bulkModule(services))
    .use(customSchemasModule(services))
    .use(consoleModule(services));
  reroute = (request) => app.handle(request);
  return app;
}

export type App = ReturnType<typeof createApp>;
