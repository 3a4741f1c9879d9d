// What a handler already knows about its answer, noted on the request for the provisioning log so that it
// need not find it out again: the resource's name (one point query fewer per single-resource request) and a
// list's totalResults (no copy of the answer's body to tell Entra's Test Connection from a lookup); whether the
// SCIM auth guard let the request in (only then may its headers and bodies be captured); and on a request
// rebuilt from another (a lower-case endpoint answered as its canonical copy), the client address, which only
// the received request's socket knows.
// The notes ride on the request itself: a WeakMap with thousands of live keys costs the garbage collector.
const NAME = Symbol("scimd.resourceName");
const TOTAL = Symbol("scimd.listTotal");
const CLIENT = Symbol("scimd.clientAddress");
const AUTHENTICATED = Symbol("scimd.authenticated");
type Noted = Request & { [NAME]?: string; [TOTAL]?: number; [CLIENT]?: string | null; [AUTHENTICATED]?: true };

export const noteResourceName = (request: Request, name: unknown) => {
  if (typeof name === "string") (request as Noted)[NAME] = name;
};

export const notedResourceName = (request: Request): string | undefined => (request as Noted)[NAME];

export const noteListTotal = (request: Request, total: number) => {
  (request as Noted)[TOTAL] = total;
};

export const notedListTotal = (request: Request): number | undefined => (request as Noted)[TOTAL];

export const noteAuthenticated = (request: Request) => {
  (request as Noted)[AUTHENTICATED] = true;
};

export const notedAuthenticated = (request: Request): boolean => (request as Noted)[AUTHENTICATED] === true;

export const noteClientAddress = (request: Request, address: string | null): Request => {
  (request as Noted)[CLIENT] = address;
  return request;
};

export const notedClientAddress = (request: Request): string | null | undefined => (request as Noted)[CLIENT];
