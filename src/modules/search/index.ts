// POST /.search (RFC 7644 §3.4.3): the query in a SearchRequest body instead of the URL, per resource type
// and at the tenant root (across Users and Groups).
import { Elysia } from "elysia";
import { scimAuth } from "../../auth/scim-auth-plugin";
import { badRequest } from "../../errors";
import { noteListTotal } from "../../http/request-notes";
import { scimJson, scimText } from "../../http/scim-response";
import { parseListParams } from "../../scim/list-params";
import { SEARCH_REQUEST_SCHEMA } from "../../scim/schema/types";
import { listsUrn } from "../../scim/schema/urn";
import type { Services } from "../../services";
import { bodyOf } from "../resources/request";
import { unwrap } from "../resources/write-helpers";
import { searchAcross } from "./across";

const tags = ["SCIM"];

async function searchParams(services: Services, request: Request) {
  const body = await bodyOf(services, request);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("invalidSyntax", "a SearchRequest must be a JSON object");
  }
  const schemas = (body as { schemas?: unknown }).schemas;
  if (schemas !== undefined && !listsUrn(schemas, SEARCH_REQUEST_SCHEMA)) {
    throw badRequest("invalidSyntax", `schemas must contain ${SEARCH_REQUEST_SCHEMA}`);
  }
  const { schemas: _s, ...rest } = body as Record<string, unknown>;
  return unwrap(parseListParams(rest));
}

/** The answer of a search over one resource type, as GET lists answer: JSON text, its total noted for the log. */
function page(request: Request, { totalResults, json }: { totalResults: number; json: string }): Response {
  noteListTotal(request, totalResults);
  return scimText(json);
}

export const searchModule = (services: Services) =>
  new Elysia({ prefix: "/scim/v2/:tenantId" })
    .use(scimAuth(services))
    .post("/Users/.search", async ({ tenantId, request }) => page(request, services.users.listJson(tenantId, await searchParams(services, request))), {
      parse: "none",
      detail: { tags, summary: "Search Users with a SearchRequest body (RFC 7644 §3.4.3)" },
    })
    .post("/Groups/.search", async ({ tenantId, request }) => page(request, services.groups.listJson(tenantId, await searchParams(services, request))), {
      parse: "none",
      detail: { tags, summary: "Search Groups with a SearchRequest body (RFC 7644 §3.4.3)" },
    })
    .post("/.search", async ({ tenantId, request }) => scimJson(searchAcross(services, tenantId, await searchParams(services, request))), {
      parse: "none",
      detail: { tags, summary: "Search Users and Groups together (RFC 7644 §3.4.3, at the root)" },
    });
