// /docs (the OpenAPI page) and /docs/json (the document). The page and its assets are served from the
// binary itself, so it renders on a machine with no internet.
import { Elysia, NotFoundError } from "elysia";
import { swagger } from "@elysiajs/swagger";
import { ASSET_PREFIX, DOCS_ASSETS, assetResponse } from "./assets";
import { openApiDocumentation } from "./documentation";
import { renderDocsPage } from "./page";

export { DOCS_TAGS } from "./documentation";

const DOCS_PATH = "/docs";
const SPEC_PATH = "/docs/json";

export function docsPlugin(opts: { version: string }) {
  const documentation = openApiDocumentation(opts.version);
  const html = renderDocsPage({
    title: `${documentation.info?.title ?? "scimd"} API`,
    description: documentation.info?.description ?? "",
    specUrl: SPEC_PATH,
  });
  const page = () =>
    new Response(html, {
      // no-cache: a new release's page must point at the new assets' hashed URLs.
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
    });

  return (
    new Elysia({ name: "docs", seed: opts.version })
      .use(
        swagger({
          path: DOCS_PATH,
          specPath: SPEC_PATH,
          provider: "swagger-ui",
          documentation,
          exclude: [new RegExp(`^${ASSET_PREFIX}`)],
        }),
      )
      // Registered after the plugin so that it replaces the plugin's own page, whose script tag always
      // points at unpkg.com (the plugin has no option to serve swagger-ui's assets locally).
      .get(DOCS_PATH, page, { detail: { hide: true } })
      .get(
        `${ASSET_PREFIX}:name`,
        ({ params, request }) => {
          const asset = DOCS_ASSETS.get(params.name);
          if (!asset) throw new NotFoundError();
          return assetResponse(asset, request.headers.get("accept-encoding"));
        },
        { detail: { hide: true } },
      )
  );
}
