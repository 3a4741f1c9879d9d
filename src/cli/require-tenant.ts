import type { Services } from "../services";
import { UsageError } from "./args";

export function requireTenant(services: Services, id: string | undefined): string {
  if (!id) throw new UsageError("missing TENANT_ID");
  if (!services.tenants.get(id)) throw new UsageError(`no tenant ${id}`);
  return id;
}
