import { badRequest, fail, ok, type Result } from "../../errors.ts";
import { coerceValue as schemaValue } from "../schema/coerce.ts";
import type { ResourceTypeName, SchemaRegistry } from "../schema/registry.ts";
import { type Comparisons, comparisonsIn, spend } from "./comparisons.ts";
import { coerceElements, coerceValue, findSubAttribute, isEmptyValue } from "./coerce.ts";
import { deleteKey, ensureObject, findKey, findObject, getKey, isObject, type JsonObject, pruneEmpty, setKey } from "./json.ts";
import { memberOperation } from "./member-ops.ts";
import { appendElements, setEverySub, setFiltered } from "./multi-valued.ts";
import { removeEverySub, removeFiltered, removeListed } from "./multi-valued-remove.ts";
import { type PatchTarget, resolvePatchPath } from "./patch-path.ts";
import type { MemberOp, PatchOperation, PatchOpName } from "./types.ts";

type AttributeTarget = Extract<PatchTarget, { kind: "attribute" }>;

/**
 * The state one PatchOp request works on: a copy of the resource and the member changes so far. The copy is
 * shallow: a top-level value is copied (deeply) only when an operation is about to change it (`own`), so
 * the input is never modified and the values no operation touched stay the input's own.
 */
export interface PatchContext {
  registry: SchemaRegistry;
  resourceType: ResourceTypeName;
  doc: JsonObject;
  members: MemberOp[];
  /** Top-level keys of `doc` whose values are private copies. */
  owned: Set<string>;
  /** What the operations so far compared (see comparisons.ts). */
  comparisons: Comparisons;
  /** Core attributes the operations so far addressed (see PatchResult.named). */
  named: Set<string>;
}

function own(ctx: PatchContext, name: string) {
  const key = findKey(ctx.doc, name);
  if (key === undefined || ctx.owned.has(key)) return;
  ctx.owned.add(key);
  const value = ctx.doc[key];
  if (typeof value === "object" && value !== null) ctx.doc[key] = JSON.parse(JSON.stringify(value));
}

