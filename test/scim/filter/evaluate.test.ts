import { describe, expect, test } from "bun:test";
import { matchesFilter } from "../../../src/scim/filter/evaluate.ts";
import { parseFilter } from "../../../src/scim/filter/parser.ts";
import { createRegistry } from "../../../src/scim/schema/registry.ts";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const user: Record<string, unknown> = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  id: "2819c223",
  userName: "bjensen",
  externalId: "AbC",
  active: true,
  title: "",
  displayName: "ΣΟΦΙΑΣ",
  userType: "Straße",
  preferredLanguage: "Ilgın",
  loginCount: 7,
  name: { familyName: "O'Malley", givenName: "Barbara", formatted: "Émile" },
  emails: [
    { value: "bjensen@example.com", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  roles: [],
  locale: "2020-01-01",
  entitlements: [{ value: "2011-05-13T04:42:34Z" }],
  meta: { created: "2011-05-13T04:42:34Z", lastModified: "2011-05-13T04:42:34.123Z" },
  [ENTERPRISE]: { employeeNumber: "701984", manager: { value: "26118915" } },
};

const registry = createRegistry();
const attributeOf = (path: string) => {
  const found = registry.findAttribute("User", path);
  return found?.subAttribute ?? found?.attribute;
};

// [filter, expected, source]
const cases: [string, boolean, string][] = [
  ['userName eq "bjensen"', true, "RFC 7644 §3.4.2.2 eq"],
  ['userName eq "BJensen"', true, "RFC 7643 §2.3.1 caseExact=false"],
  ['USERNAME eq "bjensen"', true, "RFC 7643 §2.1 attribute names are case-insensitive"],
  ['externalId eq "abc"', false, "RFC 7643 §3.1 externalId caseExact"],
  ['externalId eq "AbC"', true, "RFC 7643 §3.1 externalId caseExact"],
  ['userName ne "bjensen"', false, "RFC 7644 ne"],
  ['nickName ne "x"', true, "ne matches a missing attribute"],
  ['name.familyName co "\'mal"', true, "RFC 7644 Figure 2 co"],
  ['userName sw "BJ"', true, "RFC 7644 sw"],
  ['userName sw "jensen"', false, "RFC 7644 sw"],
  ['userName ew "SEN"', true, "RFC 7644 ew"],
  ["title pr", false, "RFC 7644 pr: empty string is not present"],
  ["roles pr", false, "RFC 7644 pr: empty array is not present"],
  ["name pr", true, "RFC 7644 pr: complex with a non-empty node"],
  ["nickName pr", false, "RFC 7644 pr: absent"],
  ["active eq true", true, "boolean eq"],
  ["active eq false", false, "boolean eq"],
  ["active ne false", true, "boolean ne"],
  ["active gt false", false, "booleans compare only with eq/ne"],
  ["loginCount gt 5", true, "number gt"],
  ["loginCount le 6", false, "number le"],
  ['loginCount eq "7"', true, "a quoted JSON number compares as the number, as in SQL (sql-compare.ts)"],
  ['loginCount lt "0x10"', false, "RFC 7644 §3.4.2.2 compValue: 0x10 is no JSON number"],
  ['loginCount lt "Infinity"', false, "RFC 7644 §3.4.2.2 compValue: Infinity is no JSON number"],
  ['meta.created gt "2011-05-13T04:42:33Z"', true, "RFC 7644 Figure 2 dateTime gt"],
  ['meta.created ge "2011-05-13T04:42:34Z"', true, "dateTime ge, equal instant"],
  ['meta.created lt "2011-05-13T06:42:34+02:00"', false, "dateTime with a zone is the same instant"],
  ['meta.created eq "2011-05-13T04:42:34.000Z"', true, "dateTime eq across formats"],
  ['meta.lastModified ge "2011-05-13T04:42:34.1234Z"', false, "sub-millisecond precision: .123 < .1234"],
  ['meta.lastModified lt "2011-05-13T04:42:34.1231Z"', true, "sub-millisecond precision: .123 < .1231"],
  ['emails co "example.com"', true, "RFC 7644 Figure 2: multi-valued compares its value"],
  ['emails.value co "jensen.org"', true, "any element matches"],
  ['emails.type eq "work"', true, "any element matches"],
  ['emails.value ne "babs@jensen.org"', false, "ne on multi-valued: no element is equal"],
  ['emails[type eq "work" and value co "@example.com"]', true, "RFC 7644 Figure 2 valuePath"],
  ['emails[type eq "home" and value co "@example.com"]', false, "valuePath: both on the same element"],
  ['emails[type eq "work"].value eq "bjensen@example.com"', true, "entra.md Match"],
  ['emails[type eq "home"].value eq "bjensen@example.com"', false, "entra.md Match: same element"],
  ["emails[primary eq true]", true, "valuePath boolean sub-attribute"],
  ['emails[not (type eq "work")]', true, "valuePath with not"],
  [`${ENTERPRISE}:employeeNumber eq "701984"`, true, "RFC 7644 §3.10 URN-qualified extension attribute"],
  [`${ENTERPRISE}:manager eq "26118915"`, true, "complex compares its value sub-attribute"],
  ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "barbara"', true, "core URN names the top level"],
  [`schemas eq "${ENTERPRISE}"`, true, "RFC 7644 Figure 2 schemas"],
  ['userName eq "x" or not (title pr)', true, "or / not"],
  ['userName eq "bjensen" and not (emails co "example.com")', false, "and / not"],
  ["nickName eq null", true, "eq null: absent"],
  ["userName ne null", true, "ne null: present"],
  ["loginCount eq 7", true, "number eq"],
  ['loginCount eq "7"', true, "lenient: a number given as a string"],
  // Beyond ASCII, the same folding as filters executed in SQL (unicode-fold.ts).
  ['name.formatted eq "émile"', true, "É matches é"],
  ['name.formatted eq "emile"', false, "E does not match É"],
  ['displayName eq "σοφιασ"', true, "final sigma ς matches σ"],
  ['displayName co "ΣΟΦ"', true, "Σ matches σ"],
  ['title eq "STRAẞE"', false, "title is empty here"],
  ['userType eq "STRAẞE"', true, "capital sharp s ẞ matches ß"],
  ['preferredLanguage eq "ILGıN"', true, "dotless ı matches itself"],
  ['preferredLanguage eq "ılgın"', false, "I folds to i, not to dotless ı"],
  // Found by a review pass: members every object inherits are no attributes.
  ["toString pr", false, "pr: Object.prototype.toString is no attribute"],
  ["emails[constructor pr]", false, "valuePath: nor is an element's constructor"],
  // Only dateTime attributes compare as instants (RFC 7643 §2.3.5); a string that looks like a date is a string,
  // as the SQL filter has it.
  ['locale eq "2020-01-01T00:00:00Z"', false, "string attribute: compared as text"],
  ['locale eq "2020-01-01"', true, "string attribute: compared as text"],
  ['locale lt "2020-01-01T00:00:00Z"', true, "string attribute: ordered as text"],
  ['entitlements eq "2011-05-13T06:42:34+02:00"', false, "string sub-attribute: compared as text"],
  ['entitlements[value eq "2011-05-13T04:42:34z"]', true, "string sub-attribute: case-insensitive text"],
  ['meta.created eq "yesterday"', false, "dateTime attribute, a value that is no dateTime: no match"],
];

describe("matchesFilter", () => {
  test.each(cases)("%s → %p (%s)", (text, expected) => {
    const parsed = parseFilter(text);
    if (!parsed.ok) throw new Error(parsed.error.detail);
    expect(matchesFilter(parsed.value, user, attributeOf)).toBe(expected);
  });

  test("PATCH value paths evaluate against one element, with the path prefix given to attributeOf", () => {
    const parsed = parseFilter('value eq "ABC"');
    if (!parsed.ok) throw new Error(parsed.error.detail);
    expect(matchesFilter(parsed.value, { value: "abc" })).toBe(true);
    expect(matchesFilter(parsed.value, { value: "abc" }, (p) => (p === "value" ? { type: "string", caseExact: true } : undefined))).toBe(false);
    const seen: string[] = [];
    const vp = parseFilter('members[value eq "x"]');
    if (!vp.ok) throw new Error(vp.error.detail);
    matchesFilter(vp.value, { members: [{ value: "x" }] }, (p) => (seen.push(p), undefined));
    expect(seen).toEqual(["members.value"]);
  });
});
