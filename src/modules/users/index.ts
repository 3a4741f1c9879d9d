import { Elysia } from "elysia";
import { scimAuth } from "../../auth/scim-auth-plugin";
import { scimJson } from "../../http/scim-response";
import type { Services } from "../../services";
import { resourceDocs } from "../resources/openapi-detail";
import { bodyOf, ifMatchOf, listParamsOf, notModified, projectionOf, versionHeaders } from "../resources/request";
import type { UserService } from "./service";

const docs = resourceDocs("User");

export const usersModule = (services: Services, users: UserService) => {
  const location = (tenant: string, id: string) => `${services.urls.base}/scim/v2/${tenant}/Users/${id}`;
  return new Elysia({ prefix: "/scim/v2/:tenantId/Users" })
    .use(scimAuth(services))
    .get("", ({ tenantId, query }) => scimJson(users.list(tenantId, listParamsOf(query))), { detail: docs.list })
    .post(
      "",
      async ({ tenantId, query, request }) => {
        const written = await users.create(tenantId, await bodyOf(services, request), projectionOf(query));
        const id = String(written.resource.id);
        return scimJson(written.resource, 201, versionHeaders(location(tenantId, id), written.version));
      },
      { parse: "none", detail: docs.create },
    )
    .get(
      "/:id",
      ({ tenantId, params, query, request }) => {
        const { resource, version } = users.get(tenantId, params.id, projectionOf(query));
        const headers = versionHeaders(location(tenantId, params.id), version);
        if (notModified(request, version)) return new Response(null, { status: 304, headers });
        return scimJson(resource, 200, headers);
      },
      { detail: docs.get },
    )
    .put(
      "/:id",
      async ({ tenantId, params, query, request }) => {
        const body = await bodyOf(services, request);
        const written = await users.replace(tenantId, params.id, body, ifMatchOf(request), projectionOf(query));
        return scimJson(written.resource, 200, versionHeaders(location(tenantId, params.id), written.version));
      },
      { parse: "none", detail: docs.replace },
    )
    .patch(
      "/:id",
      async ({ tenantId, params, query, request }) => {
        const body = await bodyOf(services, request);
        const written = await users.patch(tenantId, params.id, body, ifMatchOf(request), projectionOf(query));
        return scimJson(written.resource, 200, versionHeaders(location(tenantId, params.id), written.version));
      },
      { parse: "none", detail: docs.patch },
    )
    .delete(
      "/:id",
      ({ tenantId, params, request }) => {
        users.delete(tenantId, params.id, ifMatchOf(request));
        return new Response(null, { status: 204 });
      },
      { detail: docs.remove },
    );
};
