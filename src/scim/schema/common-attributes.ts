import { attr, complex } from "./define.ts";
import type { AttributeDef } from "./types.ts";

// RFC 7643 §3.1: attributes every resource has, outside any schema's attribute list.
export const commonAttributes: AttributeDef[] = [
  attr("id", "A unique identifier for a SCIM resource as defined by the service provider.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  attr("externalId", "A String that is an identifier for the resource as defined by the provisioning client.", {
    caseExact: true,
  }),
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
