// createApp composes the feature modules; it never listens (tests call app.handle, index.ts listens).
import { Elysia } from "elysia";
import { canonicalRequest } from "./http/canonical-path";
import { renderError } from "./http/on-error";
import { adminTenantsModule } from "./modules/admin/tenants";
import { discoveryModule } from "./modules/discovery";
import { docsPlugin } from "./modules/docs";
import { groupsModule } from "./modules/groups";
import { healthModule } from "./modules/health";
import { usersModule } from "./modules/users";
import type { Services } from "./services";

export function createApp(services: Services) {
  let reroute: (request: Request) => Promise<Response> = () => Promise.reject(new Error("app not built"));
  const app = new Elysia()
    .onRequest(({ request }): Promise<Response> | undefined => {
      const canonical = canonicalRequest(request);
      if (canonical) return reroute(canonical);
    })
    .onError({ as: "global" }, ({ code, error, request }) => renderError(code, error, request))
    .use(docsPlugin({ version: services.version }))
    .use(healthModule(services))
    .use(adminTenantsModule(services))
    .use(discoveryModule(services))
    .use(usersModule(services, services.users))
    .use(groupsModule(services, services.groups));
  reroute = (request) => app.handle(request);
  return app;
}

export type App = ReturnType<typeof createApp>;
