import { unauthorized } from "../../auth/scim-guard";
import { whileTenantExists } from "../../db/tenant-gone";
import { ScimError, conflict, notFound } from "../../errors";
import type { Result } from "../../errors";
import { isUniqueViolation } from "../../store/resource-meta";

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/** Runs a write; a UNIQUE violation becomes 409 uniqueness (RFC 7644 §3.3). */
export function uniquely<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${what} is already taken in this tenant`);
    throw error;
  }
}

/**
 * Runs a write that adds a row of the tenant. The tenant may have been deleted (by the admin API, or by the CLI
 * in another process) after the request passed the guard, while it awaited its body or a password hash: the
 * row's foreign key then fails, and the request gets the 401 the guard gives a tenant that does not exist.
 */
export const whileTenantServes = <T>(tenant: string, write: () => T): T => whileTenantExists(tenant, write, unauthorized);

export function mustExist<T>(row: T | undefined, resourceType: string, id: string): T {
  if (!row) throw notFound(`${resourceType} ${id} not found`);
  return row;
}

/**
 * RFC 7644 §3.14: If-Match on a write must name the current version (`current`, an ETag), or `*`. Only `null`
 * means no precondition: an empty value lists no ETag, so nothing matches it (RFC 9110 §13.1.1).
 */
export function checkIfMatch(ifMatch: string | null, current: string) {
  if (ifMatch === null) return;
  const tags = ifMatch.split(",").map((t) => t.trim());
  if (tags.includes("*") || tags.includes(current) || tags.includes(current.slice(2))) return;
  if (ifMatch.trim() === "") throw new ScimError(412, `an empty version names no ETag, so it never matches; the resource's version is ${current}`);
  throw new ScimError(412, `resource version is ${current}, not ${ifMatch}`, undefined);
}
