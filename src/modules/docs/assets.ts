// The docs page's scripts and styles. The file imports put them inside the compiled binary, so the page
// needs neither node_modules nor a CDN. ("file", not "text": the bundle has non-ASCII characters, and as a
// text import the binary would carry it as a two-bytes-per-character string, 3.8 MB instead of 1.7 MB.)
import { readFileSync } from "node:fs";
import bundlePath from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import cssPath from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
import { INIT_SCRIPT } from "./init-script";

export const ASSET_PREFIX = "/docs/assets/";

export interface DocsAsset {
  name: string;
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  /** Path plus a content hash: the URL changes whenever the bytes do, so browsers may cache it for a year. */
  href: string;
  gzipped?: Uint8Array<ArrayBuffer>;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

// The .map files are not shipped; without this a browser's dev tools ask for them and get 404s.
const stripSourceMap = (text: string) => text.replace(/\s*\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n");
const readText = (path: string) => readFileSync(path, "utf8");

function asset(name: string, contentType: string, content: string | Uint8Array<ArrayBuffer>): DocsAsset {
  const body = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const hash = Bun.hash(body).toString(36);
  return { name, contentType, body, href: `${ASSET_PREFIX}${name}?v=${hash}` };
}

export const DOCS_ASSETS: ReadonlyMap<string, DocsAsset> = new Map(
  [
    asset("swagger-ui-bundle.js", JS, new Uint8Array(readFileSync(bundlePath))),
    asset("swagger-ui.css", CSS, stripSourceMap(readText(cssPath))),
    asset("init.js", JS, INIT_SCRIPT),
  ].map((a) => [a.name, a]),
);

const CACHE_FOREVER = "public, max-age=31536000, immutable";

export function assetResponse(asset: DocsAsset, acceptEncoding: string | null): Response {
  const headers: Record<string, string> = {
    "content-type": asset.contentType,
    "cache-control": CACHE_FOREVER,
    "x-content-type-options": "nosniff",
    vary: "accept-encoding",
  };
  const worthIt = asset.body.byteLength > 1024;
  if (!worthIt || !acceptEncoding || !/\bgzip\b/.test(acceptEncoding)) return new Response(asset.body, { headers });
  // Compressed on first use rather than at start: the bundle shrinks from 1.7 MB to about a third.
  asset.gzipped ??= Bun.gzipSync(asset.body);
  return new Response(asset.gzipped, { headers: { ...headers, "content-encoding": "gzip" } });
}
