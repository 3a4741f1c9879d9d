import { Elysia, t } from "elysia";
import { adminGuard } from "../../auth/admin-guard";
import { AdminError } from "../../errors";
import type { Services } from "../../services";
import * as M from "./credentials-model";

const tags = ["Admin"];

export const tokenEndpoint = (services: Services, tenantId: string) => `${services.urls.base}/oauth/v1/${tenantId}/token`;

/** OAuth 2.0 clients of a tenant, for the client credentials grant. */
export const adminClientsModule = (services: Services) => {
  const { tenants, clients } = services;
  const existing = (id: string) => {
    if (!tenants.get(id)) throw new AdminError(404, `no tenant ${id}`);
  };

  return new Elysia({ prefix: "/admin/v1/tenants/:id/clients" })
    .use(adminGuard(services))
    .post(
      "",
      async ({ params, body, set }) => {
        existing(params.id);
        const created = await clients.create(params.id, { description: body?.description });
        set.status = 201;
        return {
          client_id: created.clientId,
          client_secret: created.clientSecret,
          token_endpoint: tokenEndpoint(services, params.id),
          description: created.description,
          created: created.created,
        };
      },
      {
        body: t.Optional(M.ClientCreateBody),
        response: { 201: M.ClientCreated },
        detail: { tags, summary: "Create an OAuth client (client credentials grant); the secret is shown once" },
      },
    )
    .get("", ({ params }) => (existing(params.id), clients.list(params.id)), {
      response: t.Array(M.ClientInfo),
      detail: { tags, summary: "List a tenant's OAuth clients (no secrets)" },
    })
    .delete(
      "/:clientId",
      ({ params, set }) => {
        existing(params.id);
        if (!clients.delete(params.id, params.clientId)) throw new AdminError(404, `no client ${params.clientId}`);
        set.status = 204;
      },
      { detail: { tags, summary: "Delete an OAuth client: its access tokens stop working on the next request" } },
    )
    .post(
      "/:clientId/secret",
      async ({ params }) => {
        existing(params.id);
        const secret = await clients.rotateSecret(params.id, params.clientId);
        if (!secret) throw new AdminError(404, `no client ${params.clientId}`);
        return { client_id: params.clientId, client_secret: secret };
      },
      {
        response: M.SecretRotated,
        detail: { tags, summary: "Rotate a client's secret: the old one and the access tokens issued with it stop now" },
      },
    );
};
