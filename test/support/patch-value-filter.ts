// The valFilter of a PATCH valuePath (RFC 7644 §3.4.2.2, §3.5.2) for the PATCH reference: comparisons on the
// sub-attributes of one value, `pr`, `and` (binding tighter than `or`), `or`, `not (…)` and parentheses; operators
// and names in any case. Written from the RFC's grammar, apart from src/scim/filter.
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

/** Whether one value of the multi-valued attribute `def` matches (strings compared without case: none is caseExact). */
export function matchesValue(def: Def, e: Doc, f: ValueFilter): boolean {
  if (f.k === "and" || f.k === "or") {
    const left = matchesValue(def, e, f.left);
    return f.k === "and" ? left && matchesValue(def, e, f.right) : left || matchesValue(def, e, f.right);
  }
  if (f.k === "not") return !matchesValue(def, e, f.inner);
  const sub = findDef(def.sub, f.attr);
  const v = sub ? e[sub.name] : undefined;
  if (f.k === "pr") return v !== undefined && v !== null && v !== "";
  if (typeof v === "boolean" || typeof f.value === "boolean") return f.op === "eq" && v === f.value;
  if (typeof v !== "string" || typeof f.value !== "string") return false;
  const [a, b] = sub?.caseExact ? [v, f.value] : [v.toLowerCase(), f.value.toLowerCase()];
  switch (f.op) {
    case "eq":
      return a === b;
    case "co":
      return a.includes(b);
    case "sw":
      return a.startsWith(b);
    case "ew":
      return a.endsWith(b);
    default:
      throw new Error(`unmodelled operator ${f.op}`);
  }
}

/** The value an `eq` filter (or `and` of them) describes, for Entra's value paths on values not there yet (entra.md). */
export function describedValue(def: Def, f: ValueFilter): Doc | undefined {
  if (f.k === "and" || f.k === "or") {
    const [l, r] = [describedValue(def, f.left), describedValue(def, f.right)];
    return f.k === "and" && l && r ? { ...l, ...r } : undefined;
  }
  if (f.k !== "cmp" || f.op !== "eq" || f.value === null) return undefined;
  const sub = findDef(def.sub, f.attr);
  return sub ? { [sub.name]: f.value } : undefined;
}
