// The reference's reading of a BulkRequest as a whole (RFC 7644 §3.7, §3.7.4), before any operation runs: what
// refuses the whole request, with the status and scimType, or the operations to run. Written from the RFC; where
// it leaves the status or scimType open, the choice scimd's tests document (test/features/bulk.test.ts) is taken.
type Doc = Record<string, unknown>;

export const MAX_OPERATIONS = 1000;
export const MAX_PAYLOAD_SIZE = 1024 * 1024;
const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

export interface RefOperation {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
}

export type Refusal = { status: number; scimType: string; why: string };
export type Checked = { ok: true; operations: RefOperation[]; failOnErrors?: number } | ({ ok: false } & Refusal);

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
/** RFC 7643 §2.1: attribute names are case-insensitive. */
const attribute = (doc: Doc, name: string) => Object.entries(doc).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const refuse = (status: number, scimType: string, why: string): Checked => ({ ok: false, status, scimType, why });

export function checkBulkRequest(text: string): Checked {
  // §3.7.4: "If either limit is exceeded, the service provider MUST return HTTP response code 413".
  if (new TextEncoder().encode(text).length > MAX_PAYLOAD_SIZE) return refuse(413, "tooLarge", "over maxPayloadSize");
  const body = JSON.parse(text) as unknown;
  if (!isObject(body)) return refuse(400, "invalidSyntax", "not an object");
  const schemas = attribute(body, "schemas");
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => typeof s === "string" && s.toLowerCase() === BULK_REQUEST.toLowerCase()))) {
    return refuse(400, "invalidSyntax", "schemas without the BulkRequest URN");
  }
  // §3.7: failOnErrors is "an integer specifying the number of errors" accepted; 0 errors or fewer says nothing.
  // RFC 7643 §2.5: null is the same as leaving it out.
  const failOnErrors = attribute(body, "failOnErrors") ?? undefined;
  if (failOnErrors !== undefined && !(typeof failOnErrors === "number" && Number.isInteger(failOnErrors) && failOnErrors >= 1)) {
    return refuse(400, "invalidValue", "failOnErrors not a positive integer");
  }
  const raw = attribute(body, "Operations");
  if (!Array.isArray(raw)) return refuse(400, "invalidSyntax", "no Operations array");
  if (raw.length > MAX_OPERATIONS) return refuse(413, "tooMany", "over maxOperations");
  const seen = new Set<string>();
  const operations: RefOperation[] = [];
  for (const op of raw as unknown[]) {
    if (!isObject(op)) return refuse(400, "invalidSyntax", "an operation that is not an object");
    const method = attribute(op, "method");
    if (method !== "POST" && method !== "PUT" && method !== "PATCH" && method !== "DELETE") return refuse(400, "invalidSyntax", "method");
    const path = attribute(op, "path");
    if (typeof path !== "string" || !path.startsWith("/")) return refuse(400, "invalidSyntax", "path is not a relative path");
    const bulkId = attribute(op, "bulkId");
    // §3.7: bulkId is "REQUIRED when "method" is "POST"" and "unique within a bulk request"; a reference
    // `bulkId:X` ends at whitespace, "/" or '"', so a bulkId holding one could never be referenced.
    if (bulkId !== undefined && (typeof bulkId !== "string" || !/^[^\s/"]+$/.test(bulkId))) return refuse(400, "invalidValue", "bulkId");
    if (method === "POST" && bulkId === undefined) return refuse(400, "invalidValue", "POST without bulkId");
    if (typeof bulkId === "string") {
      if (seen.has(bulkId)) return refuse(400, "invalidValue", "duplicate bulkId");
      seen.add(bulkId);
    }
    const data = attribute(op, "data");
    // §3.7: data is "REQUIRED in a request when "method" is "POST", "PUT", or "PATCH"".
    if (method !== "DELETE" && data === undefined) return refuse(400, "invalidSyntax", "data missing");
    const version = attribute(op, "version");
    if (version !== undefined && typeof version !== "string") return refuse(400, "invalidValue", "version not a string");
    operations.push({ method, path, data, bulkId: bulkId as string | undefined, version: version as string | undefined });
  }
  return { ok: true, operations, failOnErrors: failOnErrors as number | undefined };
}