export function applyOperation(ctx: PatchContext, { op, path, value }: PatchOperation): Result<void> {
  if (path !== undefined) return applyAt(ctx, op, path, value, false);
  // §3.5.2.1/§3.5.2.3 without a path: each key of the value is a target of its own. Keys may be dotted
  // (`name.givenName`) or URN-qualified (Entra with aadOptscim062020).
  for (const [key, item] of Object.entries(value as JsonObject)) {
    if (key.toLowerCase() === "schemas") continue; // rebuilt from the attributes present
    const r = applyAt(ctx, op, key, item, true);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

function applyAt(ctx: PatchContext, op: PatchOpName, path: string, value: unknown, pathless: boolean): Result<void> {
  const target = resolvePatchPath(ctx.registry, ctx.resourceType, path);
  if (!target.ok) {
    // A path-less value may carry the whole resource back, id and meta included: those are ignored, as on POST.
    const readOnly = target.error.scimType === "mutability";
    return pathless && readOnly ? ok(undefined) : target;
  }
  if (target.value.kind === "unknown") return ok(undefined);
  if (target.value.kind === "attribute") return applyToAttribute(ctx, op, target.value, value);
  const urn = target.value.schema.id;
  if (op === "remove" || isEmptyValue(value)) {
    deleteKey(ctx.doc, urn);
    return ok(undefined);
  }
  if (!isObject(value)) return fail(badRequest("invalidValue", `The value for "${urn}" must be an object.`));
  for (const [key, item] of Object.entries(value)) {
    const r = applyAt(ctx, op, `${urn}:${key}`, item, pathless);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

function applyToAttribute(ctx: PatchContext, op: PatchOpName, target: AttributeTarget, value: unknown): Result<void> {
  const { attribute, parent, filter, sub } = target;
  if (ctx.resourceType === "Group" && parent.length === 0 && attribute.name === "members") {
    const r = memberOperation(op, value, filter, sub?.name);
    if (r.ok && r.value) ctx.members.push(r.value);
    return r.ok ? ok(undefined) : r;
  }
  if (parent.length === 0) ctx.named.add(attribute.name);
  own(ctx, parent[0] ?? attribute.name);
  if (op === "remove") return remove(ctx, target, value);
  if (op === "add" && Array.isArray(value) && value.length === 0) return ok(undefined);
  // entra.md: `""` or `null` clears an attribute.
  if (isEmptyValue(value)) return remove(ctx, target, undefined);
  const valid = checkValue(target, value);
  if (!valid.ok) return valid;

  const container = ensureObject(ctx.doc, parent);
  const current = getKey(container, attribute.name);
  const elements = Array.isArray(current) ? current : [];
  if (filter) {
    const allowed = spend(ctx.comparisons, elements, comparisonsIn(filter));
    if (!allowed.ok) return allowed;
    const r = setFiltered(attribute, elements, filter, sub, value, op === "add");
    if (r.ok) setKey(container, attribute.name, r.value);
    return r.ok ? ok(undefined) : r;
  }
  if (sub && attribute.multiValued) {
    const allowed = spend(ctx.comparisons, elements);
    if (!allowed.ok) return allowed;
    // `emails.value` with no filter: every element, or a new one when there is none.
    const r = setEverySub(attribute, elements, sub, value);
    if (!r.ok) return r;
    setKey(container, attribute.name, r.value);
  } else if (sub) {
    setKey(ensureObject(container, [attribute.name]), sub.name, coerceValue(sub, value));
  } else if (attribute.multiValued) {
    // §3.5.2.1: add appends; §3.5.2.3: replace without a filter replaces the whole attribute.
    const added = coerceElements(attribute, value);
    const next = op === "add" ? appendElements(attribute, elements, added) : added;
    setKey(container, attribute.name, next);
  } else if (attribute.type === "complex") {
    return mergeComplex(container, target, value);
  } else {
    // entra.md: add on a single-valued attribute that has a value replaces it (also `active`).
    setKey(container, attribute.name, coerceValue(attribute, value));
  }
  return ok(undefined);
}

/**
 * §3.5.2: "Each operation against an attribute MUST be compatible with the attribute's ... schema": the value of
 * each operation is checked as POST would check it, so that a later operation cannot hide a wrong one.
 */
function checkValue({ attribute, filter, sub }: AttributeTarget, value: unknown): Result<void> {
  // Through a filter, the value is one element of the multi-valued attribute.
  const def = sub ?? (filter ? { ...attribute, multiValued: false } : attribute);
  const r = schemaValue(def, value, sub ? `${attribute.name}.${sub.name}` : attribute.name);
  return r.ok ? ok(undefined) : r;
}

/**
 * §3.5.2.3: for a complex attribute "Sub-attributes that are not specified in the "value" parameter are
 * left unchanged"; add behaves the same. A bare string stands for `{value}` (Entra's `manager`). Keys that
 * name no sub-attribute are ignored, as on POST.
 */
function mergeComplex(container: JsonObject, { attribute }: AttributeTarget, value: unknown): Result<void> {
  const object = isObject(value) ? value : coerceValue(attribute, value);
  if (!isObject(object)) {
    return fail(badRequest("invalidValue", `The value for "${attribute.name}" must be an object.`));
  }
  const node = ensureObject(container, [attribute.name]);
  for (const [key, item] of Object.entries(object)) {
    const sub = findSubAttribute(attribute, key);
    if (!sub) continue;
    if (isEmptyValue(item)) deleteKey(node, sub.name);
    else setKey(node, sub.name, coerceValue(sub, item));
  }
  if (Object.keys(node).length === 0) deleteKey(container, attribute.name);
  return ok(undefined);
}

/** What is left of `elements` after a remove (§3.5.2.2) through a filter, of a sub-attribute, or of listed values. */
function removeElements({ attribute, filter, sub }: AttributeTarget, elements: unknown[], value: unknown): Result<unknown[]> {
  if (filter) return removeFiltered(attribute, elements, filter, sub);
  if (sub) return removeEverySub(attribute, elements, sub);
  return ok(removeListed(attribute, elements, coerceElements(attribute, value)));
}

/** §3.5.2.2. Removing what is not there is a no-op, so that retried requests stay harmless. */
function remove(ctx: PatchContext, target: AttributeTarget, value: unknown): Result<void> {
  const { doc } = ctx;
  const { attribute, parent, filter, sub } = target;
  const container = findObject(doc, parent);
  if (!container) return ok(undefined);
  const current = getKey(container, attribute.name);
  if (attribute.multiValued) {
    if (!filter && !sub && (value === undefined || value === null)) {
      deleteKey(container, attribute.name);
    } else if (Array.isArray(current)) {
      const allowed = spend(ctx.comparisons, current, filter ? comparisonsIn(filter) : 1);
      if (!allowed.ok) return allowed;
      const r = removeElements(target, current, value);
      if (!r.ok) return r;
      if (r.value.length === 0) deleteKey(container, attribute.name);
      else setKey(container, attribute.name, r.value);
    }
  } else if (sub) {
    if (isObject(current)) deleteKey(current, sub.name);
    pruneEmpty(doc, [...parent, attribute.name]);
  } else {
    deleteKey(container, attribute.name);
  }
  pruneEmpty(doc, parent);
  return ok(undefined);
}
