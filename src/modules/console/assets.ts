// The console's scripts, styles and icon, embedded in the binary by the file imports. All of them live under
// one directory named by a hash of their bytes, so the ES modules' relative imports stay inside one release
// and every file may be cached for a year.
import { readFileSync } from "node:fs";
import type { DocsAsset } from "../docs/assets";
import api from "./client/api.mjs" with { type: "file" };
import app from "./client/app.mjs" with { type: "file" };
import chart from "./client/chart.mjs" with { type: "file" };
import css from "./client/console.css" with { type: "file" };
import directory from "./client/directory.mjs" with { type: "file" };
import dom from "./client/dom.mjs" with { type: "file" };
import entra from "./client/entra.mjs" with { type: "file" };
import icon from "./client/icon.svg" with { type: "file" };
import log from "./client/log.mjs" with { type: "file" };
import overview from "./client/overview.mjs" with { type: "file" };
import settings from "./client/settings.mjs" with { type: "file" };
import signin from "./client/signin.mjs" with { type: "file" };
import tenants from "./client/tenants.mjs" with { type: "file" };
import tokens from "./client/tokens.mjs" with { type: "file" };

export const CONSOLE_PATH = "/ui";

const JS = "text/javascript; charset=utf-8";
const TYPES: Record<string, string> = { mjs: JS, css: "text/css; charset=utf-8", svg: "image/svg+xml" };

const FILES: [string, string][] = [
  ["app.mjs", app], ["api.mjs", api], ["dom.mjs", dom], ["chart.mjs", chart], ["entra.mjs", entra],
  ["signin.mjs", signin], ["tenants.mjs", tenants], ["overview.mjs", overview], ["directory.mjs", directory],
  ["log.mjs", log], ["tokens.mjs", tokens], ["settings.mjs", settings], ["console.css", css], ["icon.svg", icon],
];

const entries = FILES.map(([name, path]) => ({ name, body: new Uint8Array(readFileSync(path)) }));

/** One hash over every file: a release's modules only ever import each other. */
export const BUILD_HASH = Bun.hash(entries.map((e) => `${e.name}:${Bun.hash(e.body).toString(36)}`).join("|")).toString(36);
export const ASSET_BASE = `${CONSOLE_PATH}/assets/${BUILD_HASH}/`;

export const CONSOLE_ASSETS: ReadonlyMap<string, DocsAsset> = new Map(
  entries.map(({ name, body }) => {
    const contentType = TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
    return [name, { name, contentType, body, href: `${ASSET_BASE}${name}` }];
  }),
);
