import { badRequest, type ScimError } from "../../errors.ts";
import { attr } from "../schema/define.ts";
import type { ResourceTypeName, SchemaRegistry } from "../schema/registry.ts";
import type { AttributeDef } from "../schema/types.ts";
import { groupClosureSql } from "../../store/group-closure.ts";
import { type AttrPath, attrPathToString } from "./ast.ts";
import { KEY_SHIFT } from "./datetime.ts";

export type SqlParam = string | number | null;
export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

export interface SqlContext {
  registry: SchemaRegistry;
  resourceType: ResourceTypeName;
  /** Alias of the main table (users or groups) in the caller's query. */
  alias: string;
  /**
   * Whether the tenant has groups in groups, asked only when a filter or sort names a User's `groups`. Without
   * nesting, those are its direct memberships, read far more cheaply. Absent: assume nesting.
   */
  nestsGroups?: () => boolean;
  /**
   * The other resource types searched together with this one (a search at the root, RFC 7644 §3.4.3): an
   * attribute only they have is one this type has no value for (§3.4.2.1), not an unknown attribute.
   */
  alongside?: readonly ResourceTypeName[];
}

/** One value per row (or per element): a column or a JSON extraction. Holds no parameters. */
export interface Scalar {
  kind: "scalar";
  def: AttributeDef;
  expr: string;
  /** SQL giving the JSON type name (json_type / json_each.type) when the value comes from JSON. */
  jsonType?: string;
  /** The column holds the value lower-cased in JS: compare it with a lower-cased parameter. */
  lowered?: boolean;
  notNull?: boolean;
}

/** A value that is the same for every row (meta.resourceType). */
export interface Constant {
  kind: "constant";
  def: AttributeDef;
  value: string;
}

/** Sub-attributes of one complex value: an element of a collection, or a singular complex attribute. */
export interface Scope {
  def: AttributeDef;
  /** `undefined` names the element itself (multi-valued attributes of a simple type). */
  element(sub: string | undefined): Scalar | Constant;
}

/** A multi-valued attribute, searched with EXISTS (SELECT 1 FROM from WHERE where AND …). */
export interface Collection {
  kind: "collection";
  def: AttributeDef;
  open(fresh: (prefix: string) => string): { from: string; where: string[]; scope: Scope; order?: string };
}

export interface ComplexValue {
  kind: "complex";
  def: AttributeDef;
  scope: Scope;
  /** The whole value as JSON, for `pr`. */
  whole: Scalar;
}

/** An attribute of another resource type searched alongside (SqlContext.alongside): no value here. */
export interface Absent {
  kind: "absent";
  /** Its definition where it exists, so that a comparison is checked as it would be there. */
  def: AttributeDef;
}

export type Target = Scalar | Constant | CollectionTarget | ComplexValue | Absent;

export const invalidFilter = (detail: string): ScimError => badRequest("invalidFilter", detail);

