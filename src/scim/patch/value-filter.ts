// The names a PATCH value filter (`emails[type eq "work"]`, RFC 7644 §3.5.2) may use: sub-attributes of the
// filtered attribute. A GET filter naming anything else is 400 invalidFilter (sql-targets.ts); a PATCH filter used
// to match nothing instead, so a misspelt remove answered 200 having removed nothing.
import { badRequest, type ScimError } from "../../errors.ts";
import { attrPathToString, type FilterNode } from "../filter/ast.ts";
import type { AttributeDef } from "../schema/types.ts";
import { comparisonError } from "../filter/sql-compare.ts";
import { findSubAttribute } from "./coerce.ts";

// A comparison GET's filter→SQL refuses (a value of the wrong type, `gt` on a boolean) is refused here by the same
// check (comparisonError), where it used to match nothing.
const compared = (def: AttributeDef, node: FilterNode): ScimError | undefined =>
  node.kind === "compare" ? comparisonError(def, node) : undefined;

/** A further refusal for a known sub-attribute (members.$ref, which a member row does not hold). */
export type SubAttributeCheck = (sub: AttributeDef) => ScimError | undefined;

/**
 * 400 invalidFilter (RFC 7644 §3.12: "the specified attribute and filter comparison combination is not supported")
 * for a value filter on `def` naming what its elements do not have, worded as a GET filter's error on the same
 * names: an unknown sub-attribute, a URN-qualified or dotted path, a nested value filter, a comparison whose value
 * or operator does not fit the sub-attribute's type. The element of a multi-valued attribute without
 * sub-attributes is named `value` (element-edit.ts asElement).
 */
export function valueFilterError(def: AttributeDef, node: FilterNode, check?: SubAttributeCheck): ScimError | undefined {
  switch (node.kind) {
    case "and":
    case "or":
      return valueFilterError(def, node.left, check) ?? valueFilterError(def, node.right, check);
    case "not":
      return valueFilterError(def, node.filter, check);
    case "valuePath":
      return badRequest("invalidFilter", "Value filters cannot be nested");
    case "compare":
    case "present": {
      const { path } = node;
      if (path.uri !== undefined || path.subAttr !== undefined) {
        return badRequest("invalidFilter", `'${attrPathToString(path)}' inside '${def.name}[…]' must name a sub-attribute`);
      }
      if (!def.subAttributes && path.name.toLowerCase() === "value") return compared(def, node);
      const sub = findSubAttribute(def, path.name);
      if (!sub) return badRequest("invalidFilter", `Unknown attribute '${def.name}.${path.name}'`);
      return check?.(sub) ?? compared(sub, node);
    }
  }
}
