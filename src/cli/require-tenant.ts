import type { Services } from "../services";
import { CommandError, UsageError } from "./args";

export function requireTenant(services: Services, id: string | undefined): string {
  if (!id) throw new UsageError("missing TENANT_ID");
  if (!services.tenants.get(id)) throw new CommandError(`no tenant ${id}; \`scimd tenant list\` shows them`);
  return id;
}
