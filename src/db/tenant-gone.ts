// A write for a tenant that ran after an await (hashing, signing, key generation) may find the tenant deleted
// meanwhile: the row's foreign key then fails. That is "no such tenant" (404), as it would have been a moment
// earlier, not a server fault.
import { AdminError } from "../errors";

export const noSuchTenant = (tenantId: string) => new AdminError(404, `no tenant ${tenantId}`);

const isForeignKeyViolation = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === "SQLITE_CONSTRAINT_FOREIGNKEY";

/** Runs `write`; a foreign-key failure (the tenant is gone) becomes 404 "no tenant". */
export function whileTenantExists<T>(tenantId: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw noSuchTenant(tenantId);
    throw error;
  }
}
