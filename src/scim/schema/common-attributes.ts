import { attr, complex } from "./define.ts";
import type { ResourceTypeName, SchemaRegistry } from "./registry.ts";
import type { AttributeDef } from "./types.ts";

const externalId = attr("externalId", "A String that is an identifier for the resource as defined by the provisioning client.", {
  caseExact: true,
});

// RFC 7643 §3.1: attributes every resource has, outside any schema's attribute list.
export const commonAttributes: AttributeDef[] = [
  attr("id", "A unique identifier for a SCIM resource as defined by the service provider.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  externalId,
  complex(
    "meta",
    "A complex attribute containing resource metadata.",
    [
      attr("resourceType", "The name of the resource type of the resource.", { caseExact: true, mutability: "readOnly" }),
      attr("created", "The DateTime that the resource was added to the service provider.", {
        type: "dateTime",
        mutability: "readOnly",
      }),
      attr("lastModified", "The most recent DateTime that the details of this resource were updated.", {
        type: "dateTime",
        mutability: "readOnly",
      }),
      attr("location", "The URI of the resource being returned.", {
        type: "reference",
        referenceTypes: ["uri"],
        caseExact: true,
        mutability: "readOnly",
      }),
      attr("version", "The version of the resource being returned (an ETag).", { caseExact: true, mutability: "readOnly" }),
    ],
    { mutability: "readOnly" },
  ),
];

/**
 * The common attributes a core schema's /Schemas entry lists too: RFC 7643 §3.1 lets a schema list them, and
 * clients (Entra's validator among them) look for externalId there before they map or filter on it.
 */
export const commonAttributesInCoreSchemas: AttributeDef[] = [externalId];

// The common attributes (id, externalId, meta) and the core schema's, in output order; one array per registry.
const coreAttributeLists = new WeakMap<SchemaRegistry, Map<ResourceTypeName, AttributeDef[]>>();

export function coreAttributesOf(registry: SchemaRegistry, resourceType: ResourceTypeName): AttributeDef[] {
  let byType = coreAttributeLists.get(registry);
  if (!byType) coreAttributeLists.set(registry, (byType = new Map()));
  let list = byType.get(resourceType);
  if (!list) byType.set(resourceType, (list = [...commonAttributes, ...registry.coreSchema(resourceType).attributes]));
  return list;
}
