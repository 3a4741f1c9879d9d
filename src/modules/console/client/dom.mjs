// Small DOM helpers: element builders, formatting, copy buttons, a confirm dialog, a pager and the announcer.
const SVG_NS = "http://www.w3.org/2000/svg";

function apply(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value" || key === "checked" || key === "selected") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** h("a", { href: "#/x", class: "link" }, "text", …): attributes, listeners (onclick) and children. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props);
  append(el, children);
  return el;
}

export const replace = (el, ...children) => {
  el.replaceChildren();
  append(el, children);
  return el;
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
export const number = new Intl.NumberFormat();

export const formatDate = (iso) => (iso ? dateTime.format(new Date(iso)) : "—");
export const formatDay = (iso) => (iso ? dateOnly.format(new Date(iso)) : "—");

/** "3 minutes ago", with the exact time in a tooltip and a machine-readable datetime. */
export function ago(iso, now = Date.now()) {
  if (!iso) return h("span", { class: "muted" }, "never");
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60 ? [seconds, "second"] : abs < 3600 ? [seconds / 60, "minute"] : abs < 86400 ? [seconds / 3600, "hour"] : [seconds / 86400, "day"];
  return h("time", { datetime: iso, title: formatDate(iso) }, relative.format(Math.round(value), unit));
}

/** A log time: today's entries by clock time, older ones with their date. */
export function when(iso) {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return h("time", { datetime: iso, title: d.toISOString() }, today ? timeOnly.format(d) : dateTime.format(d));
}

const announcer = () => document.getElementById("announcer");
export function announce(text) {
  const el = announcer();
  if (!el) return;
  el.textContent = "";
  // A fresh text node after a tick makes screen readers read the same message twice in a row.
  setTimeout(() => (el.textContent = text), 30);
}

async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http on a LAN address is not a secure context: fall back to a selected textarea.
    const area = h("textarea", { class: "visually-hidden", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

/** A button that copies `text` and says so; `label` names what is copied for screen readers. */
export function copyButton(text, label) {
  const button = h("button", { type: "button", class: "button small", "aria-label": `Copy ${label}` }, "Copy");
  button.addEventListener("click", async () => {
    const ok = await writeClipboard(typeof text === "function" ? text() : text);
    button.textContent = ok ? "Copied" : "Select and copy";
    announce(ok ? `${label} copied to the clipboard` : `Could not copy the ${label}; select it and copy it by hand`);
    setTimeout(() => (button.textContent = "Copy"), 2000);
  });
  return button;
}

/** A labelled, read-only value with a copy button: the things a self-hoster pastes into Entra. */
export function copyField(label, value, opts = {}) {
  const id = `copy-${Math.random().toString(36).slice(2)}`;
  const input = h("input", { id, class: ["mono", opts.secret && "secret"], readonly: true, value, spellcheck: "false", autocomplete: "off" });
  input.addEventListener("focus", () => input.select());
  return h(
    "div",
    { class: "copy-field" },
    h("label", { for: id }, label),
    h("div", { class: "copy-row" }, input, copyButton(() => input.value, label)),
    opts.hint && h("p", { class: "hint" }, opts.hint),
  );
}

/** A modal confirm dialog (native <dialog>: focus trapped, Escape cancels). Resolves true on confirm. */
export function confirmDialog({ title, body, confirm, danger = false }) {
  return new Promise((resolve) => {
    const ok = h("button", { type: "submit", class: ["button", danger ? "danger" : "primary"], value: "ok" }, confirm);
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "dialog-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "dialog-title" }, title),
        h("div", { class: "dialog-body" }, body),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "button", value: "cancel" }, "Cancel"), ok),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    ok.focus();
  });
}

/** "26–50 of 132" with Previous and Next buttons; `go(startIndex)` loads a page. */
export function pager({ startIndex, itemsPerPage, totalResults, count }, go) {
  if (totalResults === 0) return null;
  const last = startIndex + itemsPerPage - 1;
  const range = h("span", { class: "muted" }, `${number.format(startIndex)}–${number.format(last)} of ${number.format(totalResults)}`);
  if (startIndex <= 1 && last >= totalResults) return h("div", { class: "pager" }, range);
  const prev = h("button", { type: "button", class: "button small", disabled: startIndex <= 1 }, "Previous");
  const next = h("button", { type: "button", class: "button small", disabled: last >= totalResults }, "Next");
  prev.addEventListener("click", () => go(Math.max(1, startIndex - count)));
  next.addEventListener("click", () => go(startIndex + count));
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    range,
    h("div", { class: "actions" }, prev, next),
  );
}

/** A status code as a coloured badge with words, so colour is never the only signal. */
export function statusBadge(status) {
  const kind = status >= 500 ? "bad" : status === 401 || status === 403 ? "bad" : status === 429 ? "warn" : status >= 400 ? "warn" : "ok";
  return h("span", { class: ["badge", kind] }, String(status));
}

export const errorBox = (error) =>
  h("div", { class: "callout error", role: "alert" }, h("strong", {}, "Something went wrong. "), error?.message ?? String(error));

export const empty = (title, text, ...extra) => h("div", { class: "empty" }, h("p", { class: "empty-title" }, title), text && h("p", { class: "muted" }, text), extra);
