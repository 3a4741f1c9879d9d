// What one PATCH may spend on the elements of multi-valued attributes. A value filter is matched against every
// element, so n filter operations on n elements cost n² comparisons: a few thousand took seconds, with the write
// lock held and the event loop blocked (found by a review pass). Real requests stay far below the allowance
// (Entra: a few filters on a few elements).
import { badRequest, fail, ok, type Result } from "../../errors.ts";
import type { FilterNode } from "../filter/ast.ts";

/** Comparisons of one element with one filter term (or one element walked), all operations of a PATCH together. */
export const MAX_COMPARISONS = 500_000;

export interface Comparisons {
  made: number;
}

/** Counts `perElement` comparisons with each of `elements`; 400 tooMany once the PATCH is past its allowance. */
export function spend(comparisons: Comparisons, elements: readonly unknown[], perElement = 1): Result<void> {
  comparisons.made += elements.length * perElement;
  if (comparisons.made <= MAX_COMPARISONS) return ok(undefined);
  // RFC 7644 §3.12 tooMany: more than the server "is willing to calculate or process".
  const detail = `This PATCH compares more than ${MAX_COMPARISONS} values of multi-valued attributes; send it in smaller requests.`;
  return fail(badRequest("tooMany", detail));
}

/** The terms of a filter: comparisons it makes with each element. */
export const comparisonsIn = (node: FilterNode): number => {
  if (node.kind === "and" || node.kind === "or") return comparisonsIn(node.left) + comparisonsIn(node.right);
  return node.kind === "not" || node.kind === "valuePath" ? comparisonsIn(node.filter) : 1;
};
