// The filter AST of RFC 7644 §3.4.2.2 (Figure 1).

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

export const COMPARE_OPERATORS: readonly CompareOperator[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

/** compValue: a JSON string, number, true, false or null. */
export type CompValue = string | number | boolean | null;

/** attrPath = [URI ":"] ATTRNAME *1subAttr, as written (names keep the client's casing). */
export interface AttrPath {
  uri?: string;
  name: string;
  subAttr?: string;
}

export interface CompareNode {
  kind: "compare";
  path: AttrPath;
  op: CompareOperator;
  value: CompValue;
  /** The token as written when the value was not a quoted string (`12345`, `true`, `Test_User`). */
  literal?: string;
}

export interface PresentNode {
  kind: "present";
  path: AttrPath;
}

export interface LogicalNode {
  kind: "and" | "or";
  left: FilterNode;
  right: FilterNode;
}

export interface NotNode {
  kind: "not";
  filter: FilterNode;
}

/**
 * `emails[type eq "work"]`: some element of `path` matches `filter`, whose paths are relative to the
 * element. `emails[type eq "work"].value eq "x"` is parsed into the same shape, with the trailing
 * comparison and-ed into `filter` (it must hold for the same element).
 */
export interface ValuePathNode {
  kind: "valuePath";
  path: AttrPath;
  filter: FilterNode;
}

export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

/** RFC 7644 §3.5.2 PATCH path: `attrPath` or `valuePath [subAttr]`. */
export interface PatchPath {
  path: AttrPath;
  filter?: FilterNode;
  /** Only with a filter: `emails[type eq "work"].value` → "value". */
  subAttr?: string;
}

/** The path as one string, the form SchemaRegistry.findAttribute takes. */
export const attrPathToString = (p: AttrPath): string =>
  `${p.uri ? `${p.uri}:` : ""}${p.name}${p.subAttr ? `.${p.subAttr}` : ""}`;

const formatValue = (node: CompareNode): string =>
  typeof node.value === "string" ? JSON.stringify(node.value) : String(node.value);

/** Prints a node back as an RFC filter (for messages and round-trip tests). */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case "compare":
      return `${attrPathToString(node.path)} ${node.op} ${formatValue(node)}`;
    case "present":
      return `${attrPathToString(node.path)} pr`;
    case "and":
    case "or":
      return `(${formatFilter(node.left)} ${node.kind} ${formatFilter(node.right)})`;
    case "not":
      return `not (${formatFilter(node.filter)})`;
    case "valuePath":
      return `${attrPathToString(node.path)}[${formatFilter(node.filter)}]`;
  }
}
