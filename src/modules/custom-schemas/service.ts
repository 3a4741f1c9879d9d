// Per-tenant extension schemas, stored as JSON definitions and turned into that tenant's registry.
import type { Database } from "bun:sqlite";
import type { Static } from "elysia";
import { AdminError } from "../../errors";
import { attr } from "../../scim/schema/define";
import type { SchemaExtension } from "../../scim/schema/registry";
import { type AttributeDef, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, type SchemaDef, USER_SCHEMA } from "../../scim/schema/types";
import type { AttributeInput, SchemaInput, SubAttributeInput } from "./model";

type Input = Static<typeof SchemaInput>;
type AttrIn = Static<typeof AttributeInput>;
type SubAttrIn = Static<typeof SubAttributeInput>;

const RESERVED = [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA].map((u) => u.toLowerCase());

function toDef(a: AttrIn | SubAttrIn): AttributeDef {
  const { name, description, ...rest } = a;
  const subAttributes = "subAttributes" in a ? a.subAttributes : undefined;
  delete (rest as { subAttributes?: unknown }).subAttributes;
  if (rest.type === "complex" && !subAttributes?.length) throw new AdminError(400, `attribute ${name}: a complex attribute needs subAttributes`);
  if (rest.type !== "complex" && subAttributes) throw new AdminError(400, `attribute ${name}: only complex attributes have subAttributes`);
  if (rest.type === "binary" && rest.caseExact === false) throw new AdminError(400, `attribute ${name}: a binary attribute is case exact (RFC 7643 §2.3.6)`);
  return attr(name, description ?? "", { ...rest, subAttributes: subAttributes?.map(toDef) });
}

function uniqueNames(names: string[], where: string) {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) throw new AdminError(400, `${where}: attribute ${n} is declared twice (names are case-insensitive)`);
    seen.add(n.toLowerCase());
  }
}

export function schemaFromInput(input: Input): SchemaDef {
  if (RESERVED.includes(input.id.toLowerCase())) throw new AdminError(400, `${input.id} is a standard schema and cannot be redefined`);
  uniqueNames(input.attributes.map((a) => a.name), input.id);
  for (const a of input.attributes) if (a.subAttributes) uniqueNames(a.subAttributes.map((s) => s.name), `${input.id}:${a.name}`);
  return { id: input.id, name: input.name, description: input.description ?? "", attributes: input.attributes.map(toDef) };
}

/** Definitions stored before binary defaulted to caseExact (RFC 7643 §2.3.6) hold `caseExact: false`. */
function binaryCaseExact(schema: SchemaDef): SchemaDef {
  const fix = (a: AttributeDef): AttributeDef =>
    a.type === "binary" ? { ...a, caseExact: true } : a.subAttributes ? { ...a, subAttributes: a.subAttributes.map(fix) } : a;
  return { ...schema, attributes: schema.attributes.map(fix) };
}

interface Row {
  urn: string;
  resource_type: "User" | "Group";
  required: number;
  definition: string;
}

export class CustomSchemas {
  constructor(private db: Database) {}

  extensions(tenant: string): SchemaExtension[] {
    const rows = this.db
      .query("SELECT urn, resource_type, required, definition FROM tenant_schemas WHERE tenant_id = $tenant ORDER BY created, urn")
      .all({ tenant }) as Row[];
    return rows.map((r) => ({ resourceType: r.resource_type, required: r.required === 1, schema: binaryCaseExact(JSON.parse(r.definition) as SchemaDef) }));
  }

  put(tenant: string, input: Input) {
    const schema = schemaFromInput(input);
    const other = this.db
      .query("SELECT resource_type FROM tenant_schemas WHERE tenant_id = $tenant AND lower(urn) = lower($urn)")
      .get({ tenant, urn: input.id }) as { resource_type: string } | null;
    if (other && other.resource_type !== input.resourceType) {
      throw new AdminError(409, `${input.id} already extends ${other.resource_type}; delete it first`);
    }
    this.db
      .query(
        `INSERT INTO tenant_schemas (tenant_id, urn, resource_type, required, definition, created)
         VALUES ($tenant, $urn, $type, $required, $definition, $now)
         ON CONFLICT (tenant_id, urn) DO UPDATE SET resource_type = $type, required = $required, definition = $definition`,
      )
      .run({ tenant, urn: input.id, type: input.resourceType, required: input.required ? 1 : 0, definition: JSON.stringify(schema), now: new Date().toISOString() });
    return { ...schema, resourceType: input.resourceType, required: input.required ?? false };
  }

  delete(tenant: string, urn: string): boolean {
    return this.db.query("DELETE FROM tenant_schemas WHERE tenant_id = $tenant AND lower(urn) = lower($urn)").run({ tenant, urn }).changes > 0;
  }
}
