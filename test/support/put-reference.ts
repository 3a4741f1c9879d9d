// A reference POST and PUT of /Users and /Groups for the differential test: RFC 7644 §3.3 (create) and §3.5.1
// (replace) over the attribute characteristics of RFC 7643 §2.2–§2.5, §4.1–§4.3, plus the create shapes of
// ../shared/entra.md and the choices scimd's README documents; written from those texts, not from src. The value
// rules (types, `""`/null as unassigned, primaries) are the PATCH reference's, so both tests read the RFC alike.
import { coerce, elementsOf, isObject, type Outcome, refuse, Refusal, sameText, tidy } from "./patch-reference";
import { CORE_GROUP, CORE_USER, type Def, findDef, GROUP_RESOURCE, USER_RESOURCE } from "./patch-schema";

type Doc = Record<string, unknown>;

const ENTERPRISE = USER_RESOURCE.extension!.urn;
const startsWithUrn = (key: string, urn: string) => key.toLowerCase().startsWith(`${urn.toLowerCase()}:`);

function refused(e: unknown): Outcome {
  if (e instanceof Refusal) return { ok: false, status: e.status, scimType: e.scimType, why: e.why };
  throw e;
}

/** RFC 7643 §4.1.1 and §4.2: the unique name is REQUIRED, and unique in the tenant in any case (entra.md: 409). */
function checkName(doc: Doc, name: string, taken: string[]) {
  const value = doc[name];
  if (typeof value !== "string" || value === "") refuse("invalidValue", `${name} is required`);
  if (taken.some((t) => sameText(undefined, t, value))) throw new Refusal("uniqueness", `${name} taken`, 409);
}

/** One attribute of the body into `container`; readOnly ones (id, meta, groups) are ignored (RFC 7643 §2.2). */
function assign(container: Doc, def: Def, raw: unknown) {
  if (def.readOnly) return;
  const value = def.multi ? elementsOf(def, raw) : coerce(def, raw);
  if (value === undefined) delete container[def.name];
  else container[def.name] = value;
}

export interface UserWrite {
  /** PUT: the user as GET returns it; POST: none. */
  stored?: Doc;
  /** The other users' userNames. */
  taken: string[];
}

/**
 * The user a POST or PUT of `body` leaves, or the refusal. `password` says what it did to the (never returned)
 * password. README: a PUT that omits `active` or `password` keeps the stored one; null clears it, and a cleared or
 * never given `active` is the default, true. Unknown attributes and schema URNs are dropped, and `schemas` is not
 * checked (entra.md: misspelt URNs come on create).
 */
export function referenceUserWrite(body: Doc, w: UserWrite): Outcome {
  const rs = USER_RESOURCE;
  const doc: Doc = {};
  const extension: Doc = {};
  let password: unknown;
  let namesPassword = false;
  let namesActive = false;
  const put = (container: Doc, defs: Def[], name: string, raw: unknown) => {
    const def = findDef(defs, name);
    if (!def) return; // RFC 7644 §3.3: the service provider drops what it does not define (README: as PATCH skips it)
    if (def.writeOnly) {
      namesPassword = true;
      password = coerce(def, raw);
      return;
    }
    if (def.name === "active") namesActive = true;
    assign(container, def, raw);
  };
  try {
    for (const [key, raw] of Object.entries(body)) {
      if (key.toLowerCase() === "schemas") continue;
      if (key.toLowerCase() === ENTERPRISE.toLowerCase()) {
        if (raw === null) continue;
        if (!isObject(raw)) return refuse("invalidValue", "the extension takes an object");
        for (const [k, v] of Object.entries(raw)) put(extension, rs.extension!.attributes, k, v);
      } else if (startsWithUrn(key, ENTERPRISE)) put(extension, rs.extension!.attributes, key.slice(ENTERPRISE.length + 1), raw);
      else if (startsWithUrn(key, CORE_USER)) put(doc, rs.core, key.slice(CORE_USER.length + 1), raw);
      else if (!key.toLowerCase().startsWith("urn:")) put(doc, rs.core, key, raw);
    }
    if (Object.keys(extension).length) doc[ENTERPRISE] = extension;
    if (doc.active === undefined) doc.active = w.stored && !namesActive ? w.stored.active : true;
    tidy(rs, doc);
    checkName(doc, "userName", w.taken);
    if (!namesPassword) return { ok: true, user: doc };
    return { ok: true, user: doc, password: password === undefined ? "clear" : "set" };
  } catch (e) {
    return refused(e);
  }
}

