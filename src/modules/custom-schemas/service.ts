// Per-tenant extension schemas, stored as JSON definitions and turned into that tenant's registry.
import type { Database } from "bun:sqlite";
import type { Static } from "elysia";
import { inOneWrite } from "../../db/transactions";
import { AdminError } from "../../errors";
import { attr } from "../../scim/schema/define";
import type { SchemaExtension } from "../../scim/schema/registry";
import { urnFilterError, urnSyntaxError } from "../../scim/schema/urn";
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
  const notUrn = urnSyntaxError(input.id);
  if (notUrn) throw new AdminError(400, `id ${JSON.stringify(input.id)} is not a valid URN: ${notUrn}`);
  const unfilterable = urnFilterError(input.id);
  if (unfilterable) throw new AdminError(400, `id ${JSON.stringify(input.id)} cannot name a schema: ${unfilterable}`);
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

/**
 * URNs compare case-insensitively, folded as the registry folds them when it resolves a URN-qualified path
 * (attribute names are case-insensitive, RFC 7643 §2.1, and such a path starts with the URN). Rows written
 * before PUT folded may hold one URN in several spellings: the oldest (by created, then urn) is the one kept.
 */
const fold = (urn: string) => urn.toLowerCase();

export class CustomSchemas {
  constructor(private db: Database) {}

  private rows(tenant: string): Row[] {
    return this.db
      .query("SELECT urn, resource_type, required, definition FROM tenant_schemas WHERE tenant_id = $tenant ORDER BY created, urn")
      .all({ tenant }) as Row[];
  }

  /** The stored spellings of `urn`, oldest first. */
  private spellings(tenant: string, urn: string): Row[] {
    return this.rows(tenant).filter((r) => fold(r.urn) === fold(urn));
  }

  extensions(tenant: string): SchemaExtension[] {
    const kept = new Map<string, Row>();
    for (const r of this.rows(tenant)) if (!kept.has(fold(r.urn))) kept.set(fold(r.urn), r);
    return [...kept.values()].map((r) => ({ resourceType: r.resource_type, required: r.required === 1, schema: binaryCaseExact(JSON.parse(r.definition) as SchemaDef) }));
  }

  /**
   * Declares a schema, or replaces the one whose URN matches in any letter case. The URN keeps the spelling it
   * was first declared with: stored resources hold the extension's values under that key, and filters and
   * sorting read them by it.
   */
  put(tenant: string, input: Input) {
    const declared = schemaFromInput(input);
    return inOneWrite(this.db, () => {
      const [first, ...others] = this.spellings(tenant, input.id);
      if (first && first.resource_type !== input.resourceType) {
        throw new AdminError(409, `${first.urn} already extends ${first.resource_type}; delete it first`);
      }
      const schema = { ...declared, id: first?.urn ?? declared.id };
      for (const other of others) this.deleteExactly(tenant, other.urn);
      this.db
        .query(
          `INSERT INTO tenant_schemas (tenant_id, urn, resource_type, required, definition, created)
           VALUES ($tenant, $urn, $type, $required, $definition, $now)
           ON CONFLICT (tenant_id, urn) DO UPDATE SET resource_type = $type, required = $required, definition = $definition`,
        )
        .run({ tenant, urn: schema.id, type: input.resourceType, required: input.required ? 1 : 0, definition: JSON.stringify(schema), now: new Date().toISOString() });
      return { ...schema, resourceType: input.resourceType, required: input.required ?? false };
    });
  }

  /** Removes the schema in every spelling it is stored under. */
  delete(tenant: string, urn: string): boolean {
    return inOneWrite(this.db, () => {
      let deleted = false;
      for (const r of this.spellings(tenant, urn)) deleted = this.deleteExactly(tenant, r.urn) || deleted;
      return deleted;
    });
  }

  private deleteExactly(tenant: string, urn: string): boolean {
    return this.db.query("DELETE FROM tenant_schemas WHERE tenant_id = $tenant AND urn = $urn").run({ tenant, urn }).changes > 0;
  }
}
