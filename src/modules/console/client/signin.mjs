// Sign in with the admin token: checked against the admin API before it is kept (sessionStorage, this tab only).
import { ApiError, request, session } from "./api.mjs";
import { h, replace } from "./dom.mjs";

const REASON = "scimd.signedOutReason";

function explain(error, token) {
  if (!(error instanceof ApiError) || error.status !== 401) return error.message;
  // A tenant's Secret Token is a JWT; the admin token is not.
  if (/^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(token)) {
    return "That is a tenant's Secret Token (the one pasted into Entra). The console needs the admin token.";
  }
  return "That admin token was not accepted. Check that it was copied whole: it is printed once when scimd first starts, or it is the SCIMD_ADMIN_TOKEN you set.";
}

export async function signinView(ctx) {
  ctx.title("Sign in");
  const reason = sessionStorage.getItem(REASON);
  sessionStorage.removeItem(REASON);
  const message = h("div", { id: "signin-message", "aria-live": "assertive" });
  if (reason) replace(message, h("div", { class: "callout warn" }, reason));

  const input = h("input", {
    id: "admin-token",
    name: "token",
    type: "password",
    required: true,
    autocomplete: "off",
    spellcheck: "false",
    class: "mono",
    "aria-describedby": "admin-token-hint signin-message",
    "data-autofocus": true,
  });
  const reveal = h("button", { type: "button", class: "button small ghost", "aria-pressed": "false" }, "Show");
  reveal.addEventListener("click", () => {
    const shown = input.type === "text";
    input.type = shown ? "password" : "text";
    reveal.textContent = shown ? "Show" : "Hide";
    reveal.setAttribute("aria-pressed", String(!shown));
    input.focus();
  });
  const submit = h("button", { type: "submit", class: "button primary wide" }, "Sign in");

  const form = h(
    "form",
    { class: "card signin", novalidate: true },
    h("h1", { tabindex: "-1" }, "Sign in to the scimd console"),
    h("p", { class: "muted" }, "Tenants, their users and groups, the provisioning log and tokens, in one place."),
    h("label", { for: "admin-token" }, "Admin token"),
    h("div", { class: "copy-row" }, input, reveal),
    h(
      "p",
      { id: "admin-token-hint", class: "hint" },
      "Printed once when scimd first started (“Admin token …”), or the value of SCIMD_ADMIN_TOKEN. It stays in this browser tab only.",
    ),
    message,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(message, h("div", { class: "callout error", role: "alert" }, "Enter the admin token."));
      input.setAttribute("aria-invalid", "true");
      return input.focus();
    }
    submit.disabled = true;
    submit.textContent = "Checking…";
    try {
      await request("/tenants", { token });
      session.set(token);
      // Back to the page that asked for a sign-in (a path of this console only).
      const next = ctx.query.get("next");
      ctx.go(next && next.startsWith("/") && !next.startsWith("/signin") ? next : "/tenants");
    } catch (error) {
      replace(message, h("div", { class: "callout error", role: "alert" }, explain(error, token)));
      input.setAttribute("aria-invalid", "true");
      input.focus();
      input.select();
    } finally {
      submit.disabled = false;
      submit.textContent = "Sign in";
    }
  });
  return h("div", { class: "view center" }, form);
}
