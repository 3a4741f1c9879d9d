// What an admin sends to declare a tenant's extension schema: RFC 7643 §7 attribute characteristics.
import { t } from "elysia";

const characteristics = {
  name: t.String({ pattern: "^[A-Za-z][A-Za-z0-9_-]{0,63}$", description: "ATTRNAME (RFC 7643 §2.1)" }),
  type: t.UnionEnum(["string", "boolean", "decimal", "integer", "dateTime", "reference", "binary"]),
  multiValued: t.Optional(t.Boolean()),
  description: t.Optional(t.String({ maxLength: 1000 })),
  required: t.Optional(t.Boolean()),
  caseExact: t.Optional(t.Boolean()),
  mutability: t.Optional(t.UnionEnum(["readOnly", "readWrite", "immutable", "writeOnly"])),
  returned: t.Optional(t.UnionEnum(["always", "never", "default", "request"])),
  canonicalValues: t.Optional(t.Array(t.String(), { maxItems: 200 })),
  referenceTypes: t.Optional(t.Array(t.String(), { maxItems: 20 })),
};

export const SubAttributeInput = t.Object(characteristics);

export const AttributeInput = t.Object({
  ...characteristics,
  type: t.UnionEnum(["string", "boolean", "decimal", "integer", "dateTime", "reference", "binary", "complex"]),
  subAttributes: t.Optional(t.Array(SubAttributeInput, { maxItems: 50 })),
});

export const SchemaInput = t.Object({
  // Checked by urnSyntaxError, which says what is wrong where a pattern would only quote itself.
  id: t.String({ maxLength: 300, description: "The extension's URN (RFC 8141: urn:NID:NSS, ASCII only; urn and NID in any letter case)" }),
  name: t.String({ minLength: 1, maxLength: 200 }),
  description: t.Optional(t.String({ maxLength: 1000 })),
  resourceType: t.Union([t.Literal("User"), t.Literal("Group")]),
  required: t.Optional(t.Boolean({ description: "Whether every resource must carry this extension" })),
  attributes: t.Array(AttributeInput, { minItems: 1, maxItems: 200 }),
});
