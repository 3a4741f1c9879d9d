// What a self-hoster does in the Microsoft Entra admin center with a Tenant URL and a Secret Token.
import { h } from "./dom.mjs";

export function entraSteps({ headingLevel = "h2" } = {}) {
  const step = (title, ...text) => h("li", {}, h("strong", {}, title), " ", ...text);
  return h(
    "section",
    { class: "steps", "aria-labelledby": "entra-steps-title" },
    h(headingLevel, { id: "entra-steps-title" }, "Connect Microsoft Entra ID"),
    h(
      "ol",
      {},
      step("Open your app.", "In the Microsoft Entra admin center: Enterprise applications → your app (or New application → Create your own application)."),
      step("Provisioning.", "Open Provisioning and set Provisioning Mode to ", h("em", {}, "Automatic"), "."),
      step("Admin Credentials.", "Paste the ", h("em", {}, "Tenant URL"), " and the ", h("em", {}, "Secret Token"), " from this page."),
      step("Test Connection.", "Entra probes scimd with a user that does not exist; it shows up in this tenant’s log as “Test connection”."),
      step("Save, then Mappings.", "The default user and group mappings work as they are; keep userName as the matching attribute."),
      step("Start provisioning.", "Set Provisioning Status to On and save. Entra runs a cycle about every 40 minutes; watch it arrive in the log."),
    ),
  );
}

const PRIVATE = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?|0\.0\.0\.0)/;

/** Entra calls the Tenant URL from Microsoft's cloud: a loopback, private or plain-http URL cannot work. */
export function reachabilityWarning(tenantUrl) {
  let url;
  try {
    url = new URL(tenantUrl);
  } catch {
    return null;
  }
  const problems = [];
  if (PRIVATE.test(url.hostname)) problems.push(`${url.hostname} is not reachable from the internet`);
  if (url.protocol !== "https:") problems.push("Entra requires HTTPS");
  if (!problems.length) return null;
  return h(
    "div",
    { class: "callout warn" },
    h("strong", {}, "Entra cannot reach this URL yet: "),
    `${problems.join(", and ")}. Put scimd behind an HTTPS reverse proxy and set SCIMD_PUBLIC_URL to its public address; the Tenant URL follows.`,
  );
}