/** A resource a member may name. */
export interface Member {
  id: string;
  kind: "User" | "Group";
  /** What a member's `display` shows without a label: a user's displayName, else its userName; a group's displayName. */
  name: string;
}

export interface GroupWrite {
  /** PUT: the group's id. */
  selfId?: string;
  /** The other groups' displayNames. */
  taken: string[];
  /** Every user and group of the tenant. */
  directory: Member[];
  /** The tenant's base URL, for members' `$ref`. */
  base: string;
}

const field = (e: Doc, name: string) => Object.entries(e).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/**
 * README: a member element without a non-empty string `value`, with a `type` other than User or Group, or with a
 * `display`, `displayName` or `$ref` that is neither a string nor null is invalidValue; a member naming no resource
 * of the tenant is skipped, one named twice is stored once (the first mention wins), its id matches in any case.
 */
function members(raw: unknown, w: GroupWrite): Doc[] {
  const out = new Map<string, Doc>();
  for (const element of Array.isArray(raw) ? raw : raw === null || raw === "" ? [] : [raw]) {
    const e: Doc = typeof element === "string" ? { value: element } : isObject(element) ? element : refuse("invalidValue", "a member is an object");
    const value = field(e, "value");
    if (typeof value !== "string" || value === "") refuse("invalidValue", "a member needs a non-empty string value");
    const type = field(e, "type");
    if (type !== undefined && type !== null && type !== "" && (typeof type !== "string" || !["user", "group"].includes(type.toLowerCase()))) {
      refuse("invalidValue", `member type ${String(type)}`);
    }
    for (const label of ["display", "displayName", "$ref"]) {
      const v = field(e, label);
      if (v !== undefined && v !== null && typeof v !== "string") refuse("invalidValue", `member ${label} must be a string`);
    }
    const found = w.directory.find((m) => m.id.toLowerCase() === String(value).toLowerCase());
    if (!found) continue;
    if (typeof type === "string" && type !== "" && type.toLowerCase() !== found.kind.toLowerCase()) refuse("invalidValue", "member type names the other kind");
    if (found.id === w.selfId) refuse("invalidValue", "a group cannot be a member of itself");
    if (out.has(found.id)) continue;
    // README: Microsoft's `displayName` is read when `display` is absent or null; a label equal to the name is none.
    const label = (field(e, "display") ?? field(e, "displayName")) as string | null | undefined;
    const display = label === undefined || label === null || label === "" ? found.name : label;
    out.set(found.id, { value: found.id, $ref: `${w.base}/${found.kind}s/${found.id}`, display, type: found.kind });
  }
  return [...out.values()];
}

/** The group a POST or PUT of `body` leaves (RFC 7643 §4.2), or the refusal. */
export function referenceGroupWrite(body: Doc, w: GroupWrite): Outcome {
  const doc: Doc = {};
  try {
    for (const [key, raw] of Object.entries(body)) {
      const name = startsWithUrn(key, CORE_GROUP) ? key.slice(CORE_GROUP.length + 1) : key;
      if (name.toLowerCase() === "members") {
        const list = members(raw, w);
        if (list.length) doc.members = list;
        else delete doc.members;
        continue;
      }
      const def = findDef(GROUP_RESOURCE.core, name);
      if (def) assign(doc, def, raw);
    }
    doc.schemas = [CORE_GROUP];
    checkName(doc, "displayName", w.taken);
    return { ok: true, user: doc };
  } catch (e) {
    return refused(e);
  }
}
