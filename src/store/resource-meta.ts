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

/**
 * A new resource object each call (parsed from the row), so callers may add to it. `stored`: the object
 * `row.data` was just written from (see storedObject), used in its place instead of parsing it again.
 * `etag`: the version when more than the row makes it (see userEtag).
 */
export function withIdAndMeta(
  row: BaseRow,
  resourceType: "User" | "Group",
  location: string,
  stored?: ScimResource,
  etag = etagOf(row.version),
): ScimResource {
  const resource = stored ?? (JSON.parse(row.data) as ScimResource);
  // Stored data never holds id or meta (storedObject drops them), so assigning keeps the order a spread would.
  resource.id = row.id;
  resource.meta = metaOf(row, resourceType, location, etag);
  return resource;
}

/** RFC 7643 §3.1 meta of a stored resource. */
export const metaOf = (row: BaseRow, resourceType: "User" | "Group", location: string, etag = etagOf(row.version)) => ({
  resourceType,
  created: row.created,
  lastModified: row.last_modified,
  location,
  version: etag,
});

/** The resource without what lives in columns or tables of its own: a shallow copy, as it is stored. */
export function storedObject(resource: ScimResource, drop: string[]): ScimResource {
  const copy: ScimResource = { ...resource };
  for (const key of ["id", "meta", ...drop]) delete copy[key];
  return copy;
}

export const isUniqueViolation = (error: unknown) =>
  error instanceof Error && /UNIQUE constraint failed/.test(error.message);
