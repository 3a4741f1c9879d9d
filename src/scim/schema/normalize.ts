import { badRequest, fail, ok, type Result } from "../../errors.ts";
import { coerceValue, isAbsent, isPlainObject, missingRequired } from "./coerce.ts";
import { coreAttributesOf } from "./common-attributes.ts";
import type { ResourceTypeName, SchemaRegistry } from "./registry.ts";
import type { AttributeDef, ScimResource } from "./types.ts";

type Bag = Record<string, unknown>;

/**
 * Turns a POST/PUT body into the canonical stored shape: canonical attribute names, extensions under
 * their URN, readOnly and unknown attributes dropped, values coerced (RFC 7643 §2, §7; entra.md "Create").
 * `normalized`: a resource this function produced before (a stored one); a core attribute of `input` that is
 * the very same value as there (a PATCH left it alone) is taken as it is, not coerced again.
 */
export function normalizeResource(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  input: unknown,
  normalized?: ScimResource,
): Result<ScimResource> {
  if (!isPlainObject(input)) return fail(badRequest("invalidSyntax", "Request body must be a JSON object"));
  const core = registry.coreSchema(resourceType);
  const extensions = registry.extensionsFor(resourceType);
  const bags = new Map<string, Bag>([[core.id, {}], ...extensions.map((e): [string, Bag] => [e.id, {}])]);

  const assign = (key: string, value: unknown): Result<void> => {
    const found = registry.findAttribute(resourceType, key);
    if (!found) return ok(undefined); // unknown attributes are dropped
    const { attribute, subAttribute } = found;
    const bag = bags.get(found.schema) ?? {};
    if (attribute.mutability === "readOnly") return ok(undefined); // id, meta, groups: ignored on input
    if (!subAttribute) {
      if (found.schema === core.id && normalized?.[attribute.name] === value && value !== undefined) {
        bag[attribute.name] = value;
        return ok(undefined);
      }
      const r = coerceValue(attribute, value, found.dotted);
      if (!r.ok) return r;
      const prev = bag[attribute.name];
      if (r.value === undefined) delete bag[attribute.name];
      // `name: {...}` and `name.givenName` in one body merge.
      else bag[attribute.name] = isPlainObject(prev) && isPlainObject(r.value) ? { ...prev, ...r.value } : r.value;
      return ok(undefined);
    }
    if (subAttribute.mutability === "readOnly") return ok(undefined);
    if (attribute.multiValued) {
      return fail(badRequest("invalidValue", `Attribute '${key}' addresses a sub-attribute of a multi-valued attribute`));
    }
    const r = coerceValue(subAttribute, value, found.dotted);
    if (!r.ok) return r;
    const parent: Bag = isPlainObject(bag[attribute.name]) ? { ...(bag[attribute.name] as Bag) } : {};
    if (r.value === undefined) delete parent[subAttribute.name];
    else parent[subAttribute.name] = r.value;
    if (Object.keys(parent).length) bag[attribute.name] = parent;
    else delete bag[attribute.name];
    return ok(undefined);
  };

  for (const [key, value] of Object.entries(input)) {
    if (key.toLowerCase() === "schemas") continue; // rebuilt below: Entra sends unknown and misspelt URNs
    const whole = registry.splitUrn(resourceType, key);
    if (whole && whole.rest === "") {
      // `"urn:…:enterprise:2.0:User": {…}`: every key inside is an attribute of that schema.
      if (isAbsent(value)) continue;
      if (!isPlainObject(value)) return fail(badRequest("invalidValue", `'${whole.schema.id}' must be an object`));
      for (const [inner, innerValue] of Object.entries(value)) {
        const r = assign(`${whole.schema.id}:${inner}`, innerValue);
        if (!r.ok) return r;
      }
      continue;
    }
    const r = assign(key, value);
    if (!r.ok) return r;
  }

  const coreBag = bags.get(core.id) ?? {};
  const ordered = coreAttributesOf(registry, resourceType);
  const missing = missingRequired(ordered, coreBag, "");
  if (missing) return fail(badRequest("invalidValue", `Attribute '${missing}' is required`));

  const out: ScimResource = { schemas: [core.id] };
  for (const def of ordered) {
    if (coreBag[def.name] !== undefined) out[def.name] = coreBag[def.name];
  }
  const declared = registry.resourceType(resourceType)?.schemaExtensions ?? [];
  for (const ext of extensions) {
    const bag = bags.get(ext.id) ?? {};
    const required = declared.some((d) => d.schema === ext.id && d.required);
    if (Object.keys(bag).length === 0 && !required) continue;
    const missingExt = missingRequired(ext.attributes, bag, ext.id);
    if (missingExt) return fail(badRequest("invalidValue", `Attribute '${missingExt}' is required`));
    const ordered: Bag = {};
    for (const def of ext.attributes) if (bag[def.name] !== undefined) ordered[def.name] = bag[def.name];
    out[ext.id] = ordered;
    (out.schemas as string[]).push(ext.id);
  }
  return ok(out);
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => same(a[k], b[k]));
  }
  return a === b;
}

// Most schemas have no immutable attribute at all (the standard User and Group have none): nothing to compare.
const immutableIn = new WeakMap<AttributeDef[], boolean>();

function hasImmutable(defs: AttributeDef[]): boolean {
  let found = immutableIn.get(defs);
  if (found === undefined) {
    found = defs.some((d) => d.mutability === "immutable" || (d.subAttributes ?? []).some((sub) => sub.mutability === "immutable"));
    immutableIn.set(defs, found);
  }
  return found;
}

/**
 * RFC 7643 §2.2 "immutable": may be set once, never changed (clearing is a change) → 400 mutability.
 * Sub-attributes of multi-valued attributes (members.value) are per element: adding and removing
 * elements is allowed, so only single-valued paths are checked here; PATCH, which knows which element an
 * operation edits, checks those (patch/element-edit.ts).
 */
export function checkImmutable(
  registry: SchemaRegistry,
  resourceType: ResourceTypeName,
  before: ScimResource,
  after: ScimResource,
): Result<void> {
  const sections: { key: string | undefined; defs: AttributeDef[] }[] = [{ key: undefined, defs: coreAttributesOf(registry, resourceType) }];
  for (const s of registry.extensionsFor(resourceType)) sections.push({ key: s.id, defs: s.attributes });
  for (const { key, defs } of sections) {
    if (!hasImmutable(defs)) continue;
    const b = (key ? before[key] : before) as Bag | undefined;
    const a = (key ? after[key] : after) as Bag | undefined;
    for (const def of defs) {
      const bv = b?.[def.name];
      const av = a?.[def.name];
      const label = key ? `${key}:${def.name}` : def.name;
      if (def.mutability === "immutable" && bv !== undefined && !same(bv, av)) {
        return fail(badRequest("mutability", `Attribute '${label}' is immutable and cannot be changed`));
      }
      if (def.multiValued || !isPlainObject(bv)) continue;
      for (const sub of def.subAttributes ?? []) {
        if (sub.mutability !== "immutable" || bv[sub.name] === undefined) continue;
        const after = isPlainObject(av) ? av[sub.name] : undefined;
        if (!same(bv[sub.name], after)) {
          return fail(badRequest("mutability", `Attribute '${label}.${sub.name}' is immutable and cannot be changed`));
        }
      }
    }
  }
  return ok(undefined);
}
