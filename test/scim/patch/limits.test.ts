// How much one PATCH may make the server do (found by a review pass: a PATCH of n value-filter operations on n
// values cost n² comparisons, seconds of blocked event loop for a few thousand). RFC 7644 §3.12 tooMany: more
// than the server "is willing to calculate or process".
import { describe, expect, test } from "bun:test";
import { MAX_COMPARISONS } from "../../../src/scim/patch/comparisons.ts";
import { deepFreeze, expectError, patch, user } from "./helpers.ts";

const VALUES = 1000;
const withEmails = deepFreeze({ ...user(), emails: Array.from({ length: VALUES }, (_, i) => ({ value: `e${i}@example.com`, type: "work" })) });
const times = (n: number, op: unknown) => Array.from({ length: n }, () => op);
// Each of these compares every value once: the allowance is spent by `allowed` of them.
const walk = { op: "replace", path: "emails.display", value: "x" };
const allowed = MAX_COMPARISONS / VALUES;
const spent = times(allowed, walk);
const oneLeftPerValue = times(allowed - 1, walk);

const cases: [string, unknown[], boolean][] = [
  ["walking every value (emails.display), as often as allowed", spent, true],
  ["then once more → tooMany", [...spent, walk], false],
  ["then a value filter → tooMany", [...spent, { op: "replace", path: 'emails[type eq "work"].display', value: "y" }], false],
  ["then a remove through a value filter → tooMany", [...spent, { op: "remove", path: 'emails[value eq "nobody"]' }], false],
  ["then a remove of listed values → tooMany", [...spent, { op: "remove", path: "emails", value: [{ value: "nobody" }] }], false],
  ["then an append: it compares nothing, the values present are looked up", [...spent, { op: "add", path: "emails", value: [{ value: "new@example.com" }] }], true],
  ["a one-term filter where one comparison per value is left", [...oneLeftPerValue, { op: "replace", path: 'emails[type eq "work"].display', value: "y" }], true],
  ["a two-term filter there → tooMany: each term counts", [...oneLeftPerValue, { op: "replace", path: 'emails[type eq "work" and value sw "e"].display', value: "y" }], false],
];

describe(`at most ${MAX_COMPARISONS} comparisons with the values of multi-valued attributes per PATCH`, () => {
  test.each(cases)("%s", (_name, ops, ok) => {
    const r = patch(withEmails, ops);
    if (ok) return expect(r.ok ? "ok" : r.error.detail).toBe("ok");
    expectError(r, 400, "tooMany");
  });
});
