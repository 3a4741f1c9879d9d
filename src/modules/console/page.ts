// The /ui HTML shell. Every URL in it is a path on this server; the scripts are ES modules embedded in the
// binary, preloaded together so that the page does not wait on a chain of imports.
import { CONSOLE_ASSETS } from "./assets";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const href = (name: string) => {
  const asset = CONSOLE_ASSETS.get(name);
  if (!asset) throw new Error(`console asset ${name} is not embedded`);
  return escapeHtml(asset.href);
};

/** Inline scripts and styles are never needed: the policy forbids them, and every other origin too. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function renderConsolePage(version: string): string {
  const modules = [...CONSOLE_ASSETS.keys()].filter((name) => name.endsWith(".mjs") && name !== "app.mjs");
  const preloads = modules.map((name) => `  <link rel="modulepreload" href="${href(name)}">`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="referrer" content="no-referrer">
  <title>scimd console</title>
  <link rel="icon" type="image/svg+xml" href="${href("icon.svg")}">
  <link rel="stylesheet" href="${href("console.css")}">
${preloads}
  <script type="module" src="${href("app.mjs")}"></script>
</head>
<body data-version="${escapeHtml(version)}">
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="topbar">
    <a class="brand" href="#/tenants"><img src="${href("icon.svg")}" alt="" width="24" height="24"><span>scimd</span></a>
    <nav id="crumbs" class="crumbs" aria-label="Breadcrumb"></nav>
    <div id="account" class="account"></div>
  </header>
  <main id="main" tabindex="-1">
    <p class="muted">Loading the console…</p>
    <noscript><p>The console needs JavaScript. The admin API works without it: see <a href="/docs">/docs</a>.</p></noscript>
  </main>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
</body>
</html>
`;
}
