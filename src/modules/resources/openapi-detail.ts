// OpenAPI descriptions of the SCIM routes, derived from the schema registry (one definition per schema).
import type { TSchema } from "@sinclair/typebox";
import type { DocumentDecoration } from "elysia/types";
import { errorBox, listResponseBox, patchOpBox, resourceTypeBox } from "../../scim/schema/openapi";
import { createRegistry, type ResourceTypeName } from "../../scim/schema/registry";

const registry = createRegistry();
const SCIM = "application/scim+json";
// TypeBox schemas are JSON Schema; the OpenAPI types just do not know it.
const content = (box: TSchema) => {
  const schema = box as Record<string, unknown>;
  return { [SCIM]: { schema }, "application/json": { schema } };
};
const error = (description: string) => ({ description, content: content(errorBox) });

const errors = {
  400: error("Invalid request (scimType says which rule it broke)"),
  401: error("Missing or invalid Bearer token"),
  404: error("No such resource in this tenant"),
};

export function resourceDocs(type: ResourceTypeName): Record<"list" | "create" | "get" | "replace" | "patch" | "remove", DocumentDecoration> {
  const resource = resourceTypeBox(registry, type);
  const input = resourceTypeBox(registry, type, { input: true });
  const tags = ["SCIM"];
  const base = { tags };
  const ok = (description: string, schema: TSchema = resource) => ({ description, content: content(schema) });
  return {
    list: { ...base, summary: `List or filter ${type}s (RFC 7644 §3.4.2)`, responses: { 200: ok("ListResponse", listResponseBox(resource)), ...errors } },
    create: {
      ...base,
      summary: `Create a ${type} (RFC 7644 §3.3)`,
      requestBody: { required: true, content: content(input) },
      responses: { 201: ok("Created"), 409: error("uniqueness: the name is taken"), ...errors },
    },
    get: { ...base, summary: `Get a ${type} by id`, responses: { 200: ok("The resource"), 304: { description: "Not modified (If-None-Match)" }, ...errors } },
    replace: {
      ...base,
      summary: `Replace a ${type} (RFC 7644 §3.5.1)`,
      requestBody: { required: true, content: content(input) },
      responses: { 200: ok("Replaced"), 412: error("If-Match does not name the current version"), ...errors },
    },
    patch: {
      ...base,
      summary: `Modify a ${type} (RFC 7644 §3.5.2)`,
      requestBody: { required: true, content: content(patchOpBox) },
      responses:
        type === "User"
          ? { 200: ok("Modified"), 412: error("Stale If-Match"), ...errors }
          : { 204: { description: "Modified" }, 200: ok("Modified, when `attributes` was asked for"), 412: error("Stale If-Match"), ...errors },
    },
    remove: { ...base, summary: `Delete a ${type}`, responses: { 204: { description: "Deleted" }, ...errors } },
  };
}
