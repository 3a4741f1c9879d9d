// The SCIM routes /Users and /Groups have in common (RFC 7644 §3.3–§3.6); each resource type adds its PATCH.
import { Elysia } from "elysia";
import { scimAuth } from "../../auth/scim-auth-plugin";
import { noteListTotal, noteResourceName } from "../../http/request-notes";
import { scimJson, scimText } from "../../http/scim-response";
import type { ListParams } from "../../scim/list-params";
import type { ProjectionOptions } from "../../scim/schema/project";
import type { ResourceTypeName } from "../../scim/schema/registry";
import type { ScimResource } from "../../scim/schema/types";
import type { Services } from "../../services";
import { resourceDocs } from "./openapi-detail";
import { namesInBody } from "../../scim/schema/specified-names";
import { bodyOf, ifMatchOf, listParamsOf, notModified, projectionOf, versionHeaders, writeProjectionOf } from "./request";

export interface Written {
  resource: ScimResource;
  /** meta.version, also the ETag header. */
  etag: string;
}

/** What the shared routes need of a resource service; `Promise` where hashing a password may be involved. */
export interface ResourceService {
  /** A page as JSON text: the same answer JSON.stringify of a page would be, without building its resources. */
  listJson(tenant: string, params: ListParams): { totalResults: number; json: string };
  create(tenant: string, body: unknown, projection: ProjectionOptions): Written | Promise<Written>;
  get(tenant: string, id: string, projection: ProjectionOptions): Written;
  replace(tenant: string, id: string, body: unknown, ifMatch: string | null, projection: ProjectionOptions): Written | Promise<Written>;
  delete(tenant: string, id: string, ifMatch: string | null): void;
}

export interface PatchContext {
  request: Request;
  tenantId: string;
  id: string;
  body: unknown;
  ifMatch: string | null;
  query: Record<string, string | undefined>;
  location: string;
}

export function resourceRoutes(
  services: Services,
  type: ResourceTypeName,
  service: ResourceService,
  patch: (ctx: PatchContext) => Promise<Response> | Response,
) {
  const endpoint = type === "User" ? "Users" : "Groups";
  const docs = resourceDocs(type);
  const location = (tenant: string, id: string) => `${services.urls.base}/scim/v2/${tenant}/${endpoint}/${id}`;
  const nameAttribute = type === "User" ? "userName" : "displayName";
  const written = (request: Request, tenant: string, id: string, w: Written, status = 200) => {
    noteResourceName(request, w.resource[nameAttribute]);
    return scimJson(w.resource, status, versionHeaders(location(tenant, id), w.etag));
  };
  return new Elysia({ prefix: `/scim/v2/:tenantId/${endpoint}` })
    .use(scimAuth(services))
    .get(
      "",
      ({ tenantId, query, request }) => {
        const page = service.listJson(tenantId, listParamsOf(query));
        noteListTotal(request, page.totalResults);
        return scimText(page.json);
      },
      { detail: docs.list },
    )
    .post(
      "",
      async ({ tenantId, query, request }) => {
        const body = await bodyOf(services, request);
        const w = await service.create(tenantId, body, writeProjectionOf(query, () => namesInBody(body)));
        return written(request, tenantId, String(w.resource.id), w, 201);
      },
      { parse: "none", detail: docs.create },
    )
    .get(
      "/:id",
      ({ tenantId, params, query, request }) => {
        const w = service.get(tenantId, params.id, projectionOf(query));
        if (notModified(request, w.etag)) return new Response(null, { status: 304, headers: versionHeaders(location(tenantId, params.id), w.etag) });
        return written(request, tenantId, params.id, w);
      },
      { detail: docs.get },
    )
    .put(
      "/:id",
      async ({ tenantId, params, query, request }) => {
        const body = await bodyOf(services, request);
        return written(request, tenantId, params.id, await service.replace(tenantId, params.id, body, ifMatchOf(request), writeProjectionOf(query, () => namesInBody(body))));
      },
      { parse: "none", detail: docs.replace },
    )
    .patch(
      "/:id",
      async ({ tenantId, params, query, request }) =>
        patch({ request, tenantId, id: params.id, body: await bodyOf(services, request), ifMatch: ifMatchOf(request), query, location: location(tenantId, params.id) }),
      { parse: "none", detail: docs.patch },
    )
    .delete(
      "/:id",
      ({ tenantId, params, request }) => {
        service.delete(tenantId, params.id, ifMatchOf(request));
        return new Response(null, { status: 204 });
      },
      { detail: docs.remove },
    );
}
