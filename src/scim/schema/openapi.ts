import { type TObject, type TSchema, Type } from "@sinclair/typebox";
import { commonAttributes } from "./common-attributes.ts";
import type { ResourceTypeName, SchemaRegistry } from "./registry.ts";
import { type AttributeDef, PATCH_OP_SCHEMA, type SchemaDef } from "./types.ts";

// TypeBox shapes for the OpenAPI page. Every object allows additional properties: Elysia's normalize
// strips undeclared keys, and SCIM extensions (`urn:…:enterprise:2.0:User`) must survive (style.md trap).

export interface BoxOptions {
  /**
   * Request bodies: Entra sends "True" strings, nulls and single values for arrays (entra.md), which
   * normalizeResource accepts; with `input` every attribute is documented but left unvalidated.
   */
  input?: boolean;
}

// `Type.Unknown()` rather than `true`: TypeBox's Value.Clean (Elysia's normalize: "typebox") keeps only keys a schema covers.
const OPEN = { additionalProperties: Type.Unknown() };

function leaf(def: AttributeDef): TSchema {
  const description = def.description;
  switch (def.type) {
    case "boolean":
      return Type.Boolean({ description });
    case "integer":
      return Type.Integer({ description });
    case "decimal":
      return Type.Number({ description });
    case "dateTime":
      // No `format`: xsd:dateTime may omit the offset, which the "date-time" format validator refuses.
      return Type.String({ description, examples: ["2024-01-01T00:00:00Z"] });
    case "complex":
      return attributesBox(def.subAttributes ?? [], {}, description);
    default:
      return Type.String({
        description,
        ...(def.canonicalValues?.length ? { examples: def.canonicalValues } : {}),
      });
  }
}

function attributeBox(def: AttributeDef, opts: BoxOptions): TSchema {
  if (opts.input) {
    const shape = `${def.type}${def.multiValued ? "[]" : ""}`;
    return Type.Unknown({ description: `(${shape}, ${def.mutability}) ${def.description}` });
  }
  const single = leaf(def);
  const box = def.multiValued ? Type.Array(single, { description: def.description }) : single;
  // JSON Schema `readOnly`, so the OpenAPI page marks server-set attributes (id, meta, groups).
  return def.mutability === "readOnly" ? Object.assign(box, { readOnly: true }) : box;
}

function attributesBox(defs: AttributeDef[], opts: BoxOptions, description?: string): TObject {
  const properties: Record<string, TSchema> = {};
  for (const def of defs) {
    if (def.returned === "never" && !opts.input) continue;
    if (def.mutability === "readOnly" && opts.input) continue;
    properties[def.name] = Type.Optional(attributeBox(def, opts));
  }
  return Type.Object(properties, { ...OPEN, ...(description ? { description } : {}) });
}

/** One schema's attributes as an object (for an extension: the value under its URN key). */
export const toTypeBox = (schema: SchemaDef, opts: BoxOptions = {}): TObject =>
  attributesBox(schema.attributes, opts, schema.description);

/**
 * A whole resource: `schemas`, the common attributes, the core schema and each extension under its URN.
 * Only `schemas` (and `id` in responses) are required: `attributes=` may return any subset.
 */
export function resourceTypeBox(registry: SchemaRegistry, resourceType: ResourceTypeName, opts: BoxOptions = {}): TObject {
  const core = registry.coreSchema(resourceType);
  const base = attributesBox([...commonAttributes, ...core.attributes], opts);
  const properties: Record<string, TSchema> = {
    schemas: Type.Array(Type.String(), { description: "Schema URNs of the resource (RFC 7643 §3)." }),
    ...base.properties,
  };
  if (!opts.input && properties.id) properties.id = Type.String({ description: "Server-assigned identifier." });
  for (const ext of registry.extensionsFor(resourceType)) properties[ext.id] = Type.Optional(toTypeBox(ext, opts));
  return Type.Object(properties, { ...OPEN, title: resourceType, description: core.description });
}

/** RFC 7644 §3.4.2. */
export const listResponseBox = <T extends TSchema>(item: T) =>
  Type.Object(
    {
      schemas: Type.Array(Type.String()),
      totalResults: Type.Integer({ minimum: 0 }),
      itemsPerPage: Type.Optional(Type.Integer({ minimum: 0 })),
      startIndex: Type.Optional(Type.Integer({ minimum: 1 })),
      Resources: Type.Array(item),
    },
    OPEN,
  );

/** RFC 7644 §3.5.2; `op` is matched case-insensitively (Entra sends "Replace"). */
export const patchOpBox = Type.Object(
  {
    schemas: Type.Array(Type.String(), { examples: [[PATCH_OP_SCHEMA]] }),
    Operations: Type.Array(
      Type.Object(
        {
          op: Type.String({ description: "add, remove or replace (any case)", examples: ["add", "Replace"] }),
          path: Type.Optional(Type.String({ description: "Attribute path (RFC 7644 §3.5.2)" })),
          value: Type.Optional(Type.Unknown()),
        },
        OPEN,
      ),
    ),
  },
  OPEN,
);

/** RFC 7644 §3.12. */
export const errorBox = Type.Object(
  {
    schemas: Type.Array(Type.String()),
    status: Type.String({ description: "HTTP status code as a string" }),
    scimType: Type.Optional(Type.String()),
    detail: Type.Optional(Type.String()),
  },
  OPEN,
);
