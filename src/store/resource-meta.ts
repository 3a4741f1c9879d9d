// Columns every stored resource has, and how they become the SCIM `id` and `meta` (RFC 7643 §3.1).
import type { ScimResource } from "../scim/schema/types";

export interface BaseRow {
  pk: number;
  id: string;
  data: string;
  created: string;
  last_modified: string;
  version: number;
}

export const etagOf = (version: number) => `W/"${version}"`;

/** A new resource object each call (parsed from the row), so callers may add to it. */
export function withIdAndMeta(row: BaseRow, resourceType: "User" | "Group", location: string): ScimResource {
  const resource = JSON.parse(row.data) as ScimResource;
  // Stored data never holds id or meta (storedData drops them), so assigning keeps the order a spread would.
  resource.id = row.id;
  resource.meta = {
    resourceType,
    created: row.created,
    lastModified: row.last_modified,
    location,
    version: etagOf(row.version),
  };
  return resource;
}

/** Data stored as JSON: the resource without what lives in columns or tables of its own. */
export function storedData(resource: ScimResource, drop: string[]): string {
  const copy: ScimResource = { ...resource };
  for (const key of ["id", "meta", ...drop]) delete copy[key];
  return JSON.stringify(copy);
}

export const isUniqueViolation = (error: unknown) =>
  error instanceof Error && /UNIQUE constraint failed/.test(error.message);
