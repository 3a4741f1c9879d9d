// Runs a BulkRequest: operations in request order, except that one waiting for a bulkId runs once the POST
// that defines it has. Unknown and circular references fail with 409 (RFC 7644 §3.7.1); each operation is
// its own transaction, so a failed one leaves nothing half-written.
import { ScimError } from "../../errors";
import { BULK_RESPONSE_SCHEMA } from "../../scim/schema/types";
import type { Services } from "../../services";
import { etagOf } from "../../store/resource-meta";
import { referencedBulkIds, resolveBulkIds } from "./bulk-ids";
import type { BulkOperation } from "./parse";

interface Outcome {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

const RESOURCE_PATH = /^\/(Users|Groups)(?:\/([^/]+))?$/i;

async function run(services: Services, tenant: string, op: BulkOperation, ids: Map<string, string>): Promise<Outcome> {
  const path = resolveBulkIds(op.path, ids);
  const data = resolveBulkIds(op.data, ids);
  const match = RESOURCE_PATH.exec(path);
  if (!match) throw new ScimError(404, `no SCIM endpoint ${path}`);
  const type = match[1].toLowerCase() === "users" ? "Users" : "Groups";
  const id = match[2];
  const base = { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}) };
  const location = (rid: string) => `${services.urls.base}/scim/v2/${tenant}/${type}/${rid}`;
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
  const etag = type === "Users" ? (await services.users.patch(tenant, id, data, ifMatch, {})).etag : etagOf(services.groups.patch(tenant, id, data, ifMatch));
  return { ...base, location: location(id), version: etag, status: "200" };
}

const failure = (op: BulkOperation, error: ScimError): Outcome => ({
  method: op.method,
  ...(op.bulkId ? { bulkId: op.bulkId } : {}),
  status: String(error.status),
  response: error.toJSON(),
});

export async function executeBulk(services: Services, tenant: string, operations: BulkOperation[], failOnErrors?: number) {
  const defined = new Set(operations.flatMap((op) => (op.method === "POST" && op.bulkId ? [op.bulkId] : [])));
  const ids = new Map<string, string>();
  const failed = new Set<string>();
  const outcomes = new Map<number, Outcome>();
  let errors = 0;
  let pending = [...operations];
  const record = (op: BulkOperation, outcome: Outcome) => {
    outcomes.set(op.index, outcome);
    if (Number(outcome.status) >= 400) {
      errors++;
      if (op.bulkId) failed.add(op.bulkId);
    }
  };
  while (pending.length && !(failOnErrors && errors >= failOnErrors)) {
    const waiting: BulkOperation[] = [];
    for (const op of pending) {
      if (failOnErrors && errors >= failOnErrors) break;
      const refs = [...referencedBulkIds([op.path, op.data])];
      const unknown = refs.find((r) => !defined.has(r) || failed.has(r));
      if (unknown) {
        const why = defined.has(unknown) ? "failed" : "is not defined by any POST in this request";
        record(op, failure(op, new ScimError(409, `bulkId ${JSON.stringify(unknown)} ${why}`, "invalidValue")));
        continue;
      }
      if (refs.some((r) => !ids.has(r))) {
        waiting.push(op);
        continue;
      }
      try {
        record(op, await run(services, tenant, op, ids));
      } catch (error) {
        if (!(error instanceof ScimError)) console.error("[scimd] bulk operation failed:", error);
        record(op, failure(op, error instanceof ScimError ? error : new ScimError(500, "internal server error")));
      }
    }
    if (waiting.length === pending.length) {
      for (const op of waiting) record(op, failure(op, new ScimError(409, "circular bulkId references: these operations wait on each other", "invalidValue")));
      break;
    }
    pending = waiting;
  }
  return {
    schemas: [BULK_RESPONSE_SCHEMA],
    Operations: [...outcomes.entries()].sort(([a], [b]) => a - b).map(([, o]) => o),
  };
}
