import { Elysia } from "elysia";
import { scimAuth } from "../../auth/scim-auth-plugin";
import { scimJson } from "../../http/scim-response";
import { lowerKeys } from "../../scim/list-params";
import type { Services } from "../../services";
import { etagOf } from "../../store/resource-meta";
import { resourceDocs } from "../resources/openapi-detail";
import { bodyOf, ifMatchOf, listParamsOf, notModified, projectionOf, versionHeaders } from "../resources/request";
import type { GroupService } from "./service";

const docs = resourceDocs("Group");

export const groupsModule = (services: Services, groups: GroupService) => {
  const location = (tenant: string, id: string) => `${services.urls.base}/scim/v2/${tenant}/Groups/${id}`;
  return new Elysia({ prefix: "/scim/v2/:tenantId/Groups" })
    .use(scimAuth(services))
    .get("", ({ tenantId, query }) => scimJson(groups.list(tenantId, listParamsOf(query))), { detail: docs.list })
    .post(
      "",
      async ({ tenantId, query, request }) => {
        const written = groups.create(tenantId, await bodyOf(services, request), projectionOf(query));
        const id = String(written.resource.id);
        return scimJson(written.resource, 201, versionHeaders(location(tenantId, id), written.version));
      },
      { parse: "none", detail: docs.create },
    )
    .get(
      "/:id",
      ({ tenantId, params, query, request }) => {
        const { resource, version } = groups.get(tenantId, params.id, projectionOf(query));
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
        const written = groups.replace(tenantId, params.id, body, ifMatchOf(request), projectionOf(query));
        return scimJson(written.resource, 200, versionHeaders(location(tenantId, params.id), written.version));
      },
      { parse: "none", detail: docs.replace },
    )
    .patch(
      "/:id",
      async ({ tenantId, params, query, request }) => {
        const body = await bodyOf(services, request);
        const version = groups.patch(tenantId, params.id, body, ifMatchOf(request));
        // entra.md: group PATCH → 204 is preferred; a client that names `attributes` gets the resource.
        if (lowerKeys(query).attributes === undefined) {
          return new Response(null, { status: 204, headers: { etag: etagOf(version) } });
        }
        const { resource } = groups.get(tenantId, params.id, projectionOf(query));
        return scimJson(resource, 200, versionHeaders(location(tenantId, params.id), version));
      },
      { parse: "none", detail: docs.patch },
    )
    .delete(
      "/:id",
      ({ tenantId, params, request }) => {
        groups.delete(tenantId, params.id, ifMatchOf(request));
        return new Response(null, { status: 204 });
      },
      { detail: docs.remove },
    );
};
