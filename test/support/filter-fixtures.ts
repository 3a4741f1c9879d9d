// Seeded, adversarial Users and Groups for the filter differential test: missing attributes, mixed case,
// letters whose case forms are not ASCII (Straße, İ, ı, ǅ, ς, K), emails of several types with one primary,
// active true and false, dateTimes written with offsets and long fractions, enterprise fields with a manager,
// and a tenant extension with numbers, booleans and multi-valued values.

import { ACME_USER_URN, acmeUserSchema } from "./acme-schema";

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ACME = ACME_USER_URN;

type Doc = Record<string, unknown>;
export type Rng = { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T };

/** A tenant's own User extension (admin API), for numbers, booleans, caseExact strings and multi-valued values. */
export const ACME_SCHEMA = acmeUserSchema([
  { name: "badge", type: "integer" },
  { name: "score", type: "decimal" },
  { name: "remote", type: "boolean" },
  { name: "hireDate", type: "dateTime" },
  { name: "reviews", type: "dateTime", multiValued: true },
  { name: "tags", type: "string", multiValued: true },
  { name: "code", type: "string", caseExact: true },
  { name: "building", type: "complex", subAttributes: [{ name: "code", type: "string" }, { name: "floor", type: "integer" }] },
], "Filter differential test extension");

/** Words chosen to separate simple case folding from lower(), full folding, locale rules and byte order. */
export const WORDS = [
  "Straße", "STRASSE", "strasse", "STRAẞE", "ß", "ss", "İstanbul", "istanbul", "ISTANBUL", "ılgın", "ILGIN",
  "ǅemal", "ǄEMAL", "ǆemal", "ǈ", "Σοφίας", "ΣΟΦΊΑΣ", "σοφίασ", "Émile", "émile", "e\u0301mile", "Kelvin",
  "\u212Aelvin", "ſtrasse", "\u2126mega", "ωmega", "µ", "μ", "Å", "\u212B", "𐐀𐐨", "𐐨𐐨", "ꭰꭱ", "ᎠᎡ", "ﬀ",
  "ｆｕｌｌ", "ＦＵＬＬ", "100%", "a_b", "aXb", "O'Malley", 'quote"d', "back\\slash", "😀 smile", "tab\there",
  "a", "A", "_", "~", "Zed", "zed", "zèd", "ZÈD", "Ⅻ", "ⅻ", "Tour Guide", "tour guide", "and", "null", "true",
];

export const DATE_TIMES = [
  "2020-01-01T10:00:00Z", "2020-01-01T12:00:00+02:00", "2020-01-01T10:00:00.5Z", "2020-01-01T10:00:00.500Z",
  "2020-01-01T10:00:00.123456Z", "2019-12-31T23:59:59.999Z", "2020-01-01T10:00:00", "2020-01-01T04:30:00-05:30",
  "1999-02-28T00:00:00Z", "2024-02-29T23:59:59.9999999+14:00",
];

const EMAIL_TYPES = ["work", "home", "other", "Work", "WORK"];

function maybe<T>(r: Rng, p: number, make: () => T): T | undefined {
  return r.next() < p ? make() : undefined;
}

const without = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));

function elements(r: Rng, max: number, make: (i: number) => Doc): Doc[] | undefined {
  const n = r.int(max + 1);
  if (n === 0) return undefined;
  const primary = r.int(n + 1); // n: no primary at all
  return Array.from({ length: n }, (_, i) => without({ ...make(i), primary: i === primary ? true : maybe(r, 0.2, () => false) }));
}

