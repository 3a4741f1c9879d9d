// Case-insensitive filters beyond ASCII (RFC 7643 §2.2 caseExact=false): the folding table, then filterToSql
// on a real SQLite database against a reference written independently, on random names in several scripts.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { migrate } from "../../../src/db/migrate.ts";
import { parseFilter } from "../../../src/scim/filter/parser.ts";
import { foldSql } from "../../../src/scim/filter/sql-fold.ts";
import { filterToSql, sortToSql } from "../../../src/scim/filter/to-sql.ts";
import { foldCase, foldPairs, unicodeFold } from "../../../src/scim/unicode-fold.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";

describe("unicodeFold", () => {
  test.each([
    ["plain TEXT", undefined],
    // RFC 7643 §2.2 caseExact=false: ASCII k and s have non-ASCII forms (K Kelvin sign, ſ long s) a column may hold.
    ["Kelvins", { text: "kelvins", replacements: [["\u212a", "k"], ["ſ", "s"]] }],
    ["日本", undefined], // no case
    ["ılgın", undefined], // dotless ı has no other form Unicode folds to it
    ["Émile", { text: "émile", replacements: [["É", "é"]] }],
    ["Straße", { text: "straße", replacements: [["ſ", "s"], ["ẞ", "ß"]] }],
    ["ς", { text: "σ", replacements: [["Σ", "σ"], ["ς", "σ"]] }],
    ["ǅ", { text: "ǆ", replacements: [["Ǆ", "ǆ"], ["ǅ", "ǆ"]] }],
    ["\u212a", { text: "k", replacements: [["\u212a", "k"]] }], // the Kelvin sign folds to ASCII k
  ])("%s", (value, expected) => {
    expect(unicodeFold(value)).toEqual(expected as never);
  });

  test("k and s are the only ASCII letters with a non-ASCII case form (unicodeFold's shortcut relies on it)", () => {
    const ascii = foldPairs().filter(([, to]) => to.charCodeAt(0) < 0x80).map(([, to]) => to);
    expect([...new Set(ascii)].sort()).toEqual(["k", "s"]);
  });
});

// The reference: one character at a time, the lower case of the upper case (Unicode's simple case folding for
// these letters), dotless ı kept apart, characters whose case forms are several letters left as they are.
const single = (s: string) => [...s].length === 1;
const foldChar = (c: string) => {
  if (c === "ı") return c;
  const upper = c.toUpperCase();
  if (single(upper) && single(upper.toLowerCase())) return upper.toLowerCase();
  return single(c.toLowerCase()) ? c.toLowerCase() : c;
};
const fold = (s: string) => [...s].map(foldChar).join("");

function randomSource(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)] as T;
  return { next, pick };
}

const ALPHABET = [..."abcdeéèëàäöüçñøåæœßẞAÉÈÀÇÑØÅÆŒЖжЯяПпИиΑαΒβΔδΩωΣσςÞþĐđŁłŠšǅǄǆı "];
const OPS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const;

describe("filterToSql beyond ASCII agrees with the reference on random names", () => {
  for (const seed of [1, 2]) {
    test(`seed ${seed}: 300 names, 300 filters and a sort, on a column and on JSON data`, () => {
      const { next, pick } = randomSource(seed);
      const db = new Database(":memory:", { strict: true });
      migrate(db);
      db.run("INSERT INTO tenants (id, name, created) VALUES ('t', 't', '2020-01-01T00:00:00Z')");
      const insert = db.query(`INSERT INTO users (tenant_id, id, user_name, user_name_key, display_name, active, data,
        created, last_modified) VALUES ('t', ?, ?, ?, ?, 1, ?, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')`);
      const names = Array.from({ length: 300 }, (_, i) => {
        const name = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(ALPHABET)).join("");
        insert.run(`u${i}`, `u${i}`, `u${i}`, name, JSON.stringify({ title: name }));
        return name;
      });
      const recase = (s: string) => [...s].map((c) => (next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).map((c, i) => (single(c) ? c : [...s][i])).join("");
      const registry = createRegistry();
      const mismatches: string[] = [];
      for (let k = 0; k < 300; k++) {
        const op = pick([...OPS]);
        const name = pick(names);
        const part = op === "eq" || op === "ne" ? name : name.slice(Math.floor((next() * name.length) / 2), name.length - Math.floor(next() * 2));
        const value = recase(part);
        const attribute = pick(["displayName", "title"]);
        const parsed = parseFilter(`${attribute} ${op} "${value}"`);
        if (!parsed.ok) throw new Error(parsed.error.detail);
        const sql = filterToSql(parsed.value, { registry, resourceType: "User", alias: "r" });
        if (!sql.ok) throw new Error(sql.error.detail);
        const rows = db.query(`SELECT r.id FROM users r WHERE r.tenant_id = 't' AND (${sql.value.sql}) ORDER BY r.rowid`).all(...sql.value.params) as { id: string }[];
        const v = fold(value);
        // Ordered by code point (the alphabet lies below the surrogates, where UTF-16 and UTF-8 orders agree).
        const matches = (n: string) =>
          ({ eq: n === v, ne: n !== v, co: n.includes(v), sw: n.startsWith(v), ew: n.endsWith(v), gt: n > v, ge: n >= v, lt: n < v, le: n <= v })[op];
        const expected = names.flatMap((n, i) => (matches(fold(n)) ? [`u${i}`] : []));
        if (JSON.stringify(rows.map((r) => r.id)) !== JSON.stringify(expected)) mismatches.push(`${attribute} ${op} "${value}"`);
      }
      for (const attribute of ["displayName", "title"]) {
        const expr = sortToSql({ registry, resourceType: "User", alias: "r" }, attribute);
        if (!expr.ok) throw new Error(expr.error.detail);
        const sorted = db.query(`SELECT r.id FROM users r WHERE r.tenant_id = 't' ORDER BY ${expr.value}, r.pk`).all() as { id: string }[];
        const byFold = names.map((n, i) => ({ k: fold(n), i })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
        if (JSON.stringify(sorted.map((r) => r.id)) !== JSON.stringify(byFold.map((x) => `u${x.i}`))) mismatches.push(`sortBy=${attribute}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});

// RFC 7643 §2.2: ordering and sortBy need the whole value folded in SQL (sql-fold.ts, through migration 9's
// case_fold table), letter for letter as foldCase folds it in JavaScript.
describe("foldSql", () => {
  const db = new Database(":memory:", { strict: true });
  migrate(db);
  const folded = (value: string) => (db.query(`SELECT ${foldSql("v.x")} AS f FROM (SELECT ?1 AS x) v`).get(value) as { f: string }).f;
  test("every letter with another case form folds as foldCase folds it", () => {
    const letters = foldPairs().flatMap(([from, to]) => [from, to]).join("");
    expect(folded(letters)).toBe(foldCase(letters));
    expect(letters.length).toBeGreaterThan(2000);
  });
  test.each(["", "Plain ASCII ~!", "Émile ZOLA", "ΣΟΦΙΑΣ σοφιας", "STRAẞE", "\u212a", "日本 Ilgın", "a'b\"c%_", "😀É"])("%p", (value) => {
    expect(folded(value)).toBe(foldCase(value));
  });
});
