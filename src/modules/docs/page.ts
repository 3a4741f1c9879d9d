// The /docs HTML. Every URL in it is a path on this server: the assets are embedded in the binary.
import { DOCS_ASSETS } from "./assets";

export interface DocsPageOptions {
  title: string;
  description: string;
  specUrl: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const href = (name: string) => {
  const asset = DOCS_ASSETS.get(name);
  if (!asset) throw new Error(`docs asset ${name} is not embedded`);
  return escapeHtml(asset.href);
};

export function renderDocsPage({ title, description, specUrl }: DocsPageOptions): string {
  const config = {
    url: specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "list",
    filter: true,
    displayRequestDuration: true,
    // The default (validator.swagger.io) sends the document's URL to a third party and shows its badge.
    validatorUrl: null,
  };
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <meta name="description" content="${escapeHtml(description)}">
  <link rel="stylesheet" href="${href("swagger-ui.css")}">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${href("swagger-ui-bundle.js")}"></script>
  <script src="${href("init.js")}" data-config="${escapeHtml(JSON.stringify(config))}"></script>
</body>
</html>
`;
}
