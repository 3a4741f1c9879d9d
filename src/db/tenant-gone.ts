// A write for a tenant that ran after an await (hashing, signing, key generation) may find the tenant deleted
// meanwhile: the row's foreign key then fails. That is "no such tenant" (404), as it would have been a moment
// earlier, not a server fault.
import { AdminError } from "../errors";

export const noSuchTenant = (tenantId: string) => new AdminError(404, `no tenant ${tenantId}`);

const isForeignKeyViolation = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === "SQLITE_CONSTRAINT_FOREIGNKEY";

/**
 * Runs `write`; a foreign-key failure (the tenant is gone) becomes `gone()`: by default the admin API's 404 "no
 * tenant"; a SCIM request gets the answer its next request would (see write-helpers' whileTenantServes).
 */
export function whileTenantExists<T>(tenantId: string, write: () => T, gone: () => Error = () => noSuchTenant(tenantId)): T {
  try {
    return write();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw gone();
    throw error;
  }
}
