import { describe, expect, test } from "bun:test";
import { dateTimeComparison, parseDateTime } from "../../../src/scim/filter/datetime.ts";

// RFC 7643 §2.3.5: dateTime is xsd:dateTime; stored values come from Date.toISOString().
const parses: [string, string, boolean][] = [
  ["2011-05-13T04:42:34Z", "2011-05-13T04:42:34.000Z", true],
  ["2011-05-13T04:42:34.5Z", "2011-05-13T04:42:34.500Z", true],
  ["2011-05-13T04:42:34.123000Z", "2011-05-13T04:42:34.123Z", true],
  ["2011-05-13T04:42:34.1234Z", "2011-05-13T04:42:34.123Z", false],
  ["2015-10-10T14:38:21.8617979-07:00", "2015-10-10T21:38:21.861Z", false], // Postman collection
  ["2011-05-13T06:42:34+0200", "2011-05-13T04:42:34.000Z", true],
  ["2011-05-13 04:42", "2011-05-13T04:42:00.000Z", true],
  ["2011-05-13", "2011-05-13T00:00:00.000Z", true],
  ["0050-01-01T00:00:00Z", "0050-01-01T00:00:00.000Z", true], // xsd:dateTime years 0000–0099 stay themselves
  ["0000-03-01T10:00:00+02:00", "0000-03-01T08:00:00.000Z", true],
  ["0004-02-29T00:00:00Z", "0004-02-29T00:00:00.000Z", true], // year 4 is a leap year
];

describe("parseDateTime", () => {
  test.each(parses)("%s → %s", (text, iso, exact) => {
    const p = parseDateTime(text);
    expect(p && [new Date(p.ms).toISOString(), p.exact]).toEqual([iso, exact]);
  });
  test.each(["yesterday", "2011-13-01", "2011-02-30", "2011-05-13T25:00:00Z", "13/05/2011", "", "0003-02-29"])("%p is not a dateTime", (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
  test("a value finer than a millisecond moves ge/lt to gt/le and makes eq/ne constant", () => {
    const p = parseDateTime("2011-05-13T04:42:34.1234Z");
    if (!p) throw new Error("unparsed");
    expect(["eq", "ne", "gt", "ge", "lt", "le"].map((op) => dateTimeComparison(op as never, p))).toEqual([
      { constant: false },
      { constant: true },
      { op: "gt", ms: p.ms, iso: "2011-05-13T04:42:34.123Z" },
      { op: "gt", ms: p.ms, iso: "2011-05-13T04:42:34.123Z" },
      { op: "le", ms: p.ms, iso: "2011-05-13T04:42:34.123Z" },
      { op: "le", ms: p.ms, iso: "2011-05-13T04:42:34.123Z" },
    ]);
  });
});
