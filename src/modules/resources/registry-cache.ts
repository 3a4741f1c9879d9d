// Each tenant sees its own schema registry: the standard schemas plus the extensions declared for it.
// Built once per tenant and rebuilt when its declarations change.
import { createRegistry, type SchemaRegistry } from "../../scim/schema/registry";
import type { CustomSchemas } from "../custom-schemas/service";

export class RegistryCache {
  private readonly base = createRegistry();
  private readonly byTenant = new Map<string, SchemaRegistry>();

  constructor(private custom?: CustomSchemas) {}

  forTenant(tenantId: string): SchemaRegistry {
    if (!this.custom) return this.base;
    let registry = this.byTenant.get(tenantId);
    if (!registry) {
      const extensions = this.custom.extensions(tenantId);
      registry = extensions.length ? createRegistry(extensions) : this.base;
      this.byTenant.set(tenantId, registry);
    }
    return registry;
  }

  invalidate(tenantId: string) {
    this.byTenant.delete(tenantId);
  }
}
