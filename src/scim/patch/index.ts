export { applyPatch, sameResource } from "./apply-patch.ts";
export { comparisonsIn, type Comparisons, spend } from "./comparisons.ts";
export { matchingMembers } from "./member-filter.ts";
export { readMembers } from "./member-ops.ts";
export { parsePatchRequest } from "./parse-operations.ts";
export type { MemberOp, MemberRef, PatchOperation, PatchOpName, PatchResult } from "./types.ts";