/** The i-th user's POST body; `ids` are the users created before it (a manager is one of them). */
export function userBody(r: Rng, i: number, ids: string[]): Doc {
  const w = () => r.pick(WORDS);
  const body: Doc = {
    schemas: [CORE_USER, ENTERPRISE, ACME],
    userName: `${w()}-${i}`,
    externalId: maybe(r, 0.7, () => `${r.pick(["EXT", "ext", "Ext", "Ěxt"])}-${i % 7}`),
    displayName: maybe(r, 0.7, () => `${w()} ${w()}`),
    nickName: maybe(r, 0.4, w),
    title: maybe(r, 0.5, w),
    userType: maybe(r, 0.5, () => r.pick(["Employee", "employee", "Contractor", "İntern"])),
    active: maybe(r, 0.7, () => r.pick([true, false, "True", "False"])),
    name: maybe(r, 0.7, () => without({ givenName: maybe(r, 0.8, w), familyName: maybe(r, 0.8, w), formatted: maybe(r, 0.3, w) })),
    emails: elements(r, 3, () => without({ value: `${w()}@${r.pick(["example.com", "EXAMPLE.org", "exämple.de"])}`, type: maybe(r, 0.8, () => r.pick(EMAIL_TYPES)), display: maybe(r, 0.2, w) })),
    phoneNumbers: elements(r, 2, () => without({ value: `+1-555-${1000 + r.int(20)}`, type: maybe(r, 0.8, () => r.pick(["work", "mobile", "Mobile"])) })),
    roles: elements(r, 2, () => without({ value: w(), type: maybe(r, 0.5, w) })),
    addresses: elements(r, 2, () => without({ locality: maybe(r, 0.8, w), country: maybe(r, 0.5, () => r.pick(["DE", "de", "TR"])), type: maybe(r, 0.7, () => r.pick(EMAIL_TYPES)) })),
    x509Certificates: elements(r, 1, () => ({ value: r.pick(["QUJD", "qujd", "TUlJRA=="]) })),
    [ENTERPRISE]: without({
      employeeNumber: maybe(r, 0.6, () => String(r.int(5) * 1000 + 7)),
      department: maybe(r, 0.6, w),
      costCenter: maybe(r, 0.3, w),
      manager: ids.length ? maybe(r, 0.5, () => ({ value: r.pick(ids) })) : undefined,
    }),
    [ACME]: without({
      badge: maybe(r, 0.6, () => r.pick([0, 1, -1, 10, 42, 9007199254740991])),
      score: maybe(r, 0.6, () => r.pick([0.5, 1.25, -0.1, 10, 1e-7, 3.14159])),
      remote: maybe(r, 0.6, () => r.pick([true, false])),
      hireDate: maybe(r, 0.7, () => r.pick(DATE_TIMES)),
      reviews: maybe(r, 0.4, () => [r.pick(DATE_TIMES), r.pick(DATE_TIMES)]),
      tags: maybe(r, 0.5, () => [w(), w()]),
      code: maybe(r, 0.6, w),
      building: maybe(r, 0.4, () => without({ code: maybe(r, 0.8, w), floor: maybe(r, 0.8, () => r.int(5) - 1) })),
    }),
  };
  return without(body);
}

/** Groups with members: users, and groups in groups (a User's `groups` then holds indirect memberships). */
export function groupBodies(r: Rng, userIds: string[]): { displayName: string; users: string[]; inGroup?: number }[] {
  return Array.from({ length: 5 }, (_, i) => ({
    displayName: `${r.pick(WORDS)} ${i}`,
    users: userIds.filter(() => r.next() < 0.25),
    ...(i > 0 && r.next() < 0.6 ? { inGroup: r.int(i) } : {}),
  }));
}

export const ACME_GROUP = "urn:ietf:params:scim:schemas:extension:acme:2.0:Group";

/** A tenant's own Group extension, so that Group filters meet extension attributes too. */
export const ACME_GROUP_SCHEMA = {
  id: ACME_GROUP,
  name: "AcmeGroup",
  description: "Filter differential test Group extension",
  resourceType: "Group",
  attributes: [
    { name: "level", type: "integer" },
    { name: "code", type: "string", caseExact: true },
    { name: "tags", type: "string", multiValued: true },
  ],
};

/** Group names: letters with non-ASCII case forms, quotes, backslashes, JSON escapes, blanks around words. */
const GROUP_WORDS = [
  ...WORDS, "\u212Aelvin's", "ſales", "SALES", "Ärzte", "ärzte", "a\u0308rzte", 'say "hi"', "C:\\temp\\", "\\\"", " ",
  "  lead ", "-", "'", "İT", "it", "ıt", "(paren)", "[bracket]", "a or b", "x eq y", "100%_done",
];

/** The i-th group's POST body: `members` name earlier users and groups, some with a label of their own. */
export function groupBody(r: Rng, i: number, userIds: string[], groupIds: string[]): Doc {
  const w = () => r.pick(GROUP_WORDS);
  const label = () => maybe(r, 0.3, () => r.pick(GROUP_WORDS));
  const users = userIds.filter(() => r.next() < 0.2).map((value) => without({ value, display: label() }));
  const groups = groupIds.filter(() => r.next() < 0.15).map((value) => without({ value, type: maybe(r, 0.5, () => "Group"), display: label() }));
  // Names are unique regardless of case (README): the index keeps them apart, wherever it stands.
  const name = r.pick([() => `${w()} ${i}`, () => `${i}${w()}`, () => `${w()}${w()}#${i}`])();
  return without({
    schemas: [CORE_GROUP, ACME_GROUP],
    displayName: name,
    externalId: maybe(r, 0.6, () => `${r.pick(["GRP", "grp", "Grp", "Ǧrp"])}-${i % 5}`),
    members: users.length + groups.length ? [...users, ...groups] : maybe(r, 0.3, () => []),
    [ACME_GROUP]: without({
      level: maybe(r, 0.6, () => r.pick([0, 1, -3, 7, 100])),
      code: maybe(r, 0.6, w),
      tags: maybe(r, 0.5, () => [w(), w()]),
    }),
  });
}
