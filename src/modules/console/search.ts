// The console's search box: plain text becomes a SCIM filter, so it runs through the same parser, the same
// attribute allow-list and the same SQL as a client's own filter. JSON.stringify quotes it as RFC 7644 asks.
import type { ResourceTypeName } from "../../scim/schema/registry";

const FIELDS: Record<ResourceTypeName, { contains: string[]; equals: string[] }> = {
  User: { contains: ["userName", "displayName", "name.formatted", "name.familyName", "name.givenName", "emails.value"], equals: ["externalId", "id"] },
  Group: { contains: ["displayName"], equals: ["externalId", "id"] },
};

export function searchFilter(resourceType: ResourceTypeName, text: string | undefined, filter?: string): string | undefined {
  const q = text?.trim();
  const quoted = q ? JSON.stringify(q) : "";
  const { contains, equals } = FIELDS[resourceType];
  const search = q
    ? [...contains.map((a) => `${a} co ${quoted}`), ...equals.map((a) => `${a} eq ${quoted}`)].join(" or ")
    : undefined;
  const given = filter?.trim() || undefined;
  if (search && given) return `(${given}) and (${search})`;
  return given ?? search;
}
