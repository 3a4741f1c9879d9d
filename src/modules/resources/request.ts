// What every SCIM resource route reads from a request: projection, list parameters, preconditions, body.
import { readJsonBody } from "../../http/scim-response";
import { lowerKeys, parseListParams, type ListParams } from "../../scim/list-params";
import { parseAttributeList, type ProjectionOptions } from "../../scim/schema/project";
import type { Services } from "../../services";
import { unwrap } from "./write-helpers";

type Query = Record<string, string | undefined>;

export function projectionOf(query: Query): ProjectionOptions {
  const q = lowerKeys(query);
  return { attributes: parseAttributeList(q.attributes), excludedAttributes: parseAttributeList(q.excludedattributes) };
}

/** A write's answer: also the "request" attributes its body (namesInBody) or operations (namesInPatch) specified. */
export const writeProjectionOf = (query: Query, specified: () => string[]): ProjectionOptions => ({ ...projectionOf(query), specified });

export const listParamsOf = (query: Query): ListParams => unwrap(parseListParams(query));

export const bodyOf = (services: Services, request: Request) => readJsonBody(request, services.config.maxBodyBytes);

// Only an absent header is no precondition: a present one that lists no ETag (Bun hands an empty or blank value
// over as "") matches nothing → 412, as a /Bulk operation's `version: ""` does (RFC 9110 §13.1.1).
export const ifMatchOf = (request: Request) => request.headers.get("if-match");

/** RFC 7644 §3.14: GET with If-None-Match naming the current version (`current`, an ETag) → 304 Not Modified. */
export function notModified(request: Request, current: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag === current || tag === current.slice(2);
  });
}

export const versionHeaders = (location: string, etag: string) => ({ location, etag });
