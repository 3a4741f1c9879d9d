// Seeded `attributes` / `excludedAttributes` lists (RFC 7644 §3.4.2.5, §3.9) over the names /Schemas advertises:
// top-level names, sub-attributes, meta's, URN-qualified names (core and extensions, an extension's URN alone),
// names in other letter cases, repeated names, and names the resource type does not define.
import { spell, type Rng } from "./patch-generator";
import type { AttrDef, Projection, ResourceDefs } from "./projection-reference";

const META = ["resourceType", "created", "lastModified", "location", "version"];

const namesOf = (attrs: AttrDef[], prefix = ""): string[] =>
  attrs.flatMap((a) => [`${prefix}${a.name}`, ...(a.subAttributes ?? []).map((s) => `${prefix}${a.name}.${s.name}`)]);

const hasRequestAttribute = (attrs: AttrDef[]) => attrs.some((a) => a.returned === "request");

/**
 * Every name worth sending for one resource type. Left out on purpose (RFC 7644 does not settle them, see the
 * test's header): the core schema's URN alone, `id` and `meta` qualified with the core URN, the URN alone of
 * an extension holding a "request" attribute, and a URN followed by ":" and nothing (scimd reads it as the URN).
 */
export function projectableNames(defs: ResourceDefs, otherType: string[]): { known: string[]; unknown: string[] } {
  const core = defs.core.id;
  const coreNames = namesOf(defs.core.attributes);
  const known = [
    "id", "meta", ...META.map((m) => `meta.${m}`), "schemas",
    ...coreNames,
    ...coreNames.map((n) => `${core}:${n}`),
    ...defs.extensions.flatMap((e) => [...(hasRequestAttribute(e.attributes) ? [] : [e.id]), ...namesOf(e.attributes, `${e.id}:`)]),
  ];
  const complex = defs.core.attributes.find((a) => a.subAttributes);
  const parent = complex?.name ?? "meta";
  const child = complex?.subAttributes?.[0].name ?? "created";
  const simple = defs.core.attributes.find((a) => !a.subAttributes)?.name ?? "id";
  // Not standard attribute notation either (§3.10): "attr." and ".attr", an empty or a third step, an extension
  // attribute after "." or followed by ":".
  const unknown = [
    "bogus", `${parent}.bogus`, `${simple}.x`, `${parent}.${child}.deeper`, `${parent}.`, `.${parent}`, `${parent}..${child}`,
    `${core}:bogus`, `${core}X:${simple}`, "urn:ietf:params:scim:schemas:extension:nope:2.0:User:x",
    "urn:ietf:params:scim:schemas:extension:nope:2.0:User", "meta.bogus",
    ...defs.extensions.flatMap((e) => [`${e.id}:bogus`, `${e.id}.${e.attributes[0].name}`, `${e.id}:${e.attributes[0].name}:x`]),
    ...otherType,
  ];
  return { known, unknown };
}

function someNames(r: Rng, names: { known: string[]; unknown: string[] }): string[] {
  const out: string[] = [];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const roll = r.next();
    if (roll < 0.12 && out.length > 0) out.push(spell(r, r.pick(out)));
    else out.push(spell(r, r.pick(roll < 0.25 ? names.unknown : names.known)));
  }
  return out;
}

/** One request's projection: either parameter, both, an empty one, or neither. */
export function randomProjection(r: Rng, names: { known: string[]; unknown: string[] }): Projection {
  const roll = r.next();
  if (roll < 0.4) return { attributes: someNames(r, names) };
  if (roll < 0.8) return { excludedAttributes: someNames(r, names) };
  if (roll < 0.9) return { attributes: someNames(r, names), excludedAttributes: someNames(r, names) };
  if (roll < 0.95) return r.next() < 0.5 ? { attributes: [] } : { excludedAttributes: [] };
  return {};
}

/** As a query string: the names comma-separated (§3.9); an empty list is sent as `attributes=`. */
export function projectionQuery(p: Projection): string {
  const parts: string[] = [];
  if (p.attributes) parts.push(`attributes=${encodeURIComponent(p.attributes.join(","))}`);
  if (p.excludedAttributes) parts.push(`excludedAttributes=${encodeURIComponent(p.excludedAttributes.join(","))}`);
  return parts.join("&");
}
