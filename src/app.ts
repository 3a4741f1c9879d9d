// createApp composes the feature modules; it never listens (tests call app.handle, index.ts listens).
import type { Server } from "bun";
import { Elysia } from "elysia";
import { adminGate } from "./auth/admin-guard";
import { canonicalRequest } from "./http/canonical-path";
import { TrustedProxies } from "./http/client-address";
import { hasMalformedPath } from "./http/malformed-path";
import { MALFORMED_PATH, renderError } from "./http/on-error";
import { adminNoStore } from "./http/no-store";
import { notedClientAddress, noteClientAddress } from "./http/request-notes";
import { RouteMethods } from "./http/route-methods";
import { adminClientsModule } from "./modules/admin/clients";
import { adminSettingsModule } from "./modules/admin/settings";
import { adminTenantsModule } from "./modules/admin/tenants";
import { bulkModule } from "./modules/bulk";
import { consoleModule } from "./modules/console";
import { customSchemasModule } from "./modules/custom-schemas";
import { discoveryModule } from "./modules/discovery";
import { docsPlugin } from "./modules/docs";
import { groupsModule } from "./modules/groups";
import { healthModule } from "./modules/health";
import { oauthModule } from "./modules/oauth";
import { logModule, tenantLogModule } from "./modules/log";
import { requestRecorder } from "./modules/log/recorder";
import { metricsModule } from "./modules/metrics";
import { searchModule } from "./modules/search";
import { usersModule } from "./modules/users";
import type { Services } from "./services";

export function createApp(services: Services) {
  let reroute: (request: Request) => Promise<Response> = () => Promise.reject(new Error("app not built"));
  // Read from the router's table on the first request it has no route for: every module is in by then.
  let routes: RouteMethods | undefined;
  let serving: () => Server<unknown> | null = () => null;
  let routeTable: () => readonly { method: string; path: string }[] = () => [];
  const routeMethods = (): RouteMethods => (routes ??= new RouteMethods(routeTable()));
  const proxies = new TrustedProxies(services.config.trustedProxies);
  const clientAddress = (request: Request) =>
    notedClientAddress(request) ??
    proxies.clientOf(serving()?.requestIP(request)?.address ?? null, () => request.headers.get("x-forwarded-for"));
  const app = new Elysia()
    // Inside the recorder (the last wrap is the outermost), so that its 400 is recorded like any answer.
    .wrap(((handle: (request: Request) => Response | Promise<Response>) => (request: Request) =>
      hasMalformedPath(request.url) ? renderError(MALFORMED_PATH, undefined, request) : handle(request)) as never)
    // A wrapper around the whole app: it sees every answer, unknown routes and rendered errors included.
    .use(services.config.requestLog ? requestRecorder(services.requestLog, clientAddress) : new Elysia())
    // Wrapped around the recorder, before routing: a stranger's admin request is refused before its body is
    // read, and a request with a lower-case endpoint is recorded once, as the canonical copy that is answered.
    .wrap(((handle: (request: Request) => Response | Promise<Response>) => (request: Request) => {
      const refused = adminGate(services.admin, request);
      if (refused) return renderError(refused.status, refused, request);
      const canonical = canonicalRequest(request);
      return canonical ? reroute(noteClientAddress(canonical, clientAddress(request))) : handle(request);
    }) as never)
    .wrap(adminNoStore as never)
    .onError({ as: "global" }, ({ code, error, request }) => renderError(code, error, request, routeMethods()))
    .use(docsPlugin({ version: services.version }))
    .use(healthModule(services))
    .use(metricsModule(services))
    .use(adminTenantsModule(services))
    .use(adminClientsModule(services))
    .use(adminSettingsModule(services))
    .use(oauthModule(services, clientAddress))
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
  routeTable = () => app.routes;
  serving = () => app.server;
  return app;
}

export type App = ReturnType<typeof createApp>;
