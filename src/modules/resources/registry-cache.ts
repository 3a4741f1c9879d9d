// Each tenant sees its own schema registry (issue 4 adds per-tenant extension schemas).
import { createRegistry, type SchemaRegistry } from "../../scim/schema/registry";

export class RegistryCache {
  private readonly base = createRegistry();

  forTenant(_tenantId: string): SchemaRegistry {
    return this.base;
  }
}
