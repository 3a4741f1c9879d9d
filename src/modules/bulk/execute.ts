// Runs a BulkRequest: operations in request order, except that one needing a bulkId runs once the POST that
// defines it has (see order.ts). A reference to a POST that failed, and circular references, fail with 409
// (RFC 7644 §3.7.1); each operation is its own transaction, so a failed one leaves nothing half-written.
import { ScimError } from "../../errors";
import { BULK_RESPONSE_SCHEMA } from "../../scim/schema/types";
import type { Services } from "../../services";
import { referencedBulkIds } from "./bulk-ids";
import { executionOrder } from "./order";
import type { BulkOperation } from "./parse";
import { attempt, failure, type Outcome } from "./run-operation";

export async function executeBulk(services: Services, tenant: string, operations: BulkOperation[], failOnErrors?: number) {
  const definedAt = new Map<string, number>();
  operations.forEach((op, i) => op.method === "POST" && op.bulkId && definedAt.set(op.bulkId, i));
  const references = operations.map((op) => [...referencedBulkIds([op.path, op.data], definedAt)]);
  const { order, stuck } = executionOrder(references.map((refs) => refs.map((r) => definedAt.get(r)!)));

  const ids = new Map<string, string>();
  const failed = new Set<string>();
  const outcomes: (Outcome | undefined)[] = [];
  let errors = 0;
  const stopped = () => failOnErrors !== undefined && errors >= failOnErrors;
  const record = (i: number, outcome: Outcome) => {
    outcomes[i] = outcome;
    if (Number(outcome.status) < 400) return;
    errors++;
    const bulkId = operations[i].bulkId;
    if (bulkId) failed.add(bulkId);
  };
  const fail = (i: number, detail: string) => record(i, failure(services, tenant, operations[i], ids, definedAt, new ScimError(409, detail, "invalidValue")));

  // Once the database fails an operation (another process holding the write lock past the busy timeout, a full
  // disk), the rest are not attempted: each would wait out the timeout again, 5 s apiece. Each says so, so a
  // client can send exactly those again.
  let unavailable: string | undefined;
  for (const i of order) {
    if (stopped()) break;
    const missing = references[i].find((r) => failed.has(r));
    if (missing) fail(i, `bulkId ${JSON.stringify(missing)} failed`);
    else if (unavailable) record(i, failure(services, tenant, operations[i], ids, definedAt, new ScimError(503, `not attempted: ${unavailable}`)));
    else {
      const outcome = await attempt(services, tenant, operations[i], ids, definedAt);
      record(i, outcome);
      if (outcome.status === "503") unavailable = (outcome.response as { detail?: string } | undefined)?.detail ?? "the database is unavailable";
    }
  }
  // Each circular-reference refusal is an error like any other: failOnErrors stops the rest of them too.
  for (const i of stuck) {
    if (stopped()) break;
    fail(i, "circular bulkId references: these operations wait on each other");
  }
  return {
    schemas: [BULK_RESPONSE_SCHEMA],
    Operations: outcomes.filter((o): o is Outcome => o !== undefined),
  };
}
