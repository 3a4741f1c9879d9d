import { Elysia, t } from "elysia";
import { adminGuard } from "../../auth/admin-guard";
import { AdminError } from "../../errors";
import { type Services, tenantUrl } from "../../services";
import { tenantName } from "../tenants/name";
import * as M from "./model";
import { settingsView } from "./settings";

const tags = ["Admin"];

export const adminTenantsModule = (services: Services) => {
  const { tenants, tokens } = services;
  const existing = (id: string) => {
    const tenant = tenants.get(id);
    if (!tenant) throw new AdminError(404, `no tenant ${id}`);
    return tenant;
  };
  const withUrl = <T extends { id: string }>(tenant: T) => ({ ...tenant, tenantUrl: tenantUrl(services, tenant.id) });

  return new Elysia({ prefix: "/admin/v1/tenants" })
    .use(adminGuard(services))
    .post(
      "/",
      async ({ body, set }) => {
        const name = tenantName(body.name);
        if (!name.ok) throw new AdminError(400, name.error);
        const { tenant, token } = await tenants.create(name.value);
        set.status = 201;
        return { ...withUrl(tenant), token };
      },
      { body: M.TenantCreateBody, response: { 201: M.TenantCreated }, detail: { tags, summary: "Create a tenant and its first Secret Token" } },
    )
    .get("/", () => tenants.list().map(withUrl), {
      response: t.Array(M.Tenant),
      detail: { tags, summary: "List tenants" },
    })
    .get(
      "/:id",
      ({ params }) => ({
        ...withUrl(existing(params.id)),
        ...tenants.counts(params.id),
        settings: settingsView(services, services.tenantSettings.get(params.id)),
      }),
      {
        response: M.TenantWithCounts,
        detail: { tags, summary: "One tenant with its user and group counts and its settings" },
      },
    )
    .delete(
      "/:id",
      ({ params, set }) => {
        if (!tenants.delete(params.id)) throw new AdminError(404, `no tenant ${params.id}`);
        set.status = 204;
      },
      { detail: { tags, summary: "Delete a tenant and all its data" } },
    )
    .get("/:id/tokens", ({ params }) => (existing(params.id), tokens.list(params.id)), {
      response: t.Array(M.TokenInfo),
      detail: { tags, summary: "List a tenant's tokens (metadata only; tokens are never stored)" },
    })
    .post(
      "/:id/tokens",
      async ({ params, body, set }) => {
        existing(params.id);
        set.status = 201;
        return tokens.issue(params.id, body ?? {});
      },
      { body: t.Optional(M.TokenIssueBody), response: { 201: M.TokenIssued }, detail: { tags, summary: "Issue a Secret Token" } },
    )
    .delete(
      "/:id/tokens/:jti",
      ({ params, set }) => {
        existing(params.id);
        if (!tokens.revoke(params.id, params.jti)) throw new AdminError(404, `no token ${params.jti}`);
        set.status = 204;
      },
      { detail: { tags, summary: "Revoke a token: the very next request with it fails" } },
    )
    .post(
      "/:id/keys/rotate",
      async ({ params, body }) => {
        existing(params.id);
        return { kid: await tenants.rotateKey(params.id, body?.overlapSeconds ?? 0) };
      },
      {
        body: t.Optional(M.RotateKeyBody),
        response: t.Object({ kid: t.String() }),
        detail: { tags, summary: "Rotate the signing key: tokens of the old key stop after the overlap" },
      },
    );
};
