// SCIM endpoint names are matched case-insensitively (`/users` works as `/Users`): Microsoft's validator
// sends lower case, and the router is case-sensitive.
const ENDPOINTS = ["Users", "Groups", "ServiceProviderConfig", "ResourceTypes", "Schemas", "Bulk", ".search"];
const CANONICAL = new Map(ENDPOINTS.map((e) => [e.toLowerCase(), e]));
const SCIM_PATH = /^(\/scim\/v2\/[^/]+\/)([^/?]+)/;

/** The request with its endpoint segment in canonical case, or undefined when it already is. */
export function canonicalRequest(request: Request): Request | undefined {
  // Fast path for the common case: every endpoint name already in canonical case.
  const raw = request.url;
  const at = raw.indexOf("/scim/v2/");
  if (at < 0) return undefined;
  const segment = /^\/scim\/v2\/[^/]+\/([^/?#]+)/.exec(raw.slice(at))?.[1];
  if (!segment || ENDPOINTS.includes(segment)) return undefined;
  const url = new URL(raw);
  const match = SCIM_PATH.exec(url.pathname);
  if (!match) return undefined;
  const canonical = CANONICAL.get(match[2].toLowerCase());
  if (!canonical || canonical === match[2]) return undefined;
  url.pathname = match[1] + canonical + url.pathname.slice(match[0].length);
  return new Request(url, request);
}
