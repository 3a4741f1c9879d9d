// What a handler already knows about the resource it answered with, noted for the provisioning log so that it
// need not query it again (one point query fewer per single-resource request).
const names = new WeakMap<Request, string>();

export const noteResourceName = (request: Request, name: unknown) => {
  if (typeof name === "string") names.set(request, name);
};

export const notedResourceName = (request: Request): string | undefined => names.get(request);
