// One bulk operation, run as the endpoint it names would run it, and the outcome the BulkResponse lists.
import { storageFailure } from "../../db/storage-failure";
import { ScimError } from "../../errors";
import type { Services } from "../../services";
import { etagOf } from "../../store/resource-meta";
import { type BulkIdSet, referencedBulkIds, resolveBulkIds } from "./bulk-ids";
import type { BulkOperation } from "./parse";

export interface Outcome {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

const RESOURCE_PATH = /^\/(Users|Groups)(?:\/([^/?#]+))?$/i;
// RFC 7644 §3.7: an operation's path is the resource's relative path; a query or fragment has no place in it and
// would otherwise be read as part of the id.
const QUERY_OR_FRAGMENT = /[?#]/;

function target(path: string) {
  const match = RESOURCE_PATH.exec(path);
  if (!match) return undefined;
  return { type: match[1].toLowerCase() === "users" ? ("Users" as const) : ("Groups" as const), id: match[2] };
}

const locationOf = (services: Services, tenant: string, type: string, id: string) => `${services.urls.base}/scim/v2/${tenant}/${type}/${id}`;
async function run(services: Services, tenant: string, op: BulkOperation, ids: Map<string, string>): Promise<Outcome> {
  const path = resolveBulkIds(op.path, ids);
  const data = resolveBulkIds(op.data, ids);
  const named = target(path);
  if (!named && QUERY_OR_FRAGMENT.test(path)) {
    throw new ScimError(400, `path ${path} holds a query or fragment; a bulk operation's path is the resource's path only, such as /Users or /Users/{id}`, "invalidPath");
  }
  if (!named) throw new ScimError(404, `no SCIM endpoint ${path}`);
  const { type, id } = named;
  const base = { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}) };
  const location = (rid: string) => locationOf(services, tenant, type, rid);
  if (op.method === "POST") {
    if (id) throw new ScimError(400, "POST goes to /Users or /Groups, without an id", "invalidPath");
    const written = type === "Users" ? await services.users.create(tenant, data, {}) : services.groups.create(tenant, data, {});
    const newId = String(written.resource.id);
    if (op.bulkId) ids.set(op.bulkId, newId);
    return { ...base, location: location(newId), version: written.etag, status: "201" };
  }
  if (!id) throw new ScimError(400, `${op.method} needs a resource path such as /${type}/{id}`, "invalidPath");
  const ifMatch = op.version ?? null;
  if (op.method === "DELETE") {
    if (type === "Users") services.users.delete(tenant, id, ifMatch);
    else services.groups.delete(tenant, id, ifMatch);
    return { ...base, location: location(id), status: "204" };
  }
  if (op.method === "PUT") {
    const written = type === "Users" ? await services.users.replace(tenant, id, data, ifMatch, {}) : services.groups.replace(tenant, id, data, ifMatch, {});
    return { ...base, location: location(id), version: written.etag, status: "200" };
  }
  const version = type === "Users" ? (await services.users.patch(tenant, id, data, ifMatch, {})).etag : etagOf(services.groups.patch(tenant, id, data, ifMatch));
  return { ...base, location: location(id), version, status: "200" };
}

/**
 * RFC 7644 §3.7.3: location is "REQUIRED for all operations except in the event of a POST failure", so a PUT, PATCH
 * or DELETE names the resource its path names whether it exists or not (the RFC's failed PUT carries one too).
 * A path that names no resource of this tenant (no id, another endpoint or tenant, a query or fragment the
 * operation was refused for, an id that is still a `bulkId:` whose POST failed or never ran) has no URL to give:
 * one made up from it would name nothing a client could ever reach, so location is left out.
 */
function namedLocation(services: Services, tenant: string, op: BulkOperation, ids: Map<string, string>, defined: BulkIdSet): string | undefined {
  if (op.method === "POST") return undefined;
  const path = resolveBulkIds(op.path, ids);
  const named = target(path);
  if (!named?.id || referencedBulkIds(path, defined).size > 0) return undefined;
  return locationOf(services, tenant, named.type, named.id);
}

export function failure(services: Services, tenant: string, op: BulkOperation, ids: Map<string, string>, defined: BulkIdSet, error: ScimError): Outcome {
  const location = namedLocation(services, tenant, op, ids, defined);
  return {
    method: op.method,
    ...(op.bulkId ? { bulkId: op.bulkId } : {}),
    ...(location ? { location } : {}),
    status: String(error.status),
    response: error.toJSON(),
  };
}

export async function attempt(services: Services, tenant: string, op: BulkOperation, ids: Map<string, string>, defined: BulkIdSet): Promise<Outcome> {
  try {
    return await run(services, tenant, op, ids);
  } catch (error) {
    return failure(services, tenant, op, ids, defined, operationError(error));
  }
}

/** What the operation's endpoint would have answered: a storage failure (a lock held past the busy timeout) is a 503. */
function operationError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  const storage = storageFailure(error);
  if (storage) return new ScimError(503, storage.detail);
  console.error("[scimd] bulk operation failed:", error);
  return new ScimError(500, "internal server error");
}
