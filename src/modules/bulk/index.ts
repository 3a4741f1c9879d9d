import { Elysia } from "elysia";
import { scimAuth } from "../../auth/scim-auth-plugin";
import { ScimError } from "../../errors";
import { readJsonBody, scimJson } from "../../http/scim-response";
import type { Services } from "../../services";
import { executeBulk } from "./execute";
import { MAX_PAYLOAD_BYTES, parseBulkRequest } from "./parse";

export const bulkModule = (services: Services) =>
  new Elysia({ prefix: "/scim/v2/:tenantId" }).use(scimAuth(services)).post(
    "/Bulk",
    async ({ tenantId, request }) => {
      const declared = Number(request.headers.get("content-length") ?? "0");
      if (declared > MAX_PAYLOAD_BYTES) throw new ScimError(413, `a BulkRequest may be at most ${MAX_PAYLOAD_BYTES} bytes`, "tooLarge");
      const body = await readJsonBody(request, MAX_PAYLOAD_BYTES).catch((error: unknown) => {
        if (error instanceof ScimError && error.status === 413) throw new ScimError(413, `a BulkRequest may be at most ${MAX_PAYLOAD_BYTES} bytes`, "tooLarge");
        throw error;
      });
      const { operations, failOnErrors } = parseBulkRequest(body);
      return scimJson(await executeBulk(services, tenantId, operations, failOnErrors));
    },
    { parse: "none", detail: { tags: ["SCIM"], summary: "Bulk operations with bulkId references (RFC 7644 §3.7)" } },
  );
