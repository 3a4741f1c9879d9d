// Named regressions for bugs the filter differential test (filter-differential.test.ts) found in GET /Users?filter
// and POST /Users/.search, one row each, with the RFC text that decides them.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, expectScimError, q, resources, setUp } from "./client";
import { ACME, ACME_SCHEMA, ENTERPRISE } from "../support/filter-fixtures";

let c: Client;

beforeAll(async () => {
  c = await setUp("filter-regressions");
  expect((await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, ACME_SCHEMA)).status).toBe(200);
  const boss = await c.user({ userName: "boss" });
  await c.user({
    userName: "ann",
    name: { givenName: "Ann" },
    addresses: [{ locality: "Berlin" }],
    [ENTERPRISE]: { manager: { value: boss.id } },
    [ACME]: { building: { floor: 2 }, badge: 16, hireDate: "2015-10-10T14:38:21.8617979-07:00" },
  });
  // K is the Kelvin sign and ſ the long s: under Unicode simple case folding they are k and s.
  await c.user({ userName: "kelvin", displayName: "ſtrasse", name: { givenName: "\u212Aelvin" } });
});

const userNames = async (filter: string, search = false) => {
  const r = search ? await c.post("/Users/.search", { filter, sortBy: "userName" }) : await c.get(`/Users?filter=${q(filter)}&sortBy=userName`);
  expect(r.status).toBe(200);
  return resources(r.body).map((u) => u.userName);
};

// [name, filter, userNames]
const found: [string, string, string[]][] = [
  // RFC 7644 §3.4.2.2 valuePath: "attrPath [valFilter]" selects a resource when a value of the attribute matches
  // valFilter; a resource without the attribute has no value to match, singular complex attributes included.
  ["valuePath on a singular complex attribute the user lacks", 'name[givenName ne "Ann"]', ["kelvin"]],
  ["valuePath on a singular complex attribute, not", 'not (name[givenName ne "Ann"])', ["ann", "boss"]],
  ["valuePath on the enterprise manager", `${ENTERPRISE}:manager[value ne "nobody"]`, ["ann"]],
  ["valuePath on a tenant extension's complex attribute", `${ACME}:building[not (floor eq 3)]`, ["ann"]],
  // RFC 7643 §2.2 caseExact false: "case-insensitive" matching, i.e. Unicode case folding, under which the
  // Kelvin sign is k and the long s is s, even when the filter value is plain ASCII.
  ["ASCII value finds the Kelvin sign", 'name.givenName eq "kelvin"', ["kelvin"]],
  ["ASCII value finds the long s (sw)", 'displayName sw "ST"', ["kelvin"]],
  ["ASCII value finds the long s (co)", 'displayName co "STRASS"', ["kelvin"]],
  ["ne is the negation of eq there too", 'displayName ne "strasse"', ["ann", "boss"]],
  // RFC 7644 §3.4.2.2: eq null and ne null ask whether the attribute has a value, as pr does; that holds for a
  // complex attribute without a `value` sub-attribute as well.
  ["eq null on a multi-valued complex attribute without value", "addresses eq null", ["boss", "kelvin"]],
  ["ne null on a multi-valued complex attribute without value", "addresses ne null", ["ann"]],
  ["eq null on a singular complex attribute", "name eq null", ["boss"]],
  ["ne null on a tenant extension's complex attribute", `${ACME}:building ne null`, ["ann"]],
  // RFC 7643 §2.3.5: a dateTime is an instant; the very value a client stored (.NET writes 7 fraction digits) is equal to itself.
  ["a dateTime with 7 fraction digits equals itself", `${ACME}:hireDate eq "2015-10-10T14:38:21.8617979-07:00"`, ["ann"]],
  ["and is later than its millisecond", `${ACME}:hireDate gt "2015-10-10T21:38:21.861Z"`, ["ann"]],
  ["and earlier than the next millisecond", `${ACME}:hireDate lt "2015-10-10T21:38:21.862Z"`, ["ann"]],
];

describe("filter regressions (GET /Users?filter and POST /Users/.search)", () => {
  test.each(found)("%s: %s → %p", async (_name, filter, expected) => {
    expect(await userNames(filter)).toEqual(expected);
    expect(await userNames(filter, true)).toEqual(expected);
  });

  // RFC 7644 §3.4.2.2: a compValue is a JSON number, string, boolean or null; "0x10" is not a number.
  test.each([`${ACME}:badge eq 0x10`, `${ACME}:badge eq "0x10"`, `${ACME}:badge gt Infinity`, `${ACME}:badge eq ""`])(
    "%s → 400 invalidFilter",
    async (filter) => {
      expectScimError(await c.get(`/Users?filter=${q(filter)}`), 400, "invalidFilter");
    },
  );
});
