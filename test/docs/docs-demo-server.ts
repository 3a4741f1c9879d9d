// Fixture: the docs plugin alone on a real server, to compile on its own (bun build --compile
// test/docs/docs-demo-server.ts) and look at the page in a browser with no network. Prints its URL.
import { Elysia, t } from "elysia";
import { DOCS_TAGS, docsPlugin } from "../../src/modules/docs";

const app = new Elysia()
  .use(docsPlugin({ version: "0.0.0-demo" }))
  .post("/scim/v2/:tenantId/Users", ({ body }) => body, {
    body: t.Object({ userName: t.String(), active: t.Optional(t.Boolean()) }),
    detail: { tags: [DOCS_TAGS.scim], summary: "Create a user" },
  })
  .listen({ hostname: "127.0.0.1", port: Number(process.env.PORT ?? 0) });

console.log(`listening on http://127.0.0.1:${app.server!.port}`);
