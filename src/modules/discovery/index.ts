// RFC 7643 §5–§7 discovery, per tenant: a tenant sees its own extension schemas (issue 4).
import { Elysia } from "elysia";
import { scimAuth } from "../../auth/scim-auth-plugin";
import { notFound } from "../../errors";
import { scimJson } from "../../http/scim-response";
import { DEFAULT_COUNT, MAX_RESULTS } from "../../scim/list-params";
import { resourceTypeDoc, resourceTypesList, schemaDoc, schemasList, serviceProviderConfig } from "../../scim/schema/discovery";
import type { Services } from "../../services";
import { MAX_OPERATIONS, MAX_PAYLOAD_BYTES } from "../bulk/parse";
import { CURSOR_TIMEOUT_SECONDS } from "../resources/cursor";

const tags = ["SCIM"];

export const discoveryModule = (services: Services) => {
  const tenantUrl = (tenantId: string) => `${services.urls.base}/scim/v2/${tenantId}`;
  const registry = (tenantId: string) => services.registries.forTenant(tenantId);
  return new Elysia({ prefix: "/scim/v2/:tenantId" })
    .use(scimAuth(services))
    .get(
      "/ServiceProviderConfig",
      ({ tenantId }) =>
        scimJson({
          ...serviceProviderConfig({
            baseUrl: tenantUrl(tenantId),
            maxResults: MAX_RESULTS,
            bulk: { supported: true, maxOperations: MAX_OPERATIONS, maxPayloadSize: MAX_PAYLOAD_BYTES },
            sort: true,
            etag: true,
            patch: true,
            changePassword: false,
            documentationUri: `${services.urls.base}/docs`,
          }),
          // RFC 9865 §4: how lists may be paged.
          pagination: {
            cursor: true,
            index: true,
            defaultPaginationMethod: "index",
            defaultPageSize: DEFAULT_COUNT,
            maxPageSize: MAX_RESULTS,
            cursorTimeout: CURSOR_TIMEOUT_SECONDS,
          },
        }),
      { detail: { tags, summary: "Service provider configuration (RFC 7643 §5)" } },
    )
    .get("/ResourceTypes", ({ tenantId }) => scimJson(resourceTypesList(registry(tenantId), tenantUrl(tenantId))), {
      detail: { tags, summary: "Resource types (RFC 7643 §6)" },
    })
    .get(
      "/ResourceTypes/:id",
      ({ tenantId, params }) => {
        const doc = resourceTypeDoc(registry(tenantId), params.id, tenantUrl(tenantId));
        if (!doc) throw notFound(`no resource type ${params.id}`);
        return scimJson(doc);
      },
      { detail: { tags, summary: "One resource type" } },
    )
    .get("/Schemas", ({ tenantId }) => scimJson(schemasList(registry(tenantId), tenantUrl(tenantId))), {
      detail: { tags, summary: "Schemas with every attribute's characteristics (RFC 7643 §7)" },
    })
    .get(
      "/Schemas/:id",
      ({ tenantId, params }) => {
        const doc = schemaDoc(registry(tenantId), params.id, tenantUrl(tenantId));
        if (!doc) throw notFound(`no schema ${params.id}`);
        return scimJson(doc);
      },
      { detail: { tags, summary: "One schema by URN" } },
    );
};
