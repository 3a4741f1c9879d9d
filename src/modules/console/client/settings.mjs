// A tenant's settings: body capture in the log, the rate limit, and deleting the tenant.
import { del, get, put, request } from "./api.mjs";
import { announce, confirmDialog, errorBox, h, number, replace } from "./dom.mjs";

/** `message` is a live region: putting the text there is what announces it. */
function saved(message, text) {
  replace(message, h("div", { class: "callout ok" }, text));
}

export async function settingsView(ctx) {
  const { tenant } = ctx;
  ctx.title(`Settings · ${tenant.name}`);
  const base = `/tenants/${encodeURIComponent(tenant.id)}`;
  const [logSettings, settings] = await Promise.all([get(`${base}/log-settings`, { signal: ctx.signal }), get(`${base}/settings`, { signal: ctx.signal })]);

  const captureMessage = h("div", { "aria-live": "polite" });
  const capture = h("input", { id: "capture-bodies", type: "checkbox", checked: logSettings.captureBodies, "aria-describedby": "capture-hint" });
  const captureForm = h(
    "form",
    { class: "card", "aria-labelledby": "capture-title" },
    h("h2", { id: "capture-title" }, "Provisioning log"),
    h("div", { class: "check" }, capture, h("label", { for: "capture-bodies" }, "Capture request and response bodies")),
    h("p", { id: "capture-hint", class: "hint" }, "Helps to see exactly what Entra sent. Passwords, tokens and Authorization headers are always redacted. Off by default."),
    h("button", { type: "submit", class: "button primary" }, "Save"),
    captureMessage,
  );
  captureForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await put(`${base}/log-settings`, { captureBodies: capture.checked });
      saved(captureMessage, result.captureBodies ? "Bodies are now captured for new requests." : "Bodies are no longer captured.");
    } catch (error) {
      replace(captureMessage, errorBox(error));
    }
  });

  const rateMessage = h("div", { "aria-live": "polite" });
  const rate = h("input", { id: "rate-limit", type: "number", min: "0", max: "1000000", inputmode: "numeric", value: settings.rateLimit ?? "", placeholder: String(settings.effectiveRateLimit), "aria-describedby": "rate-hint" });
  const rateText = (value) =>
    `Now ${number.format(value.effectiveRateLimit)} per second${value.rateLimit === null ? " (the server default, SCIMD_RATE_LIMIT)" : ""}; bursts of twice that. Empty: the server default. 0: no limit. Entra needs at least 25.`;
  const rateHint = h("p", { id: "rate-hint", class: "hint" }, rateText(settings));
  const rateForm = h(
    "form",
    { class: "card", "aria-labelledby": "rate-title" },
    h("h2", { id: "rate-title" }, "Rate limit"),
    h("div", { class: "field" }, h("label", { for: "rate-limit" }, "Requests per second"), rate),
    rateHint,
    h("button", { type: "submit", class: "button primary" }, "Save"),
    rateMessage,
  );
  rateForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = rate.value.trim() === "" ? null : Number(rate.value);
    try {
      const result = await (await request(`${base}`, { method: "PATCH", body: { rateLimit: value } })).json();
      rateHint.textContent = rateText(result);
      saved(rateMessage, `Rate limit: ${number.format(result.effectiveRateLimit)} requests per second${result.rateLimit === null ? " (server default)" : ""}.`);
    } catch (error) {
      replace(rateMessage, errorBox(error));
    }
  });

  const deleteMessage = h("div", { "aria-live": "assertive" });
  const deleteButton = h("button", { type: "button", class: "button danger" }, `Delete ${tenant.name}`);
  deleteButton.addEventListener("click", async () => {
    const sure = await confirmDialog({
      title: `Delete ${tenant.name}?`,
      body: h("p", {}, `Its ${number.format(tenant.users)} users, ${number.format(tenant.groups)} groups, tokens and log go with it, and Entra’s provisioning to this Tenant URL fails from now on. This cannot be undone.`),
      confirm: "Delete tenant",
      danger: true,
    });
    if (!sure) return deleteButton.focus();
    try {
      await del(base);
      announce(`${tenant.name} deleted`);
      ctx.go("/tenants");
    } catch (error) {
      replace(deleteMessage, errorBox(error));
    }
  });

  return h(
    "div",
    { class: "grid two" },
    h("div", { class: "stack" }, captureForm, rateForm),
    h(
      "section",
      { class: "card danger-zone", "aria-labelledby": "delete-title" },
      h("h2", { id: "delete-title" }, "Delete the tenant"),
      h("p", { class: "muted" }, "Removes the tenant and everything in it. Stop provisioning in Entra first."),
      deleteButton,
      deleteMessage,
    ),
  );
}
