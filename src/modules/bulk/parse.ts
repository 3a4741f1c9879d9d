// RFC 7644 §3.7: a BulkRequest's shape, checked before anything runs.
import { badRequest, ScimError } from "../../errors";
import { BULK_REQUEST_SCHEMA } from "../../scim/schema/types";
import { listsUrn } from "../../scim/schema/urn";
import { isReferenceable } from "./bulk-ids";

export const MAX_OPERATIONS = 1000;
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export type BulkMethod = "POST" | "PUT" | "PATCH" | "DELETE";

export interface BulkOperation {
  index: number;
  method: BulkMethod;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

const METHODS = new Set<string>(["POST", "PUT", "PATCH", "DELETE"]);

const key = (obj: Record<string, unknown>, name: string) =>
  Object.entries(obj).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

export function parseBulkRequest(body: unknown): { failOnErrors?: number; operations: BulkOperation[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("invalidSyntax", "a BulkRequest must be a JSON object");
  const request = body as Record<string, unknown>;
  const schemas = key(request, "schemas");
  if (schemas !== undefined && !listsUrn(schemas, BULK_REQUEST_SCHEMA)) {
    throw badRequest("invalidSyntax", `schemas must contain ${BULK_REQUEST_SCHEMA}`);
  }
  // RFC 7643 §2.5: "Unassigned attributes, the null value, or empty array ... SHALL be considered to be equivalent
  // in 'state'", so failOnErrors: null sets no limit, as leaving it out does.
  const failOnErrors = key(request, "failOnErrors") ?? undefined;
  if (failOnErrors !== undefined && (!Number.isInteger(failOnErrors) || (failOnErrors as number) < 1)) {
    throw badRequest("invalidValue", "failOnErrors must be a positive integer");
  }
  const ops = key(request, "Operations");
  if (!Array.isArray(ops)) throw badRequest("invalidSyntax", "a BulkRequest needs an Operations array");
  if (ops.length > MAX_OPERATIONS) {
    throw new ScimError(413, `a BulkRequest may hold at most ${MAX_OPERATIONS} operations, not ${ops.length}`, "tooMany");
  }
  const bulkIds = new Set<string>();
  const operations = ops.map((raw, index): BulkOperation => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("invalidSyntax", `Operations[${index}] must be an object`);
    const op = raw as Record<string, unknown>;
    const method = String(key(op, "method") ?? "").toUpperCase();
    if (!METHODS.has(method)) throw badRequest("invalidSyntax", `Operations[${index}].method must be POST, PUT, PATCH or DELETE`);
    const path = key(op, "path");
    if (typeof path !== "string" || !path.startsWith("/")) throw badRequest("invalidSyntax", `Operations[${index}].path must be a path such as /Users`);
    const bulkId = key(op, "bulkId");
    if (bulkId !== undefined && (typeof bulkId !== "string" || bulkId === "")) throw badRequest("invalidValue", `Operations[${index}].bulkId must be a non-empty string`);
    if (method === "POST" && bulkId === undefined) throw badRequest("invalidValue", `Operations[${index}]: POST needs a bulkId (RFC 7644 §3.7)`);
    if (typeof bulkId === "string") {
      if (!isReferenceable(bulkId)) {
        throw badRequest("invalidValue", `Operations[${index}].bulkId must not contain whitespace, "/" or '"': a bulkId:… reference ends there`);
      }
      if (bulkIds.has(bulkId)) throw badRequest("invalidValue", `bulkId ${JSON.stringify(bulkId)} is used twice`);
      bulkIds.add(bulkId);
    }
    const data = key(op, "data");
    if ((method === "POST" || method === "PUT" || method === "PATCH") && data === undefined) {
      throw badRequest("invalidSyntax", `Operations[${index}]: ${method} needs data`);
    }
    const version = key(op, "version");
    if (version !== undefined && typeof version !== "string") {
      throw badRequest("invalidValue", `Operations[${index}].version must be a string such as W/"3"`);
    }
    return { index, method: method as BulkMethod, path, data, bulkId: bulkId as string | undefined, version };
  });
  return { failOnErrors: failOnErrors as number | undefined, operations };
}
