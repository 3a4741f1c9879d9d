import { attr, complex } from "./define.ts";
import { GROUP_SCHEMA, type SchemaDef } from "./types.ts";

// RFC 7643 §4.2 / §8.7.1. displayName is REQUIRED in §4.2 (the §8.7.1 listing's `false` is an erratum).
export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    attr("displayName", "A human-readable name for the Group. REQUIRED.", { required: true }),
    complex(
      "members",
      "A list of members of the Group.",
      [
        attr("value", "Identifier of the member of this Group.", { mutability: "immutable" }),
        attr("$ref", "The URI corresponding to a SCIM resource that is a member of this Group.", {
          type: "reference",
          referenceTypes: ["User", "Group"],
          mutability: "immutable",
        }),
        // RFC 7643 §2.4: `display` is immutable — a client may label a member when adding it, and the label is
        // kept (Microsoft's validator checks it). Without one, the member's own name is shown.
        attr("display", "A human-readable name for the member.", { mutability: "immutable" }),
        attr("type", "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          canonicalValues: ["User", "Group"],
          mutability: "immutable",
        }),
      ],
      { multiValued: true },
    ),
  ],
};
