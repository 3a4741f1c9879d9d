// Runs in the browser after swagger-ui-bundle.js. The options come from the page (data-config), so this file
// never changes and may be cached with the other assets; keeping it out of the page lets a CSP forbid
// inline scripts.
export const INIT_SCRIPT = `"use strict";
window.ui = SwaggerUIBundle(JSON.parse(document.currentScript.dataset.config));
`;
