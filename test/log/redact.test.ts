// What a captured body may never keep: passwords (any depth, and PATCH values whose path is password), tokens,
// Authorization headers.
import { describe, expect, test } from "bun:test";
import { MAX_CAPTURE_CHARS, REDACTED, redactBody, redactHeaders, redactPath } from "../../src/modules/log/redact";

const JWT = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJqdGkiOiJ4In0.c2lnbmF0dXJl";
const parse = (text: string | null) => JSON.parse(text ?? "null");

describe("redactBody", () => {
  test("a password attribute at any depth", () => {
    const body = { userName: "a", password: "hunter2", nested: [{ deep: { Password: "x", keep: 1 } }] };
    expect(parse(redactBody(JSON.stringify(body)))).toEqual({
      userName: "a",
      password: REDACTED,
      nested: [{ deep: { Password: REDACTED, keep: 1 } }],
    });
  });

  test("PATCH values whose path is password, in both Entra shapes", () => {
    const body = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: "password", value: "hunter2" },
        { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: "hunter3" },
        { op: "replace", value: { password: "hunter4", displayName: "kept" } },
        { op: "Replace", path: "displayName", value: "also kept" },
      ],
    };
    const out = parse(redactBody(JSON.stringify(body)));
    expect(out.Operations.map((o: { value: unknown }) => o.value)).toEqual([
      REDACTED,
      REDACTED,
      { password: REDACTED, displayName: "kept" },
      "also kept",
    ]);
    expect(JSON.stringify(out)).not.toContain("hunter");
  });

  test("a __proto__ key is logged as sent, redacted inside (found by a review pass: it vanished)", () => {
    const text = '{"userName":"a","__proto__":{"password":"hunter2","keep":1}}';
    expect(redactBody(text)).toBe(`{"userName":"a","__proto__":{"password":"${REDACTED}","keep":1}}`);
  });

  test("tokens: secret-named keys, JWTs and bearer credentials inside strings", () => {
    const body = { token: "abc", clientSecret: "s", note: `sent ${JWT} and Bearer abc.def-ghi` };
    const text = redactBody(JSON.stringify(body)) ?? "";
    expect(text).not.toContain(JWT);
    expect(text).not.toContain("abc.def-ghi");
    expect(parse(text)).toEqual({ token: REDACTED, clientSecret: REDACTED, note: `sent ${REDACTED} and Bearer ${REDACTED}` });
  });

  test("a body that is not JSON is still scrubbed", () => {
    const text = redactBody(`{"userName":"a","password":"hunter2",  broken`) ?? "";
    expect(text).not.toContain("hunter2");
    expect(text).toContain(`"password":"${REDACTED}"`);
  });

  test("large bodies are truncated, and say so", () => {
    const text = redactBody(JSON.stringify({ data: "x".repeat(MAX_CAPTURE_CHARS * 2) })) ?? "";
    expect(text.length).toBeLessThan(MAX_CAPTURE_CHARS + 100);
    expect(text).toMatch(/…\[truncated \d+ characters\]$/);
  });

  test("an empty body is stored as null", () => {
    expect(redactBody("")).toBeNull();
  });
});

describe("redactHeaders", () => {
  test("Authorization, Proxy-Authorization and Cookie go whole; the rest stays", () => {
    const headers = new Headers({
      authorization: `Bearer ${JWT}`,
      "proxy-authorization": "Basic dXNlcjpwYXNz",
      cookie: "a=b",
      "content-type": "application/scim+json",
    });
    const out = JSON.parse(redactHeaders(headers));
    expect(out).toEqual({ authorization: REDACTED, "proxy-authorization": REDACTED, cookie: REDACTED, "content-type": "application/scim+json" });
  });

  test("an Authorization value without a scheme (a raw token) goes whole too", () => {
    for (const value of [JWT, "opaque-secret-value", `  Bearer   ${JWT}`]) {
      expect(JSON.parse(redactHeaders(new Headers({ authorization: value })))).toEqual({ authorization: REDACTED });
    }
  });
});

describe("redactPath", () => {
  const path = (query: string) => redactPath(`/scim/v2/t/Users?${query}`, query);

  test("secret-named parameters lose their values; the rest of the query stays", () => {
    expect(path(`access_token=${JWT}`)).toBe(`/scim/v2/t/Users?access_token=${REDACTED}`);
    expect(path("a=1&MyToken=x&b=2&api_secret=y&pass+word=z&password")).toBe(`/scim/v2/t/Users?a=1&MyToken=${REDACTED}&b=2&api_secret=${REDACTED}&pass+word=z&password`);
    expect(path("%61ccess_token=x&bad%ZZ=1")).toBe(`/scim/v2/t/Users?%61ccess_token=${REDACTED}&bad%ZZ=1`);
    expect(path(`x=${JWT}`)).toBe(`/scim/v2/t/Users?x=${REDACTED}`);
  });

  test("a path without a query, or with an ordinary one, is returned as it came", () => {
    expect(redactPath("/scim/v2/t/Users", "")).toBe("/scim/v2/t/Users");
    const lookup = "filter=userName%20eq%20%22secret-token%40x%22&startIndex=1&count=100";
    expect(path(lookup)).toBe(`/scim/v2/t/Users?${lookup}`);
  });
});
