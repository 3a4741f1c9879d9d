import { commonAttributes } from "./common-attributes.ts";
import { enterpriseUserSchema } from "./enterprise-user-schema.ts";
import { groupSchema } from "./group-schema.ts";
import { groupResourceType, userResourceType } from "./resource-types.ts";
import type { AttributeDef, ResourceTypeDef, SchemaDef } from "./types.ts";
import { userSchema } from "./user-schema.ts";

export type ResourceTypeName = "User" | "Group";

export interface ResolvedAttribute {
  /** URN of the schema the attribute belongs to (the core URN for common attributes). */
  schema: string;
  extension: boolean;
  attribute: AttributeDef;
  subAttribute?: AttributeDef;
  /** Properly-cased JSON path; an extension's path starts with its URN key. */
  canonicalPath: string[];
  /** canonicalPath joined with dots, for messages. */
  dotted: string;
}

export interface SchemaExtension {
  resourceType: ResourceTypeName;
  schema: SchemaDef;
  required?: boolean;
}

/** One tenant's view of its resource types and schemas. Immutable once created. */
export interface SchemaRegistry {
  resourceTypes(): ResourceTypeDef[];
  resourceType(name: string): ResourceTypeDef | undefined;
  /** Core schema first, then the extensions. */
  schemasFor(resourceType: ResourceTypeName): SchemaDef[];
  coreSchema(resourceType: ResourceTypeName): SchemaDef;
  extensionsFor(resourceType: ResourceTypeName): SchemaDef[];
  allSchemas(): SchemaDef[];
  /** Case-insensitive lookup by URN. */
  schema(id: string): SchemaDef | undefined;
  /**
   * Splits a URN-qualified path: the URN is the longest schema id of the resource type that is a
   * prefix followed by ':' (or the whole path). `rest` is "" for a bare URN.
   */
  splitUrn(resourceType: ResourceTypeName, path: string): { schema: SchemaDef; rest: string } | undefined;
  findAttribute(resourceType: ResourceTypeName, path: string): ResolvedAttribute | undefined;
}

// Attribute names are case-insensitive (RFC 7643 §2.1); each list gets its lower-cased index once.
const indexes = new WeakMap<readonly AttributeDef[], Map<string, AttributeDef>>();

const findByName = (defs: readonly AttributeDef[] | undefined, name: string) => {
  if (!defs) return undefined;
  let index = indexes.get(defs);
  if (!index) indexes.set(defs, (index = new Map(defs.map((d) => [d.name.toLowerCase(), d]))));
  return index.get(name.toLowerCase());
};

export function createRegistry(extensions: SchemaExtension[] = []): SchemaRegistry {
  const base: Record<ResourceTypeName, { type: ResourceTypeDef; core: SchemaDef; extensions: SchemaDef[] }> = {
    User: { type: userResourceType, core: userSchema, extensions: [enterpriseUserSchema] },
    Group: { type: groupResourceType, core: groupSchema, extensions: [] },
  };
  const types = new Map<ResourceTypeName, { type: ResourceTypeDef; core: SchemaDef; extensions: SchemaDef[] }>();
  for (const name of ["User", "Group"] as const) {
    const own = extensions.filter((e) => e.resourceType === name);
    const entry = base[name];
    types.set(name, {
      core: entry.core,
      extensions: [...entry.extensions, ...own.map((e) => e.schema)],
      type: {
        ...entry.type,
        schemaExtensions: [
          ...entry.type.schemaExtensions,
          ...own.map((e) => ({ schema: e.schema.id, required: e.required ?? false })),
        ],
      },
    });
  }
  const entry = (name: ResourceTypeName) => {
    const found = types.get(name);
    if (!found) throw new Error(`unknown resource type ${name}`);
    return found;
  };
  const typesByLowerId = new Map([...types.values()].map((t) => [t.type.id.toLowerCase(), t.type]));
  const all = [...types.values()].flatMap((t) => [t.core, ...t.extensions]);
  const unique = [...new Map(all.map((s) => [s.id.toLowerCase(), s])).values()];

  const lowerIds = new Map<ResourceTypeName, [SchemaDef, string][]>(
    (["User", "Group"] as const).map((name) => [name, [entry(name).core, ...entry(name).extensions].map((s): [SchemaDef, string] => [s, s.id.toLowerCase()])]),
  );

  const splitUrn = (resourceType: ResourceTypeName, path: string) => {
    // Plain attribute names (no colon) are the common case and can name no schema.
    if (!path.includes(":")) return undefined;
    const lower = path.toLowerCase();
    let best: SchemaDef | undefined;
    for (const [s, id] of lowerIds.get(resourceType) ?? []) {
      const matches = lower === id || lower.startsWith(`${id}:`);
      if (matches && (!best || id.length > best.id.length)) best = s;
    }
    return best ? { schema: best, rest: path.slice(Math.min(best.id.length + 1, path.length)) } : undefined;
  };

  const resolve = (resourceType: ResourceTypeName, path: string): ResolvedAttribute | undefined => {
    const { core } = entry(resourceType);
    const split = splitUrn(resourceType, path);
    const schema = split?.schema ?? core;
    const rest = split ? split.rest : path;
    const parts = rest.split(".");
    if (parts.length > 2 || parts.some((p) => p === "")) return undefined;
    const [name = "", subName] = parts;
    const extension = schema !== core;
    const attribute = findByName(schema.attributes, name) ?? (extension ? undefined : findByName(commonAttributes, name));
    if (!attribute) return undefined;
    const prefix = extension ? [schema.id] : [];
    if (subName === undefined) {
      const canonicalPath = [...prefix, attribute.name];
      return { schema: schema.id, extension, attribute, canonicalPath, dotted: canonicalPath.join(".") };
    }
    const subAttribute = findByName(attribute.subAttributes, subName);
    if (!subAttribute) return undefined;
    const canonicalPath = [...prefix, attribute.name, subAttribute.name];
    return { schema: schema.id, extension, attribute, subAttribute, canonicalPath, dotted: canonicalPath.join(".") };
  };

  // Every request resolves the same few dozen paths: remember each answer (bounded, the registry is immutable).
  // One map per resource type, keyed by the path itself: most paths are property names of a parsed body, whose
  // hashes the engine keeps, where a key built per call would be hashed anew each time.
  const resolved = { User: new Map<string, ResolvedAttribute | null>(), Group: new Map<string, ResolvedAttribute | null>() };
  const findAttribute = (resourceType: ResourceTypeName, path: string): ResolvedAttribute | undefined => {
    const known = resolved[resourceType];
    const hit = known.get(path);
    if (hit !== undefined) return hit ?? undefined;
    const found = resolve(resourceType, path);
    if (known.size < 5_000) known.set(path, found ?? null);
    return found;
  };

  return {
    resourceTypes: () => [...types.values()].map((t) => t.type),
    resourceType: (name) => typesByLowerId.get(name.toLowerCase()),
    schemasFor: (name) => [entry(name).core, ...entry(name).extensions],
    coreSchema: (name) => entry(name).core,
    extensionsFor: (name) => [...entry(name).extensions],
    allSchemas: () => [...unique],
    schema: (id) => unique.find((s) => s.id.toLowerCase() === id.toLowerCase()),
    splitUrn,
    findAttribute,
  };
}
