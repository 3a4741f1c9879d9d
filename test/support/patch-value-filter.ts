// The valFilter of a PATCH valuePath (RFC 7644 §3.4.2.2, §3.5.2) for the PATCH reference: comparisons on the
// sub-attributes of one value, `pr`, `and` (binding tighter than `or`), `or`, `not (…)` and parentheses; operators
// and names in any case. Written from the RFC's grammar, apart from src/scim/filter.
import { type AttrInfo, type CompareOp, type FilterValue, referenceIds, type RefFilter, type RefSchemas } from "./filter-reference";
import { type Def, findDef } from "./patch-schema";

type Doc = Record<string, unknown>;
export type ValueFilter =
  | { k: "cmp"; attr: string; op: string; value: string | boolean | number | null }
  | { k: "pr"; attr: string }
  | { k: "and"; left: ValueFilter; right: ValueFilter }
  | { k: "or"; left: ValueFilter; right: ValueFilter }
  | { k: "not"; inner: ValueFilter };

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|\(|\)|[^\s()"]+)/y;

/** The filter, or undefined when the text is no valFilter (→ invalidFilter). */
export function parseValueFilter(text: string): ValueFilter | undefined {
  const tokens: string[] = [];
  let pos = 0;
  for (;;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) break;
    tokens.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  if (text.slice(pos).trim() !== "") return undefined;
  let at = 0;
  const peek = () => tokens[at]?.toLowerCase();
  const or = (): ValueFilter | undefined => {
    let left = and();
    while (left && peek() === "or") {
      at++;
      const right = and();
      left = right && { k: "or", left, right };
    }
    return left;
  };
  const and = (): ValueFilter | undefined => {
    let left = unary();
    while (left && peek() === "and") {
      at++;
      const right = unary();
      left = right && { k: "and", left, right };
    }
    return left;
  };
  const unary = (): ValueFilter | undefined => {
    if (peek() === "not") {
      at++;
      if (tokens[at++] !== "(") return undefined;
      const inner = or();
      return inner && tokens[at++] === ")" ? { k: "not", inner } : undefined;
    }
    if (peek() === "(") {
      at++;
      const inner = or();
      return inner && tokens[at++] === ")" ? inner : undefined;
    }
    const attr = tokens[at++];
    if (!attr || !/^[A-Za-z$][\w$-]*$/.test(attr)) return undefined;
    const op = tokens[at++]?.toLowerCase();
    if (op === "pr") return { k: "pr", attr };
    if (!["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"].includes(op ?? "")) return undefined;
    const raw = tokens[at++];
    if (raw === undefined) return undefined;
    let value: string | boolean | number | null;
    if (raw.startsWith('"')) value = JSON.parse(raw) as string;
    else if (/^(true|false|null)$/i.test(raw)) value = raw.toLowerCase() === "null" ? null : raw.toLowerCase() === "true";
    else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    else return undefined;
    return { k: "cmp", attr, op: op as string, value };
  };
  const filter = or();
  return filter && at === tokens.length ? filter : undefined;
}

// Comparing: a PATCH valFilter reads as the same filter would in a GET (RFC 7644 §3.5.2 refers to §3.4.2.2 for
// its grammar and meaning), so an element matches exactly when GET ?filter=attr[valFilter] would select a resource
// holding that one element: the GET filter reference (filter-reference.ts) decides, refusals included.
const info = (d: Def): AttrInfo => ({
  name: d.name,
  type: d.type,
  multiValued: d.multi === true,
  caseExact: d.caseExact === true,
  ...(d.sub ? { subAttributes: d.sub.map(info) } : {}),
});
const schemasOf = (def: Def): RefSchemas => ({ core: { id: "urn:patch-reference:element", attributes: [info(def)] }, extensions: [] });

function asRef(f: ValueFilter): RefFilter {
  switch (f.k) {
    case "and":
    case "or":
      return { k: f.k, left: asRef(f.left), right: asRef(f.right) };
    case "not":
      return { k: "not", filter: asRef(f.inner) };
    case "pr":
      return { k: "pr", path: { name: f.attr } };
    default: {
      const value: FilterValue = typeof f.value === "string" ? { quoted: true, text: f.value } : { quoted: false, text: String(f.value) };
      return { k: "cmp", path: { name: f.attr }, op: f.op as CompareOp, value };
    }
  }
}

const selects = (def: Def, e: Doc, f: ValueFilter) =>
  referenceIds(schemasOf(def), { k: "vp", path: { name: def.name }, filter: asRef(f) }, [{ id: "e", [def.name]: [e] }]);

/** Whether GET would refuse the filter (400 invalidFilter): an ordering of a boolean, an unknown name, … */
export const refusedFilter = (def: Def, f: ValueFilter): boolean => selects(def, {}, f) === "refused";

/** Whether one value of the multi-valued attribute `def` matches (the filter is one refusedFilter accepts). */
export function matchesValue(def: Def, e: Doc, f: ValueFilter): boolean {
  const ids = selects(def, e, f);
  if (ids === "refused") throw new Error("matchesValue on a refused filter");
  return ids.length === 1;
}

/** The value an `eq` filter (or `and` of them) describes, for Entra's value paths on values not there yet (entra.md). */
export function describedValue(def: Def, f: ValueFilter): Doc | undefined {
  if (f.k === "and" || f.k === "or") {
    const [l, r] = [describedValue(def, f.left), describedValue(def, f.right)];
    return f.k === "and" && l && r ? { ...l, ...r } : undefined;
  }
  if (f.k !== "cmp" || f.op !== "eq" || f.value === null) return undefined;
  const sub = findDef(def.sub, f.attr);
  if (!sub) return undefined;
  // GET reads a quoted "true" compared with a boolean as the boolean (filter-reference.ts); so does the value it describes.
  const value = sub.type === "boolean" && typeof f.value === "string" ? f.value.toLowerCase() === "true" : f.value;
  return { [sub.name]: value };
}
