import { attrPathToString } from "../filter/ast.ts";
import { parsePatchPath } from "../filter/parser.ts";
import { addNames, namesInBody } from "../schema/specified-names.ts";
import { parsePatchRequest } from "./parse-operations.ts";

/**
 * The attribute names a PatchOp request specifies (RFC 7643 §2.4 "request", see namesInBody): each operation's
 * path (a value filter's own names are only a selection, not specified) and the keys of its value below that
 * path; a path-less operation's value keys as a POST body's. A remove specifies its path too; the answer then has
 * no value for it. A request that does not parse specifies nothing (it is refused anyway).
 */
export function namesInPatch(body: unknown): string[] {
  const operations = parsePatchRequest(body);
  if (!operations.ok) return [];
  const names = new Set<string>();
  for (const { path, value } of operations.value) {
    if (path === undefined) {
      for (const name of namesInBody(value)) names.add(name);
      continue;
    }
    const parsed = parsePatchPath(path);
    if (!parsed.ok) continue;
    const { path: attrPath, subAttr } = parsed.value;
    const name = attrPathToString(subAttr ? { ...attrPath, subAttr } : attrPath);
    // A path naming a sub-attribute has no keys below it; any other takes its value's keys as a body's top key does.
    addNames(names, name, value, attrPath.subAttr || subAttr ? 2 : 0);
  }
  return [...names];
}
