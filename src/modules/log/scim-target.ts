// Where a request under /scim/v2/{tenantId}/… goes, read from the raw URL without building a URL object.
import { pathStart } from "../../http/url-path";

export interface ScimTarget {
  tenantId: string;
  /** Path and query string as received. */
  path: string;
  /** Path segments after the tenant id. */
  segments: string[];
  query: string;
  resourceType: "User" | "Group" | undefined;
  /** The id segment of /Users/{id} or /Groups/{id}. */
  resourceId: string | undefined;
  /** The decoded `filter` parameter, once read (null: none). */
  filter?: string | null;
}

const PREFIX = "/scim/v2/";
const TYPES: Record<string, "User" | "Group"> = { Users: "User", Groups: "Group" };

/** Whether the URL is under /scim/v2/: the recorder's first look, before it reads anything else of it. */
export function isScimUrl(url: string): boolean {
  const slash = pathStart(url);
  return slash >= 0 && url.startsWith(PREFIX, slash);
}

export function scimTarget(url: string): ScimTarget | undefined {
  const slash = pathStart(url);
  if (slash < 0) return undefined;
  const path = url.slice(slash);
  if (!path.startsWith(PREFIX)) return undefined;
  const q = path.indexOf("?");
  const pathname = q < 0 ? path : path.slice(0, q);
  const [tenantId = "", ...segments] = pathname.slice(PREFIX.length).split("/").filter((s) => s !== "");
  if (tenantId === "") return undefined;
  const resourceType = TYPES[segments[0] ?? ""];
  const id = resourceType && segments.length === 2 && segments[1] !== ".search" ? safeDecode(segments[1]) : undefined;
  return { tenantId: safeDecode(tenantId), path, segments, query: q < 0 ? "" : path.slice(q + 1), resourceType, resourceId: id };
}

function safeDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A collection GET (or POST /.search): a list, a lookup or Entra's Test Connection probe. */
export const isCollectionQuery = (method: string, target: ScimTarget) =>
  target.resourceType !== undefined &&
  ((method === "GET" && target.segments.length === 1) || (method === "POST" && target.segments[1] === ".search"));

// Parameter names are matched case-insensitively, as the list parameters are.
const FILTER_PARAM = /(?:^|&)filter=([^&]*)/i;

/** The `filter` parameter, read once per request (URLSearchParams costs more than the whole lookup). */
export function filterOf(target: ScimTarget): string | undefined {
  if (target.filter === undefined) {
    const raw = FILTER_PARAM.exec(target.query)?.[1];
    target.filter = raw === undefined ? null : safeDecode(raw.replace(/\+/g, " "));
  }
  return target.filter ?? undefined;
}
