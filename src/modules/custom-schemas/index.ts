// Admin API for a tenant's extension schemas (Entra's "Edit attribute list" then finds them in /Schemas).
import { Elysia, t } from "elysia";
import { adminGuard } from "../../auth/admin-guard";
import { AdminError } from "../../errors";
import type { Services } from "../../services";
import { SchemaInput } from "./model";

const tags = ["Admin"];

export const customSchemasModule = (services: Services) => {
  const exists = (id: string) => {
    if (!services.tenants.get(id)) throw new AdminError(404, `no tenant ${id}`);
  };
  return new Elysia({ prefix: "/admin/v1/tenants/:id/schemas" })
    .use(adminGuard(services))
    .get(
      "",
      ({ params }) => {
        exists(params.id);
        return services.customSchemas.extensions(params.id).map((e) => ({ ...e.schema, resourceType: e.resourceType, required: e.required ?? false }));
      },
      { detail: { tags, summary: "A tenant's extension schemas" } },
    )
    .put(
      "",
      ({ params, body }) => {
        exists(params.id);
        const saved = services.customSchemas.put(params.id, body);
        services.registries.invalidate(params.id);
        return saved;
      },
      { body: SchemaInput, detail: { tags, summary: "Declare (or replace) an extension schema for this tenant only" } },
    )
    .delete(
      "/:urn",
      ({ params, set }) => {
        exists(params.id);
        // The router has decoded the parameter already; a second decode would misread (or throw on) a literal %.
        if (!services.customSchemas.delete(params.id, params.urn)) throw new AdminError(404, `no schema ${params.urn}`);
        services.registries.invalidate(params.id);
        set.status = 204;
      },
      { params: t.Object({ id: t.String(), urn: t.String() }), detail: { tags, summary: "Remove an extension schema" } },
    );
};
