// A tenant's schema registry with one User extension of its own, as the admin API declares one (src/modules/custom-schemas).
import { createRegistry } from "../../src/scim/schema/registry.ts";
import type { AttributeDef } from "../../src/scim/schema/types.ts";

export const registryWithUserExtension = (id: string, attributes: AttributeDef[]) =>
  createRegistry([{ resourceType: "User", schema: { id, name: "Acme", description: "", attributes } }]);
