// createApp composes the feature modules; it never listens (tests call app.handle, index.ts listens).
import { Elysia } from "elysia";
import { renderError } from "./http/on-error";
import { adminTenantsModule } from "./modules/admin/tenants";
import { discoveryModule } from "./modules/discovery";
import { docsPlugin } from "./modules/docs";
import { groupsModule } from "./modules/groups";
import { healthModule } from "./modules/health";
import { usersModule } from "./modules/users";
import type { Services } from "./services";

export function createApp(services: Services) {
  return new Elysia()
    .onError({ as: "global" }, ({ code, error, request }) => renderError(code, error, request))
    .use(docsPlugin({ version: services.version }))
    .use(healthModule(services))
    .use(adminTenantsModule(services))
    .use(discoveryModule(services))
    .use(usersModule(services, services.users))
    .use(groupsModule(services, services.groups));
}

export type App = ReturnType<typeof createApp>;
