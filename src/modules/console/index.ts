// The admin console at /ui: an HTML shell and its embedded ES modules, plus the read-only directory routes
// the console needs. Everything it loads comes from this server; the admin token never leaves the tab.
import { Elysia, NotFoundError } from "elysia";
import type { Services } from "../../services";
import { assetResponse } from "../docs/assets";
import { BUILD_HASH, CONSOLE_ASSETS, CONSOLE_PATH } from "./assets";
import { consoleDirectory } from "./directory";
import { CONSOLE_CSP, renderConsolePage } from "./page";

const SECURITY_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

export function consoleModule(services: Services) {
  const html = renderConsolePage(services.version);
  const page = () =>
    new Response(html, {
      // no-cache: a new release's page must point at the new assets' directory.
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", ...SECURITY_HEADERS },
    });
  const hide = { detail: { hide: true } };

  return new Elysia({ name: "console" })
    .get(CONSOLE_PATH, page, hide)
    .get(`${CONSOLE_PATH}/`, page, hide)
    .get(
      `${CONSOLE_PATH}/assets/:hash/:name`,
      ({ params, request }) => {
        const asset = CONSOLE_ASSETS.get(params.name);
        // An old page asking for an old release's files gets a 404, never new bytes under an old URL.
        if (!asset || params.hash !== BUILD_HASH) throw new NotFoundError();
        const response = assetResponse(asset, request.headers.get("accept-encoding"));
        response.headers.set("x-content-type-options", "nosniff");
        return response;
      },
      hide,
    )
    .use(consoleDirectory(services));
}
