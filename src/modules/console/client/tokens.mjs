// A tenant's Secret Tokens: list, issue (shown once), revoke; and rotating the tenant's signing key.
import { del, get, post } from "./api.mjs";
import { ago, announce, confirmDialog, copyField, empty, errorBox, formatDay, h, replace } from "./dom.mjs";

// Arrays, not objects: an object would put its integer-like keys first and make "30 days" the default.
const EXPIRY = [["", "Never (recommended for Entra)"], ["2592000", "30 days"], ["7776000", "90 days"], ["31536000", "1 year"]];
/** A token just issued in this tab: shown by the next render of its tenant's page, then forgotten. */
let lastIssued = null;

const OVERLAP = [["0", "Immediately"], ["3600", "After 1 hour"], ["86400", "After 1 day"], ["604800", "After 7 days"]];

function stateOf(token, now = new Date().toISOString()) {
  if (token.revoked) return ["Revoked", "bad", token.revoked];
  if (token.expires && token.expires <= now) return ["Expired", "warn", token.expires];
  // A rotation retired its signing key: the token fails like a revoked one.
  if (token.keyRetired && token.keyRetired <= now) return ["Key retired", "bad", token.keyRetired];
  return ["Active", "ok", null];
}

function issued(result) {
  return h(
    "div",
    { class: "card highlight", role: "region", "aria-labelledby": "issued-title", tabindex: "-1", id: "issued" },
    h("h2", { id: "issued-title" }, "New Secret Token"),
    h("div", { class: "callout warn" }, h("strong", {}, "Copy it now: "), "it is shown only this once."),
    copyField("Secret Token", result.token, { secret: true, hint: "In Entra: Provisioning → Admin Credentials → Secret Token, then Test Connection and Save." }),
  );
}

export async function tokensView(ctx) {
  const { tenant } = ctx;
  ctx.title(`Tokens · ${tenant.name}`);
  const base = `/tenants/${encodeURIComponent(tenant.id)}`;
  const tokens = await get(`${base}/tokens`, { signal: ctx.signal });
  const slot = lastIssued?.tenant === tenant.id ? issued(lastIssued.result) : null;
  lastIssued = null;
  const message = h("div", { "aria-live": "assertive" });

  const revokeButton = (token) => {
    const button = h("button", { type: "button", class: "button small danger", "aria-label": `Revoke token ${token.jti.slice(0, 8)}` }, "Revoke");
    button.addEventListener("click", async () => {
      const sure = await confirmDialog({
        title: "Revoke this token?",
        body: h("p", {}, "The next request with it fails with 401. If Entra still uses it, provisioning stops until you paste a new token."),
        confirm: "Revoke token",
        danger: true,
      });
      if (!sure) return button.focus();
      try {
        await del(`${base}/tokens/${encodeURIComponent(token.jti)}`);
        announce("Token revoked");
        ctx.go(ctx.path, {}, { focus: "#tokens-title" });
      } catch (error) {
        replace(message, errorBox(error));
      }
    });
    return button;
  };

  const rows = tokens
    .slice()
    .reverse()
    .map((token) => {
      const [state, kind] = stateOf(token);
      return h(
        "tr",
        { class: state === "Active" ? undefined : "inactive" },
        h(
          "th",
          { scope: "row", "data-label": "Token" },
          token.description ?? h("span", { class: "muted" }, "No description"),
          h("div", { class: "mono small muted", title: `token ${token.jti}, key ${token.kid}` }, `${token.jti.slice(0, 8)} · key ${token.kid.slice(0, 8)}`),
        ),
        h("td", { "data-label": "Issued" }, ago(token.created)),
        h("td", { "data-label": "Last used" }, ago(token.lastUsed)),
        h("td", { "data-label": "Expires" }, token.expires ? formatDay(token.expires) : h("span", { class: "muted" }, "never")),
        h("td", { "data-label": "Status" }, h("span", { class: ["badge", kind] }, state)),
        h("td", { "data-label": "" }, state === "Active" && revokeButton(token)),
      );
    });

  const description = h("input", { id: "token-description", name: "description", maxlength: "200", placeholder: "e.g. Entra production app", autocomplete: "off" });
  const expiry = h("select", { id: "token-expiry", name: "expiry", "aria-describedby": "token-expiry-hint" }, EXPIRY.map(([v, text]) => h("option", { value: v }, text)));
  const issueForm = h(
    "form",
    { class: "card", "aria-labelledby": "issue-title" },
    h("h2", { id: "issue-title" }, "Issue a token"),
    h("div", { class: "field" }, h("label", { for: "token-description" }, "Description"), description),
    h(
      "div",
      { class: "field" },
      h("label", { for: "token-expiry" }, "Expires"),
      expiry,
      h("p", { id: "token-expiry-hint", class: "hint" }, "Entra never refreshes a Secret Token: with an expiry, provisioning stops on that day."),
    ),
    h("button", { type: "submit", class: "button primary" }, "Issue token"),
  );
  issueForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { description: description.value.trim() || undefined, expiresInSeconds: expiry.value ? Number(expiry.value) : undefined };
    try {
      lastIssued = { tenant: tenant.id, result: await post(`${base}/tokens`, body) };
      ctx.go(ctx.path, {}, { focus: "#issued" });
    } catch (error) {
      replace(message, errorBox(error));
    }
  });

  const overlap = h("select", { id: "rotate-overlap", name: "overlap" }, OVERLAP.map(([v, text]) => h("option", { value: v }, text)));
  const rotateForm = h(
    "form",
    { class: "card", "aria-labelledby": "rotate-title" },
    h("h2", { id: "rotate-title" }, "Rotate the signing key"),
    h("p", { class: "muted" }, "Tokens are signed with the tenant’s key. A new key signs new tokens; tokens of the old key stop working when it retires."),
    h("div", { class: "field" }, h("label", { for: "rotate-overlap" }, "Old tokens stop working"), overlap),
    h("button", { type: "submit", class: "button danger" }, "Rotate key"),
  );
  rotateForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const seconds = Number(overlap.value);
    const sure = await confirmDialog({
      title: "Rotate the signing key?",
      body: h("p", {}, `Every current token stops working ${OVERLAP.find(([v]) => Number(v) === seconds)[1].toLowerCase()}. Issue a new token and paste it into Entra before then.`),
      confirm: "Rotate key",
      danger: true,
    });
    if (!sure) return;
    try {
      const { kid } = await post(`${base}/keys/rotate`, { overlapSeconds: seconds });
      announce(`Key rotated; new key ${kid}`);
      replace(message, h("div", { class: "callout ok" }, `New signing key ${kid}. Issue a new token now and update it in Entra.`));
      description.focus();
    } catch (error) {
      replace(message, errorBox(error));
    }
  });

  const list = tokens.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "table responsive" }, h("caption", { class: "visually-hidden" }, "Secret Tokens, newest first"), h("thead", {}, h("tr", {}, ["Token", "Issued", "Last used", "Expires", "Status", h("span", { class: "visually-hidden" }, "Actions")].map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, rows)))
    : empty("No tokens", "Issue one to connect Entra.");
  return h(
    "div",
    { class: "stack tokens-view" },
    slot,
    h(
      "div",
      { class: "grid tokens-grid" },
      h(
        "section",
        { class: "card flush", "aria-labelledby": "tokens-title" },
        h("div", { class: "card-pad" }, h("h2", { id: "tokens-title", tabindex: "-1" }, "Secret Tokens"), message),
        list,
      ),
      h("div", { class: "stack" }, issueForm, rotateForm),
    ),
  );
}
