import { describe, expect, test } from "bun:test";
import { type CompareNode, type CompValue, formatFilter } from "../../../src/scim/filter/ast.ts";
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from "../../../src/scim/filter/parser.ts";

const parsed = (text: string) => {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.detail}`);
  return r.value;
};

// [filter, the parse printed back fully parenthesised, source]
const valid: [string, string, string][] = [
  // RFC 7644 §3.4.2.2 Figure 2, every example.
  ['userName eq "bjensen"', 'userName eq "bjensen"', "RFC 7644 Figure 2"],
  ['name.familyName co "O\'Malley"', 'name.familyName co "O\'Malley"', "RFC 7644 Figure 2"],
  ['userName sw "J"', 'userName sw "J"', "RFC 7644 Figure 2"],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', 'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', "RFC 7644 Figure 2"],
  ["title pr", "title pr", "RFC 7644 Figure 2"],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', 'meta.lastModified gt "2011-05-13T04:42:34Z"', "RFC 7644 Figure 2"],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', 'meta.lastModified ge "2011-05-13T04:42:34Z"', "RFC 7644 Figure 2"],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', 'meta.lastModified lt "2011-05-13T04:42:34Z"', "RFC 7644 Figure 2"],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', 'meta.lastModified le "2011-05-13T04:42:34Z"', "RFC 7644 Figure 2"],
  ['title pr and userType eq "Employee"', '(title pr and userType eq "Employee")', "RFC 7644 Figure 2"],
  ['title pr or userType eq "Intern"', '(title pr or userType eq "Intern")', "RFC 7644 Figure 2"],
  [
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    "RFC 7644 Figure 2",
  ],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    '(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))',
    "RFC 7644 Figure 2",
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    '(userType ne "Employee" and not ((emails co "example.com" or emails.value co "example.org")))',
    "RFC 7644 Figure 2",
  ],
  ['userType eq "Employee" and (emails.type eq "work")', '(userType eq "Employee" and emails.type eq "work")', "RFC 7644 Figure 2"],
  [
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    '(userType eq "Employee" and emails[(type eq "work" and value co "@example.com")])',
    "RFC 7644 Figure 2",
  ],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    '(emails[(type eq "work" and value co "@example.com")] or ims[(type eq "xmpp" and value co "@foo.com")])',
    "RFC 7644 Figure 2",
  ],
  // Precedence (RFC 7644 §3.4.2.2: not > and > or).
  ["a pr or b pr and c pr", "(a pr or (b pr and c pr))", "RFC 7644 §3.4.2.2 precedence"],
  ["a pr and b pr or c pr", "((a pr and b pr) or c pr)", "RFC 7644 §3.4.2.2 precedence"],
  ["(a pr or b pr) and c pr", "((a pr or b pr) and c pr)", "RFC 7644 §3.4.2.2 grouping"],
  ["not (a pr) and b pr", "(not (a pr) and b pr)", "RFC 7644 §3.4.2.2 not binds tighter than and"],
  ["a pr and b pr and c pr", "((a pr and b pr) and c pr)", "RFC 7644 §3.4.2.2 left-associative"],
  // Entra shapes (entra.md "The conversation").
  ['userName eq "5d48a0a8-e3bd-4f5a-8e33-6e0a2cf8d1d4"', 'userName eq "5d48a0a8-e3bd-4f5a-8e33-6e0a2cf8d1d4"', "entra.md Test Connection"],
  ['displayName eq "0b6f5f39-2b5b-4b8e-9f5a-0a4a6f5b8c9d"', 'displayName eq "0b6f5f39-2b5b-4b8e-9f5a-0a4a6f5b8c9d"', "entra.md group probe"],
  ['externalId eq "abc"', 'externalId eq "abc"', "entra.md Match"],
  ['emails[type eq "work"].value eq "a@b.c"', 'emails[(type eq "work" and value eq "a@b.c")]', "entra.md Match"],
  ['userName eq "a" and externalId eq "b"', '(userName eq "a" and externalId eq "b")', "entra.md Match: only eq and and"],
  // Microsoft's Postman collection (conformance/microsoft/PostmanCollection.json).
  ['DisplayName eq "BobIsAmazing"', 'DisplayName eq "BobIsAmazing"', "Postman: DisplayName+eq+%22…%22"],
  ["meta.Created gt 2015-10-10T14:38:21.8617979-07:00", 'meta.Created gt "2015-10-10T14:38:21.8617979-07:00"', "Postman"],
  [
    "name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)",
    '(name.FamilyName eq "Employee" and (emails.Value co "example.com" or emails.Value co "example.org"))',
    "Postman",
  ],
  ["userName sw O", 'userName sw "O"', "Postman"],
  ["userName eq Test_User_abc", 'userName eq "Test_User_abc"', "brief: unquoted values"],
  // Case-insensitive keywords and operators, extra whitespace.
  ['userName EQ "x" And title Pr OR NOT (a Co "y")', '((userName eq "x" and title pr) or not (a co "y"))', "lenient keywords"],
  ['  userName   eq\t"x"  ', 'userName eq "x"', "extra whitespace"],
  ['userName eq"x"', 'userName eq "x"', "no space before a string"],
  // Values: strings with escapes (RFC 8259 §7), numbers, true/false/null.
  ['a eq "q\\"uo\\\\te\\u00e9\\n"', 'a eq "q\\"uo\\\\teé\\n"', "RFC 7644 §3.4.2.2 compValue: JSON string"],
  ['a eq "a and b or (c)"', 'a eq "a and b or (c)"', "keywords inside strings are data"],
  ["a eq 42", "a eq 42", "RFC 7644 compValue: number"],
  ["a ge -1.5e3", "a ge -1500", "RFC 7644 compValue: number"],
  ["a eq true", "a eq true", "RFC 7644 compValue: true"],
  ["a eq false", "a eq false", "RFC 7644 compValue: false"],
  ["a eq null", "a eq null", "RFC 7644 compValue: null"],
  ['members.$ref eq "x"', 'members.$ref eq "x"', "RFC 7643 $ref attributes"],
  ["not title pr", "not (title pr)", "lenient: not without parentheses"],
];

describe("parseFilter: valid filters", () => {
  test.each(valid)("%s", (text, expected) => {
    expect(formatFilter(parsed(text))).toBe(expected);
  });

  test("unquoted and typed values keep the token as written (RFC 7644 §3.4.2.2 compValue)", () => {
    const cases: [string, CompValue, string | undefined][] = [
      ['a eq "12"', "12", undefined],
      ["a eq 12", 12, "12"],
      ["a eq TRUE", true, "TRUE"],
      ["a eq Null", null, "Null"],
      ["a eq 0012", "0012", "0012"], // not a JSON number: stays a string
      ["a eq x@y.z", "x@y.z", "x@y.z"],
    ];
    for (const [text, value, literal] of cases) {
      const node = parsed(text) as CompareNode;
      expect([node.value, node.literal]).toEqual([value, literal]);
    }
  });

  test("attribute paths split into URI, name and sub-attribute (RFC 7644 §3.4.2.2 attrPath)", () => {
    const node = parsed('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"') as CompareNode;
    expect(node.path).toEqual({
      uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      name: "manager",
      subAttr: "value",
    });
  });

  // RFC 8141 §2 lets a URN hold "(" and ")": after a ":" a balanced pair stays in the path, anything else is grouping.
  test.each([
    ['urn:example:widgets(v2):User:badge eq "x"', 'urn:example:widgets(v2):User:badge eq "x"'],
    ['(urn:example:x(a)(b(c)):y:badge pr)', "urn:example:x(a)(b(c)):y:badge pr"],
    ["(schemas eq urn:example:v(1))", 'schemas eq "urn:example:v(1)"'],
    ["(schemas eq urn:example:y)", 'schemas eq "urn:example:y"'],
    ['not(userName eq "x")', 'not (userName eq "x")'],
    ['(userName eq "x")and(title pr)', '(userName eq "x" and title pr)'],
  ])("parentheses inside a URN-qualified word: %s", (text, printed) => {
    expect(formatFilter(parsed(text))).toBe(printed);
  });

  test(`nesting of ${MAX_FILTER_DEPTH} levels is accepted`, () => {
    const text = `${"(".repeat(MAX_FILTER_DEPTH)}a pr${")".repeat(MAX_FILTER_DEPTH)}`;
    expect(parseFilter(text).ok).toBe(true);
  });
});

// Each malformed filter → 400 invalidFilter (RFC 7644 §3.4.2.2: "the filter syntax was invalid").
const invalid: [string, string][] = [
  ["", "empty"],
  ["   ", "only whitespace"],
  ["userName", "no operator"],
  ["userName eq", "no value"],
  ['userName zz "x"', "unknown operator"],
  ['userName eq "x', "unterminated string"],
  ['userName eq "\\x"', "invalid escape"],
  ['userName eq "\\u12"', "short \\u escape"],
  ['(userName eq "x"', "unclosed parenthesis"],
  ['userName eq "x")', "stray closing parenthesis"],
  ['userName eq "x" "y"', "two values"],
  ['userName eq "x" and', "dangling and"],
  ['or userName eq "x"', "leading or"],
  ['userName eq "x" and or title pr', "and followed by or"],
  ["userName eq and", "keyword where a value belongs"],
  ['emails[type eq "work"', "unclosed bracket"],
  ['emails[type eq "work"]]', "stray bracket"],
  ['emails[type[value pr] pr]', "nested value filter"],
  ["emails.value[type pr]", "value filter after a sub-attribute"],
  ['emails[type eq "work"].value', "sub-attribute after a bracket without a comparison"],
  ['emails[type eq "work"]..value eq "x"', "malformed sub-attribute"],
  ['1abc eq "x"', "attribute name starting with a digit"],
  ['name.given.x eq "x"', "two sub-attribute levels"],
  ['user-name; DROP TABLE users eq "x"', "not an attribute path"],
  ['"userName" eq "x"', "string where an attribute belongs"],
  ["()", "empty group"],
  ["not", "not without a filter"],
];

describe("parseFilter: malformed filters → 400 invalidFilter", () => {
  test.each(invalid)("%p (%s)", (text) => {
    const r = parseFilter(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.status).toBe(400);
    expect(r.error.scimType).toBe("invalidFilter");
  });

  test("the detail says where", () => {
    const r = parseFilter('userName eq "x" and title zz "y"');
    expect(r.ok ? "" : r.error.detail).toBe(
      "Invalid filter at character 27: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found 'zz'",
    );
  });

  test(`longer than ${MAX_FILTER_LENGTH} characters → invalidFilter`, () => {
    const ok = `userName eq "${"x".repeat(MAX_FILTER_LENGTH - 14)}"`;
    expect(ok.length).toBe(MAX_FILTER_LENGTH);
    expect(parseFilter(ok).ok).toBe(true);
    const r = parseFilter(`${ok} `);
    expect(r.ok ? undefined : r.error.scimType).toBe("invalidFilter");
  });

  test(`nesting deeper than ${MAX_FILTER_DEPTH} → invalidFilter`, () => {
    const depth = MAX_FILTER_DEPTH + 1;
    for (const text of [`${"(".repeat(depth)}a pr${")".repeat(depth)}`, `${"not (".repeat(depth)}a pr${")".repeat(depth)}`]) {
      const r = parseFilter(text);
      expect(r.ok ? "" : r.error.detail).toContain("nested deeper than 32");
    }
  });
});

// RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr].
describe("parsePatchPath", () => {
  const cases: [string, unknown][] = [
    ["name.givenName", { path: { name: "name", subAttr: "givenName" } }],
    [
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
      { path: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", name: "employeeNumber" } },
    ],
    [
      'members[value eq "2819c223"]',
      { path: { name: "members" }, filter: { kind: "compare", path: { name: "value" }, op: "eq", value: "2819c223" } },
    ],
    [
      'phoneNumbers[type eq "mobile"].value',
      {
        path: { name: "phoneNumbers" },
        filter: { kind: "compare", path: { name: "type" }, op: "eq", value: "mobile" },
        subAttr: "value",
      },
    ],
  ];
  test.each(cases)("%s", (text, expected) => {
    expect(parsePatchPath(text)).toEqual({ ok: true, value: expected } as never);
  });

  const bad: [string, string][] = [
    ["", "invalidPath"],
    ["name givenName", "invalidPath"],
    ["emails.value[type pr]", "invalidPath"],
    ['emails[type eq "work"] x', "invalidPath"],
    ["emails[type zz 1]", "invalidFilter"],
  ];
  test.each(bad)("%p → %s", (text, scimType) => {
    const r = parsePatchPath(text);
    expect(r.ok ? undefined : r.error.scimType).toBe(scimType as never);
  });
});

// The `attr eq "value"` shortcut must give exactly the node the full grammar gives; parentheses force the full
// grammar, which drops them. (RFC 7644 §3.4.2.2: grouping does not change a filter's meaning.)
describe("the userName-lookup shortcut gives the node the full parser gives", () => {
  const shapes = [
    'userName eq "bjensen@example.com"',
    '  UserName   EQ   "Mixed Case Value"  ',
    'displayName eq ""',
    'externalId eq "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"',
    'userName eq "O\'Malley"',
    'x-custom_1 eq "v"',
  ];
  for (const filter of shapes) {
    test(filter, () => {
      expect(parsed(filter)).toEqual(parsed(`(${filter})`));
    });
  }
  // Shapes the shortcut leaves alone: escapes, URNs, sub-attributes, other operators, trailing text.
  for (const filter of ['userName eq "a\\"b"', 'name.givenName eq "x"', 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', 'userName ne "x"', 'userName eq "x" and active eq true']) {
    test(`full grammar: ${filter}`, () => {
      expect(parsed(filter)).toEqual(parsed(`(${filter})`));
    });
  }
  test("a malformed lookup still fails as the grammar says", () => {
    const r = parseFilter('userName eq "unterminated');
    expect(r.ok).toBe(false);
  });
  test("only the lexer's whitespace separates: a no-break space makes one word, as in the full grammar", () => {
    for (const filter of ['userName\u00a0eq "x"', 'userName eq\u00a0"x"', '\u2003userName eq "x"']) {
      const r = parseFilter(filter);
      expect(r.ok).toBe(false);
      expect(parseFilter(`(${filter})`).ok).toBe(false);
    }
  });
});
