import { badRequest, fail, ok, type Result } from "../../errors.ts";
import { PATCH_OP_SCHEMA } from "../schema/types.ts";
import { listsUrn } from "../schema/urn.ts";
import { getKey, isObject } from "./json.ts";
import type { PatchOperation, PatchOpName } from "./types.ts";

const OP_NAMES: readonly PatchOpName[] = ["add", "replace", "remove"];

/**
 * Operations one PatchOp request may hold: far above what clients send (Entra: a few hundred member changes at
 * most), low enough that one request cannot hold the write lock for long. ServiceProviderConfig has no field for
 * it (only bulk.maxOperations).
 */
export const MAX_PATCH_OPERATIONS = 10_000;

/**
 * Validates a PatchOp request body (RFC 7644 §3.5.2). A missing `schemas` is accepted; an empty
 * `Operations` array is a valid no-op (entra.md).
 */
export function parsePatchRequest(body: unknown): Result<PatchOperation[]> {
  if (!isObject(body)) return fail(badRequest("invalidSyntax", "The PATCH body must be a JSON object."));
  const schemas = getKey(body, "schemas");
  if (schemas !== undefined && !hasPatchSchema(schemas)) {
    return fail(badRequest("invalidSyntax", `The PATCH body's schemas must contain "${PATCH_OP_SCHEMA}".`));
  }
  const operations = getKey(body, "Operations");
  if (!Array.isArray(operations)) {
    return fail(badRequest("invalidSyntax", 'The PATCH body must have an "Operations" array.'));
  }
  // RFC 7644 §3.12 tooMany: more than the server "is willing to calculate or process".
  if (operations.length > MAX_PATCH_OPERATIONS) {
    const detail = `A PATCH may hold at most ${MAX_PATCH_OPERATIONS} operations, not ${operations.length}; send the rest in another request.`;
    return fail(badRequest("tooMany", detail));
  }
  const parsed: PatchOperation[] = [];
  for (const [index, raw] of operations.entries()) {
    const op = parseOperation(raw, index);
    if (!op.ok) return op;
    parsed.push(op.value);
  }
  return ok(parsed);
}

/** As a Bulk or Search request's schemas are read (listsUrn), and a lone string taken for a list of one. */
const hasPatchSchema = (schemas: unknown) => listsUrn(Array.isArray(schemas) ? schemas : [schemas], PATCH_OP_SCHEMA);

function parseOperation(raw: unknown, index: number): Result<PatchOperation> {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) return fail(badRequest("invalidSyntax", `${where} must be an object.`));
  const name = getKey(raw, "op");
  const op = typeof name === "string" ? OP_NAMES.find((known) => known === name.toLowerCase()) : undefined;
  if (!op) {
    const detail = `${where}.op must be "add", "replace" or "remove", not ${JSON.stringify(name)}.`;
    return fail(badRequest("invalidSyntax", detail));
  }
  const rawPath = getKey(raw, "path");
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== "string") {
    return fail(badRequest("invalidPath", `${where}.path must be a string.`));
  }
  const path = typeof rawPath === "string" && rawPath.trim() !== "" ? rawPath.trim() : undefined;
  const value = getKey(raw, "value");
  // §3.5.2.2: "If "path" is unspecified, the operation fails with ... "noTarget"."
  if (op === "remove" && path === undefined) {
    return fail(badRequest("noTarget", `${where}: a remove operation needs a path.`));
  }
  // §3.5.2.1 / §3.5.2.3: add and replace "MUST contain a "value" member".
  if (op !== "remove" && value === undefined) {
    return fail(badRequest("invalidValue", `${where}: the ${op} operation needs a value.`));
  }
  if (op !== "remove" && path === undefined && !isObject(value)) {
    return fail(badRequest("invalidValue", `${where}: without a path, the value must be an object of attributes.`));
  }
  return ok(path === undefined ? { op, value } : { op, path, value });
}
