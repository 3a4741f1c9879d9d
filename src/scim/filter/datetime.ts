import type { CompareOperator } from "./ast.ts";

// xsd:dateTime (RFC 7643 §2.3.5), leniently: a space for 'T', any fraction length, no seconds, no zone (UTC).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

export interface ParsedDateTime {
  /** Milliseconds since the epoch, the fraction cut to milliseconds. */
  ms: number;
  /** False when digits past the millisecond were cut and not all zero. */
  exact: boolean;
  /** The digits of the fraction of a second as written, without trailing zeros. */
  fraction: string;
}

export function parseDateTime(text: string): ParsedDateTime | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v)));
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const fraction = m[7] ?? "";
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const zone = m[8] ?? "Z";
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.replace(":", "");
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  }
  // Not Date.UTC(y, …): it takes years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCDate() !== d) return undefined;
  const ms = date.setUTCHours(h, mi, s, millis) - offsetMinutes * 60_000;
  if (Number.isNaN(ms)) return undefined;
  return { ms, exact: /^0*$/.test(fraction.slice(3)), fraction: fraction.replace(/0+$/, "") };
}

// Seconds are shifted to be positive for every year 0000–9999, so that the keys have one width.
export const KEY_SHIFT = 100_000_000_000;

/**
 * A text whose order is the time order, to any fraction: whole seconds since the epoch (shifted, 12 digits), a
 * dot, the fraction's digits without trailing zeros. instantKeyOf (sql-targets.ts) builds the same in SQL.
 */
export function instantKey(parsed: ParsedDateTime): string {
  return `${String(Math.floor(parsed.ms / 1000) + KEY_SHIFT).padStart(12, "0")}.${parsed.fraction}`;
}

/** The comparison against a millisecond-precision value, or its constant result, for op and text. */
export type DateTimeComparison = { op: CompareOperator; ms: number; iso: string } | { constant: boolean };

/**
 * Values are stored as Date.toISOString() (millisecond precision). A filter value with a finer fraction
 * lies strictly between two stored instants t and t+1ms, so `ge` becomes `gt t`, `lt` becomes `le t`,
 * `eq` never matches and `ne` always does.
 */
export function dateTimeComparison(op: CompareOperator, parsed: ParsedDateTime): DateTimeComparison {
  const iso = new Date(parsed.ms).toISOString();
  if (parsed.exact) return { op, ms: parsed.ms, iso };
  if (op === "eq" || op === "ne") return { constant: op === "ne" };
  const adjusted: Partial<Record<CompareOperator, CompareOperator>> = { ge: "gt", lt: "le" };
  return { op: adjusted[op] ?? op, ms: parsed.ms, iso };
}
