// What a handler already knows about its answer, noted on the request for the provisioning log so that it
// need not find it out again: the resource's name (one point query fewer per single-resource request) and a
// list's totalResults (no copy of the answer's body to tell Entra's Test Connection from a lookup).
// The notes ride on the request itself: a WeakMap with thousands of live keys costs the garbage collector.
const NAME = Symbol("scimd.resourceName");
const TOTAL = Symbol("scimd.listTotal");
type Noted = Request & { [NAME]?: string; [TOTAL]?: number };

export const noteResourceName = (request: Request, name: unknown) => {
  if (typeof name === "string") (request as Noted)[NAME] = name;
};

export const notedResourceName = (request: Request): string | undefined => (request as Noted)[NAME];

export const noteListTotal = (request: Request, total: number) => {
  (request as Noted)[TOTAL] = total;
};

export const notedListTotal = (request: Request): number | undefined => (request as Noted)[TOTAL];