// Names reach SQL only from the registry; this is the second fence. Attribute names are ATTRNAME; an extension's
// key is its URN (RFC 8141 §2: letters, digits, "%", "/" and -._~!$&'()*+,;=:@), never a '"' or "\\" that would
// end the JSON path's quoted label. The one quote it may hold is doubled for the SQL string literal.
const SAFE_KEY = /^[A-Za-z0-9_$:.\-~!&'()*+,;=@/%]+$/;
export function jsonPath(keys: string[]): string {
  for (const k of keys) if (!SAFE_KEY.test(k)) throw invalidFilter(`Attribute '${k}' cannot be filtered`);
  return `'$${keys.map((k) => `."${k.replaceAll("'", "''")}"`).join("")}'`;
}

const json = (def: AttributeDef, doc: string, keys: string[]): Scalar => {
  const p = jsonPath(keys);
  return { kind: "scalar", def, expr: `json_extract(${doc}, ${p})`, jsonType: `json_type(${doc}, ${p})` };
};

/**
 * A dateTime held in JSON as instantKey (datetime.ts) makes it: its zone applied to the whole seconds by SQLite,
 * its fraction's digits taken as written (SQLite's own time functions keep milliseconds only). Stored text has
 * the shape normalize checks, YYYY-MM-DDTHH:MM:SS[.digits][Z|±hh:mm]; other text, and other types, are NULL.
 */
export function instantKeyOf(x: Scalar): Scalar {
  const text = `iif(${x.jsonType} = 'text', ${x.expr}, NULL)`;
  const zone = "iif(substr(t, -1) IN ('Z', 'z'), substr(t, -1), iif(substr(t, -6, 1) IN ('+', '-'), substr(t, -6), ''))";
  const fraction = "rtrim(iif(substr(t, 20, 1) = '.', substr(t, 21, length(t) - 20 - length(z)), ''), '0')";
  const key = `iif(unixepoch(t) IS NULL OR s IS NULL, NULL, printf('%012d', s + ${KEY_SHIFT}) || '.' || ${fraction})`;
  const expr = `(SELECT ${key} FROM (SELECT t, z, unixepoch(substr(t, 1, 19) || z) AS s FROM (SELECT t, ${zone} AS z FROM (SELECT ${text} AS t))))`;
  return { kind: "scalar", def: x.def, expr };
}

function subAttribute(parent: AttributeDef, name: string): AttributeDef {
  const lower = name.toLowerCase();
  const found = parent.subAttributes?.find((s) => s.name.toLowerCase() === lower);
  if (!found) throw invalidFilter(`Unknown attribute '${parent.name}.${name}'`);
  return found;
}

/**
 * The scope of a complex JSON value held in `doc`, or of a simple element (`simple`), which a value filter names
 * `value` (RFC 7643 §2.4; PATCH's value filters name it so too: element-edit.ts asElement).
 */
function jsonScope(def: AttributeDef, doc: (s: AttributeDef) => Scalar, simple?: { value: string; type: string }): Scope {
  return {
    def,
    element(sub) {
      if (sub === undefined || (simple && sub.toLowerCase() === "value")) {
        if (!simple) throw invalidFilter(`Attribute '${def.name}' is complex: name a sub-attribute`);
        return { kind: "scalar", def, expr: simple.value, jsonType: simple.type };
      }
      return doc(subAttribute(def, sub));
    },
  };
}

function jsonCollection(def: AttributeDef, doc: string, keys: string[]): Collection {
  return {
    kind: "collection",
    def,
    open(fresh) {
      const e = fresh("e");
      // json_extract on a non-JSON text element raises an error: only objects are parsed.
      const element = `iif(${e}.type = 'object', ${e}.value, NULL)`;
      const of = (s: AttributeDef) => json(s, element, [s.name]);
      const scope =
        def.type === "complex" ? jsonScope(def, of) : jsonScope(def, of, { value: `${e}.value`, type: `${e}.type` });
      // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else the first.
      const primary = `iif(json_extract(${element}, '$."primary"') = 1, 0, 1), ${e}.key`;
      const order = def.type === "complex" ? `${e}.type <> 'object', ${primary}` : `${e}.key`;
      return { from: `json_each(${doc}, ${jsonPath(keys)}) AS ${e}`, where: [], scope, order };
    },
  };
}

/**
 * group_members rows seen from a group (members: direct only), or a user's groups (direct and through nested
 * groups, as rendered: RFC 7643 §4.1.2).
 */
function membershipCollection(def: AttributeDef, a: string, side: "members" | "groups", nested = false): Collection {
  return {
    kind: "collection",
    def,
    open(fresh) {
      const gm = fresh("gm");
      const other = side === "members" ? "member_id" : "group_id";
      const scope: Scope = {
        def,
        element(sub) {
          const s = subAttribute(def, sub ?? "value");
          const column = (expr: string): Scalar => ({ kind: "scalar", def: s, expr, notNull: true });
          // RFC 7643 §8.7.1 (and /Schemas) has value caseExact false. The ids it holds are UUIDs scimd makes, in
          // lower-case hex, so the column is its own case-folded key: the folded parameter meets the raw column
          // and its index, as userName's key column does.
          if (s.name === "value") return { ...column(`${gm}.${other}`), lowered: true };
          if (side === "members" && s.name === "type") return column(`${gm}.member_type`);
          if (side === "groups" && s.name === "type") {
            return nested ? column(`iif(${gm}.direct, 'direct', 'indirect')`) : { kind: "constant", def: s, value: "direct" };
          }
          if (side === "groups" && s.name === "display") {
            const g = fresh("g");
            const name = `(SELECT ${g}.display_name FROM groups ${g} WHERE ${g}.tenant_id = ${a}.tenant_id AND ${g}.id = ${gm}.group_id)`;
            return { kind: "scalar", def: s, expr: name };
          }
          if (side === "members" && s.name === "display") return { kind: "scalar", def: s, expr: memberDisplaySql(gm, fresh) };
          throw invalidFilter(`Attribute '${def.name}.${s.name}' cannot be filtered`);
        },
      };
      const own = side === "members" ? "group_id" : "member_id";
      const where = [`${gm}.tenant_id = ${a}.tenant_id`, `${gm}.${own} = ${a}.id`];
      if (!nested) return { from: `group_members ${gm}`, where, scope };
      // Users in no group are answered by an index probe before any climb is set up.
      const inAny = `EXISTS (SELECT 1 FROM group_members ${gm}0 WHERE ${gm}0.tenant_id = ${a}.tenant_id AND ${gm}0.member_id = ${a}.id)`;
      return { from: `(${groupClosureSql(`${a}.tenant_id`, `${a}.id`)}) ${gm}`, where: [inAny], scope };
    },
  };
}

/**
 * A member's display as GET shows it (README): the label a client gave it, else its current name (a user's
 * displayName, else its userName; a group's displayName). Never NULL: every member row names an existing resource.
 */
function memberDisplaySql(gm: string, fresh: (prefix: string) => string): string {
  const [u, g] = [fresh("u"), fresh("g")];
  const user = `(SELECT coalesce(${u}.display_name, ${u}.user_name) FROM users ${u} WHERE ${u}.tenant_id = ${gm}.tenant_id AND ${u}.id = ${gm}.member_id)`;
  const group = `(SELECT ${g}.display_name FROM groups ${g} WHERE ${g}.tenant_id = ${gm}.tenant_id AND ${g}.id = ${gm}.member_id)`;
  return `coalesce(${gm}.display, iif(${gm}.member_type = 'User', ${user}, ${group}))`;
}

const SCHEMAS = attr("schemas", "The schema URIs of the resource (RFC 7643 §3).", {
  type: "reference",
  multiValued: true,
});

type Column = { column: string; lowered?: boolean } | { constant: true };
const COLUMNS: Record<ResourceTypeName, Record<string, Column>> = {
  User: {
    id: { column: "id" },
    userName: { column: "user_name_key", lowered: true },
    externalId: { column: "external_id" },
    active: { column: "active" },
    displayName: { column: "display_name" },
    "meta.created": { column: "created" },
    "meta.lastModified": { column: "last_modified" },
    "meta.resourceType": { constant: true },
  },
  Group: {
    id: { column: "id" },
    displayName: { column: "display_name_key", lowered: true },
    externalId: { column: "external_id" },
    "meta.created": { column: "created" },
    "meta.lastModified": { column: "last_modified" },
    "meta.resourceType": { constant: true },
  },
};
const NOT_NULL = new Set(["id", "user_name_key", "display_name_key", "active", "created", "last_modified"]);

/** Resolves a top-level attribute path through the registry (the allow-list) to what SQL can read. */
export function resolveTarget(ctx: SqlContext, path: AttrPath): Target {
  const a = ctx.alias;
  const text = attrPathToString(path);
  if (text.toLowerCase() === "schemas") return jsonCollection(SCHEMAS, `${a}.data`, ["schemas"]);
  const found = ctx.registry.findAttribute(ctx.resourceType, text);
  if (!found) return absentOrUnknown(ctx, text);
  const { attribute, subAttribute: sub, canonicalPath } = found;
  const def = sub ?? attribute;
  if (def.returned === "never") throw invalidFilter(`Attribute '${text}' cannot be filtered`);
  const key = canonicalPath.join(".");
  const column = COLUMNS[ctx.resourceType][key];
  if (column && "constant" in column) return { kind: "constant", def, value: ctx.resourceType };
  if (column) {
    const notNull = NOT_NULL.has(column.column);
    return { kind: "scalar", def, expr: `${a}.${column.column}`, lowered: column.lowered, notNull };
  }
  if (attribute.name === "meta") throw invalidFilter(`Attribute '${text}' cannot be filtered`);
  const name = found.extension ? "" : attribute.name;
  if (ctx.resourceType === "Group" && name === "members") {
    return withSub(membershipCollection(attribute, a, "members"), sub);
  }
  if (ctx.resourceType === "User" && name === "groups") {
    return withSub(membershipCollection(attribute, a, "groups", ctx.nestsGroups?.() ?? true), sub);
  }
  const attrKeys = sub ? canonicalPath.slice(0, -1) : canonicalPath;
  if (attribute.multiValued) return withSub(jsonCollection(attribute, `${a}.data`, attrKeys), sub);
  if (sub) return json(sub, `${a}.data`, canonicalPath);
  if (attribute.type !== "complex") return json(attribute, `${a}.data`, canonicalPath);
  const whole = json(attribute, `${a}.data`, canonicalPath);
  const scope = jsonScope(attribute, (s) => json(s, `${a}.data`, [...canonicalPath, s.name]));
  return { kind: "complex", def: attribute, whole, scope };
}

/** RFC 7643 §2.4: a complex attribute compared as a whole means its `value` sub-attribute. */
export function valueDef(def: AttributeDef): AttributeDef {
  const value = def.subAttributes?.find((s) => s.name === "value");
  if (!value) throw invalidFilter(`Attribute '${def.name}' is complex and has no value to compare`);
  return value;
}

export const valueSub = (def: AttributeDef): string => valueDef(def).name;

function absentOrUnknown(ctx: SqlContext, text: string): Absent {
  for (const other of ctx.alongside ?? []) {
    const found = ctx.registry.findAttribute(other, text);
    if (!found) continue;
    const def = found.subAttribute ?? found.attribute;
    if (def.returned === "never") throw invalidFilter(`Attribute '${text}' cannot be filtered`);
    return { kind: "absent", def };
  }
  throw invalidFilter(`Unknown attribute '${text}'`);
}

/** A collection reached through a sub-attribute path (`emails.value`) remembers which sub-attribute. */
export type CollectionTarget = Collection & { sub?: string };
const withSub = (c: Collection, sub: AttributeDef | undefined): CollectionTarget => (sub ? { ...c, sub: sub.name } : c);
