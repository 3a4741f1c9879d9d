import { describe, expect, test } from "bun:test";
import type { ScimType } from "../../../src/errors.ts";
import { parsePatchRequest } from "../../../src/scim/patch/index.ts";
import { MAX_PATCH_OPERATIONS } from "../../../src/scim/patch/parse-operations.ts";
import { PATCH_OP_SCHEMA } from "../../../src/scim/schema/types.ts";

const schemas = [PATCH_OP_SCHEMA];
const titles = (n: number) => Array.from({ length: n }, (_, i) => ({ op: "replace", path: "title", value: `t${i}` }));

const valid: [string, unknown, unknown][] = [
  ["§3.5.2 a PatchOp with one add", { schemas, Operations: [{ op: "add", path: "title", value: "x" }] }, [{ op: "add", path: "title", value: "x" }]],
  ["entra.md: an empty Operations array is a valid no-op", { schemas, Operations: [] }, []],
  ["op names are case-insensitive (entra.md: Add/Replace/Remove)", { schemas, Operations: [{ op: "Remove", path: "title" }] }, [{ op: "remove", path: "title" }]],
  ["schemas may be missing (lenient, as Okta and Entra always send it)", { Operations: [{ op: "REPLACE", value: { title: "x" } }] }, [{ op: "replace", value: { title: "x" } }]],
  ["a null path counts as absent", { schemas, Operations: [{ op: "add", path: null, value: { title: "x" } }] }, [{ op: "add", value: { title: "x" } }]],
  ["value null is kept: it clears the attribute (entra.md)", { schemas, Operations: [{ op: "replace", path: "title", value: null }] }, [{ op: "replace", path: "title", value: null }]],
  ["member names are case-insensitive (RFC 7643 §2.1)", { SCHEMAS: schemas, operations: [{ OP: "add", PATH: "title", VALUE: "x" }] }, [{ op: "add", path: "title", value: "x" }]],
  [`${MAX_PATCH_OPERATIONS} operations, the most one request may hold`, { schemas, Operations: titles(MAX_PATCH_OPERATIONS) }, titles(MAX_PATCH_OPERATIONS)],
];

const invalid: [string, unknown, ScimType][] = [
  ["§3.5.2 the body must be an object", [], "invalidSyntax"],
  ["§3.5.2 Operations is required", { schemas }, "invalidSyntax"],
  ["§3.5.2 Operations must be an array", { schemas, Operations: { op: "add" } }, "invalidSyntax"],
  ["§3.5.2 schemas, when present, must name PatchOp", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [] }, "invalidSyntax"],
  ["§3.5.2 each operation is an object", { schemas, Operations: ["add"] }, "invalidSyntax"],
  ['§3.5.2 "op" must be add, replace or remove', { schemas, Operations: [{ op: "move", path: "title" }] }, "invalidSyntax"],
  ['§3.5.2 "op" is required', { schemas, Operations: [{ path: "title", value: "x" }] }, "invalidSyntax"],
  ["§3.5.2.2 remove without a path → noTarget", { schemas, Operations: [{ op: "remove" }] }, "noTarget"],
  ['§3.5.2.1 add "MUST contain a value member"', { schemas, Operations: [{ op: "add", path: "title" }] }, "invalidValue"],
  ["§3.5.2.3 replace without a path needs an object value", { schemas, Operations: [{ op: "replace", value: "x" }] }, "invalidValue"],
  ["§3.5.2 a path must be a string", { schemas, Operations: [{ op: "add", path: 7, value: "x" }] }, "invalidPath"],
  ["§3.12 more operations than the server is willing to process → tooMany", { schemas, Operations: titles(MAX_PATCH_OPERATIONS + 1) }, "tooMany"],
];

describe("parsePatchRequest (RFC 7644 §3.5.2)", () => {
  test.each(valid)("%s", (_name, body, expected) => {
    expect(parsePatchRequest(body)).toEqual({ ok: true, value: expected as never });
  });

  test.each(invalid)("%s", (_name, body, scimType) => {
    const r = parsePatchRequest(body);
    expect(r.ok ? undefined : [r.error.status, r.error.scimType]).toEqual([400, scimType]);
  });
});
