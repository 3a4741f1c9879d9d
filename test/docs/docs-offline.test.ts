// The /docs page must render with no internet: every script and style comes from our own server.
import { describe, expect, test } from "bun:test";
import { Elysia, t } from "elysia";
import { DOCS_TAGS, docsPlugin } from "../../src/modules/docs";
import { DOCS_ASSETS } from "../../src/modules/docs/assets";

const app = new Elysia()
  .use(docsPlugin({ version: "1.2.3" }))
  .post("/scim/v2/:tenantId/Users", ({ body }) => body, {
    body: t.Object({ userName: t.String(), active: t.Optional(t.Boolean()) }),
    detail: { tags: [DOCS_TAGS.scim], summary: "Create a user" },
  });

const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }));

const decodeAttr = (s: string) => s.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

async function page() {
  const res = await get("/docs");
  const html = await res.text();
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map((m) => decodeAttr(m[1]));
  return { res, html, refs };
}

type OpenApi = {
  info: { title: string; version: string };
  tags: { name: string }[];
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, { tags?: string[]; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
};

describe("/docs page", () => {
  test("is HTML that references only paths on our own server", async () => {
    const { res, html, refs } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/html");
    expect(html).toContain('<div id="swagger-ui">');
    expect(refs.length).toBe(3);
    for (const ref of refs) expect(ref).toMatch(/^\/docs\/assets\/[\w.-]+\?v=\w+$/);
    // Nothing absolute anywhere in the page, not even in the inline config.
    expect(html).not.toMatch(/https?:|["'(]\/\//);
    expect(html).not.toContain("fonts");
  });

  test("turns off swagger-ui's online validator, which would call validator.swagger.io", async () => {
    const { html } = await page();
    const config = JSON.parse(decodeAttr(/data-config="([^"]*)"/.exec(html)![1]));
    expect(config).toMatchObject({ url: "/docs/json", dom_id: "#swagger-ui", validatorUrl: null });
  });

  test("every asset it references answers 200 with a JS or CSS type and a long cache", async () => {
    const { refs } = await page();
    const types = [];
    for (const ref of refs) {
      const res = await get(ref);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      types.push(res.headers.get("content-type"));
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(50);
    }
    expect(types.sort()).toEqual([
      "text/css; charset=utf-8",
      "text/javascript; charset=utf-8",
      "text/javascript; charset=utf-8",
    ]);
  });

  test("the bundle is gzipped for clients that accept it, byte-identical once unzipped", async () => {
    const bundle = DOCS_ASSETS.get("swagger-ui-bundle.js")!;
    const res = await get(bundle.href, { "accept-encoding": "gzip, deflate, br" });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("accept-encoding");
    const zipped = new Uint8Array(await res.arrayBuffer());
    expect(zipped.byteLength).toBeLessThan(bundle.body.byteLength / 2);
    expect(Bun.gunzipSync(zipped)).toEqual(bundle.body);

    const plain = await get(bundle.href);
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.arrayBuffer()).byteLength).toBe(bundle.body.byteLength);
  });

  test("an unknown asset is 404", async () => {
    expect((await get("/docs/assets/nope.js")).status).toBe(404);
  });

  // A newer swagger-ui could start loading web fonts or scripts from a CDN by itself; catch it on upgrade.
  test("the embedded scripts and styles load nothing from another host", () => {
    const css = new TextDecoder().decode(DOCS_ASSETS.get("swagger-ui.css")!.body);
    expect(css).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//);
    expect(css).not.toContain("sourceMappingURL");
    const js = new TextDecoder().decode(DOCS_ASSETS.get("swagger-ui-bundle.js")!.body);
    expect(js).not.toMatch(/unpkg\.com|jsdelivr|fonts\.googleapis|fonts\.gstatic|cdnjs/);
  });
});

describe("/docs/json", () => {
  test("has our info, tags, bearer scheme applied globally, and the route's body schema", async () => {
    const res = await get("/docs/json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApi;
    expect(doc.info).toMatchObject({ title: "scimd", version: "1.2.3" });
    expect(doc.tags.map((tag) => tag.name)).toEqual(["SCIM", "Admin", "Health"]);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.security).toEqual([{ bearer: [] }]);

    const op = doc.paths["/scim/v2/{tenantId}/Users"].post;
    expect(op.tags).toEqual(["SCIM"]);
    expect(op.requestBody!.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["userName"],
      properties: { userName: { type: "string" }, active: { type: "boolean" } },
    });
  });

  test("leaves out the page and its assets", async () => {
    const doc = (await (await get("/docs/json")).json()) as OpenApi;
    expect(Object.keys(doc.paths)).toEqual(["/scim/v2/{tenantId}/Users"]);
  });
});

test("a listening server serves our page too, not the plugin's CDN page", async () => {
  // Bun.serve takes static routes natively; make sure ours still replaces the plugin's there.
  const server = new Elysia().use(docsPlugin({ version: "1.2.3" })).listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const html = await (await fetch(`http://127.0.0.1:${server.server!.port}/docs`)).text();
    expect(html).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(html).not.toContain("unpkg");
  } finally {
    await server.stop(true);
  }
});
