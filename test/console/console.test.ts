// Issue 5 parts 5–6: the admin console at /ui, in a real browser against the compiled binary. One story, in
// order: sign in, create a tenant, provision through SCIM with its token, read it all back in the console,
// revoke the token and watch the next SCIM call fail in the log. Screenshots of every page at 390 and 1280 px.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { isolatedBinary, type RunningServer, startBinary } from "../support/binary";
import { horizontalOverflow, launchBrowser, screenshots } from "./browser";

const SKIP = process.env.SCIMD_SKIP_EXTERNAL_TESTS === "1";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The first start prints the generated admin token on a line after the "listening" one: wait for it. */
async function printedAdminToken(server: RunningServer): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const token = /Admin token[^:]*: (\S+)/.exec(server.output())?.[1];
    if (token) return token;
    await Bun.sleep(50);
  }
  throw new Error(`no admin token printed: ${server.output()}`);
}

describe.skipIf(SKIP)("admin console at /ui (compiled binary, Chromium)", () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let adminToken: string;
  const foreignRequests: string[] = [];
  const scriptErrors: string[] = [];
  const tenant = { id: "", url: "", token: "" };
  const ids: Record<string, string> = {};

  const ui = (hash = "") => `${server.url}/ui${hash ? `#${hash}` : ""}`;
  const scim = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${tenant.url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${init.token ?? tenant.token}`, "content-type": "application/scim+json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const heading = () => page.locator("main h1").first();
  /** Views render once their data is in: wait for the page's own heading. */
  const onPage = (name: string | RegExp) => page.getByRole("heading", { level: 1, name, exact: typeof name === "string" }).waitFor();
  /** Opens a console route and waits until its view is rendered with its data. */
  const visit = async (hash: string) => {
    await page.goto(ui(hash));
    await page.waitForFunction((h) => document.querySelector("main")?.dataset.route === h, `#${hash}`);
  };
  const textbox = (name: string) => page.getByRole("textbox", { name, exact: true });

  beforeAll(async () => {
    const { dir, bin } = await isolatedBinary();
    server = await startBinary(bin, dir);
    adminToken = server.adminToken ?? (await printedAdminToken(server));
    context = await launchBrowser();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    page = context.pages()[0] ?? (await context.newPage());
    context.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !url.startsWith("data:")) foreignRequests.push(url);
    });
    page.on("pageerror", (error) => scriptErrors.push(error.message));
    page.on("console", (message) => {
      // A wrong token's 401 is logged by the browser as a failed resource load; that one is expected.
      if (message.type() === "error" && !/Failed to load resource/.test(message.text())) scriptErrors.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (server && server.proc.exitCode === null) await server.stop();
  });

  test("/ui asks for the admin token; a wrong one gets a clear message, the right one opens the tenants", async () => {
    await page.goto(ui());
    await page.waitForURL(/#\/signin/);
    await onPage("Sign in to the scimd console");
    // Focus lands in the token field, so a keyboard user can type at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("admin-token");

    await page.keyboard.type("not-the-admin-token");
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("That admin token was not accepted");
    expect(await page.getByLabel("Admin token").getAttribute("aria-invalid")).toBe("true");
    await screenshots(page, "signin-wrong-token");

    await page.getByLabel("Admin token").fill(adminToken);
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/tenants$/);
    await onPage("Tenants");
    expect(await page.evaluate(() => sessionStorage.getItem("scimd.adminToken"))).toBe(adminToken);
    expect(await page.locator("main").getByText("No tenants yet").isVisible()).toBe(true);
    await screenshots(page, "tenants-empty");
  });

  test("creating a tenant shows its Tenant URL and Secret Token once, with copy buttons and the Entra steps", async () => {
    await page.getByLabel("Name").fill("Contoso");
    await page.getByLabel("Name").press("Enter");
    await page.waitForURL(/#\/tenants\/[0-9a-f-]+\/created$/);
    await onPage("Contoso is ready");
    tenant.url = await textbox("Tenant URL").inputValue();
    tenant.token = await textbox("Secret Token").inputValue();
    tenant.id = tenant.url.split("/").at(-1)!;
    expect(tenant.url).toMatch(new RegExp(`^${server.url}/scim/v2/[0-9a-f-]{36}$`));
    expect(tenant.token.split(".")).toHaveLength(3);

    const steps = await page.locator(".steps li").allTextContents();
    expect(steps).toHaveLength(6);
    expect(steps.join(" ")).toContain("Enterprise applications");
    expect(steps.join(" ")).toContain("Automatic");
    expect(steps.join(" ")).toContain("Test Connection");
    expect(steps.join(" ")).toContain("Mappings");
    expect(steps.join(" ")).toContain("Start provisioning");
    // A loopback http URL cannot be reached by Entra's cloud: the page says so, and what to set.
    expect(await page.locator(".callout.warn").first().textContent()).toContain("SCIMD_PUBLIC_URL");

    await page.getByRole("button", { name: "Copy Secret Token" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tenant.token);
    await page.getByRole("button", { name: "Copy Tenant URL" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tenant.url);
    await screenshots(page, "tenant-created");

    // Shown once: back on the same page later, the token is gone.
    await page.getByRole("link", { name: /open the tenant/ }).click();
    await page.waitForURL(new RegExp(`#/tenants/${tenant.id}$`));
    await visit(`/tenants/${tenant.id}/created`);
    await page.locator("main").getByText("The Secret Token was shown once").waitFor();
    expect(await textbox("Secret Token").count()).toBe(0);
  });

  test("Entra-style provisioning through SCIM with the tenant's token", async () => {
    // Test Connection, then users, a group, members, a disable and a conflict.
    const probe = await scim(`/Users?filter=${encodeURIComponent(`userName eq "${crypto.randomUUID()}"`)}`);
    expect(probe.status).toBe(200);
    for (const [key, given, family] of [["ada", "Ada", "Lovelace"], ["grace", "Grace", "Hopper"], ["linus", "Linus", "Torvalds"]]) {
      const res = await scim("/Users", {
        method: "POST",
        body: {
          schemas: [CORE_USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          userName: `${key}@contoso.example`,
          externalId: `ext-${key}`,
          active: true,
          displayName: `${given} ${family}`,
          name: { givenName: given, familyName: family },
          emails: [{ type: "work", value: `${key}@contoso.example`, primary: true }],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Engineering" },
        },
      });
      expect(res.status).toBe(201);
      ids[key] = ((await res.json()) as { id: string }).id;
    }
    const group = await scim("/Groups", { method: "POST", body: { schemas: [CORE_GROUP], displayName: "Engineering", externalId: "ext-eng" } });
    expect(group.status).toBe(201);
    ids.engineering = ((await group.json()) as { id: string }).id;
    const add = await scim(`/Groups/${ids.engineering}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ value: ids.ada }, { value: ids.grace }] }] },
    });
    expect(add.status).toBeLessThan(300);
    const disable = await scim(`/Users/${ids.linus}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect(disable.status).toBe(200);
    const duplicate = await scim("/Users", { method: "POST", body: { schemas: [CORE_USER], userName: "ADA@contoso.example" } });
    expect(duplicate.status).toBe(409);
  });

  test("the overview shows connection health and the activity chart", async () => {
    await visit(`/tenants/${tenant.id}`);
    await onPage("Contoso");
    await page.locator(".stat", { hasText: "Test Connection" }).getByText("Passed").waitFor();
    expect(await page.locator(".callout.ok").textContent()).toContain("Healthy");
    expect(await page.locator(".tabs a[aria-current=page]").textContent()).toBe("Overview");
    expect(await page.locator(".tabs a", { hasText: "Users" }).textContent()).toBe("Users3");
    await page.locator(".chart svg rect.bar-ok").first().waitFor();
    expect(await page.locator(".chart svg rect.bar-bad").count()).toBeGreaterThan(0);
    expect(await page.locator(".chart-canvas").getAttribute("aria-label")).toMatch(/\d+ succeeded and 1 failed/);
    await screenshots(page, "tenant-overview");
  });

  test("users: listed, searched, and each with its groups and provisioning history", async () => {
    await page.getByRole("link", { name: /^Users/ }).click();
    await page.waitForURL(/\/users$/);
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    expect(await page.locator("tbody tr", { hasText: "linus@contoso.example" }).getByText("Disabled").isVisible()).toBe(true);
    await screenshots(page, "users");

    const search = page.getByLabel("Search users");
    await search.fill("hopper");
    await search.press("Enter");
    await page.waitForURL(/\/users\?q=hopper$/);
    await page.locator("main").getByText("1 user match “hopper”").waitFor();
    expect(await rows.count()).toBe(1);
    // The search box keeps the focus after a search.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("user-search");

    await visit(`/tenants/${tenant.id}/users/${ids.ada}`);
    await page.getByRole("heading", { name: "ada@contoso.example" }).waitFor();
    expect(await page.locator(".facts").first().textContent()).toContain("Engineering");
    const history = page.locator("section", { has: page.getByRole("heading", { name: "Provisioning history" }) });
    await history.locator("tbody tr", { hasText: "Create" }).first().waitFor();
    await screenshots(page, "user");
  });

  test("users page through 25 at a time", async () => {
    for (let i = 0; i < 27; i++) {
      const res = await scim("/Users", { method: "POST", body: { schemas: [CORE_USER], userName: `bulk${String(i).padStart(2, "0")}@contoso.example` } });
      expect(res.status).toBe(201);
    }
    await visit(`/tenants/${tenant.id}/users`);
    await page.locator("main").getByText("1–25 of 30").waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await page.locator("main").getByText("26–30 of 30").waitFor();
    expect(await page.locator("table tbody tr").count()).toBe(5);
    expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
  });

  test("groups: listed with member counts; a group shows its members", async () => {
    await visit(`/tenants/${tenant.id}/groups`);
    const row = page.locator("tbody tr", { hasText: "Engineering" });
    await row.waitFor();
    expect(await row.locator("td[data-label=Members]").textContent()).toBe("2");
    await screenshots(page, "groups");

    await row.getByRole("link", { name: "Engineering" }).click();
    await page.getByRole("heading", { name: "Engineering" }).waitFor();
    const members = page.locator("section[aria-label=members] tbody tr");
    await members.first().waitFor();
    expect((await members.allTextContents()).map((t) => t.split("@")[0])).toEqual(["ada", "grace"]);
    await page.locator("tbody tr", { hasText: "Add members" }).first().waitFor();
    await screenshots(page, "group");
  });

  test("the log lists every request with its outcome, a chart, filters and details", async () => {
    await visit(`/tenants/${tenant.id}/log`);
    const table = page.locator("table.log-table").last();
    await table.waitFor();
    const text = await table.textContent();
    for (const op of ["Test connection", "Create", "Add members", "Disable"]) expect(text).toContain(op);
    expect(text).toContain("uniqueness");
    await page.locator(".chart svg rect.bar-bad").first().waitFor();
    await screenshots(page, "log");

    await page.getByLabel("Outcome").selectOption("failure");
    await page.getByLabel("Resource").press("Enter");
    await page.waitForURL(/outcome=failure/);
    await page.waitForFunction(() => document.querySelectorAll("table.log-table tbody tr:not(.entry-detail)").length === 1);
    const failed = page.locator("table.log-table tbody tr").first();
    expect(await failed.textContent()).toContain("409");
    await failed.getByRole("button").click();
    const detail = page.locator("tr.entry-detail").first();
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toContain("POST /scim/v2/");
    await screenshots(page, "log-failures");
  });

  // Found by a review: the button sent `before=` and read `page.next`, while the API takes `cursor=` and answers
  // `nextCursor`, so it fetched the newest page again.
  test("the log pages back with “Older entries” until the first request", async () => {
    const logged = async () => {
      const res = await fetch(`${server.url}/admin/v1/log?tenant=${tenant.id}&limit=1000`, { headers: { authorization: `Bearer ${adminToken}` } });
      return ((await res.json()) as { entries: { id: number }[] }).entries.length;
    };
    // More than one page of 50, less than two.
    for (let n = await logged(); n < 70; n++) expect((await scim("/Users?count=1")).status).toBe(200);
    const total = await logged();
    expect(total).toBe(70);

    await visit(`/tenants/${tenant.id}/log`);
    const rowIds = () => page.locator("table.log-table tbody tr:not(.entry-detail)").evaluateAll((rows) => rows.map((r) => r.id));
    await page.locator("table.log-table tbody tr").first().waitFor();
    expect(await rowIds()).toHaveLength(50);
    const older = page.getByRole("button", { name: "Older entries" });
    expect(await older.isVisible()).toBe(true);

    await older.click();
    await page.waitForFunction((n) => document.querySelectorAll("table.log-table tbody tr:not(.entry-detail)").length === n, total, { timeout: 3_000 });
    const ids = await rowIds();
    expect(new Set(ids).size).toBe(total);
    // Newest first across both pages, and the last row is the very first request: Entra's Test Connection.
    const numbers = ids.map((id) => Number(id.replace("entry-", "")));
    expect(numbers).toEqual(numbers.toSorted((a, b) => b - a));
    expect(await page.locator("table.log-table tbody tr:not(.entry-detail)").last().textContent()).toContain("Test connection");
    expect(await older.isHidden()).toBe(true);
  });

  test("revoking the token in the console: the next SCIM call fails, live in the log", async () => {
    await visit(`/tenants/${tenant.id}/tokens`);
    const active = page.locator("tbody tr", { hasText: "Active" });
    await active.first().waitFor();
    expect(await active.count()).toBe(1);
    await screenshots(page, "tokens");

    await active.getByRole("button", { name: /Revoke token/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("401");
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await page.locator("tbody tr", { hasText: "Revoked" }).waitFor();
    expect(await page.locator("tbody tr", { hasText: "Active" }).count()).toBe(0);

    await visit(`/tenants/${tenant.id}/log?live=1`);
    await page.locator("main").getByText("Live: new entries appear at the top").waitFor();
    const res = await scim(`/Users/${ids.ada}`);
    expect(res.status).toBe(401);
    const rejected = page.locator("table.log-table tbody tr.fresh", { hasText: "Token rejected" });
    await rejected.waitFor({ timeout: 10_000 });
    expect(await rejected.textContent()).toContain("401");
    await screenshots(page, "log-live-401");

    await visit(`/tenants/${tenant.id}`);
    await page.locator(".stat", { hasText: "Rejected credentials" }).getByText("1", { exact: true }).waitFor();
  });

  test("a new token is shown once and works; rotating the key stops it", async () => {
    await visit(`/tenants/${tenant.id}/tokens`);
    await page.getByLabel("Description").fill("Entra production");
    await page.getByLabel("Description").press("Enter");
    const issued = page.locator("#issued");
    await issued.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("issued");
    const token = await issued.getByRole("textbox", { name: "Secret Token" }).inputValue();
    // No expiry unless asked: Entra never refreshes a Secret Token.
    expect(await page.locator("tbody tr", { hasText: "Entra production" }).locator("td[data-label=Expires]").textContent()).toBe("never");
    expect((await scim("/Users?count=1", { token })).status).toBe(200);
    await screenshots(page, "token-issued");

    await page.getByRole("button", { name: "Rotate key" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate key" }).click();
    await page.locator("main").getByText(/New signing key/).waitFor();
    expect((await scim("/Users?count=1", { token })).status).toBe(401);
    // The list no longer calls the dead token active (found by a review).
    await page.reload();
    const row = page.locator("tbody tr", { hasText: "Entra production" });
    await row.locator("td[data-label=Status]", { hasText: /^(Active|Key retired)$/ }).waitFor();
    expect(await row.locator("td[data-label=Status]").textContent()).toBe("Key retired");
    expect(await row.getByRole("button", { name: /Revoke token/ }).count()).toBe(0);
    expect(await page.locator("tbody tr", { hasText: "Active" }).count()).toBe(0);
  });

  test("settings: body capture and the rate limit are saved", async () => {
    await visit(`/tenants/${tenant.id}/settings`);
    await page.getByLabel("Capture request and response bodies").check();
    await page.getByRole("button", { name: "Save" }).first().click();
    await page.locator("main").getByText("Bodies are now captured for new requests.").waitFor();
    await page.getByLabel("Requests per second").fill("50");
    await page.getByLabel("Requests per second").press("Enter");
    await page.locator("main").getByText(/Rate limit: 50 requests per second/).waitFor();
    await screenshots(page, "settings");
  });

  test("the all-tenants log and the tenants list", async () => {
    await visit("/log");
    await onPage("Provisioning log, all tenants");
    await page.locator("table.log-table td[data-label=Tenant]", { hasText: "Contoso" }).first().waitFor();
    await screenshots(page, "log-all-tenants");

    await visit("/tenants");
    const row = page.locator("tbody tr", { hasText: "Contoso" });
    await row.waitFor();
    expect(await row.locator("td[data-label=Users]").textContent()).toBe("30");
    expect(await row.locator("td[data-label=Groups]").textContent()).toBe("1");
    await screenshots(page, "tenants");
  });

  test("keyboard: focus is visible, every control is reachable by Tab, nothing scrolls sideways at 390 px", async () => {
    await visit("/tenants");
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.id === "tenant-name");
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    // Interactive things are real buttons and links, never clickable divs.
    expect(await page.locator("[onclick], div[role=button], span[role=button]").count()).toBe(0);

    for (const path of ["/tenants", `/tenants/${tenant.id}`, `/tenants/${tenant.id}/users`, `/tenants/${tenant.id}/log`, `/tenants/${tenant.id}/tokens`]) {
      await visit(path);
      expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
    }
  });

  test("signing out forgets the token; a deep link asks for it and then opens where it pointed", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/#\/signin/);
    expect(await page.evaluate(() => sessionStorage.getItem("scimd.adminToken"))).toBeNull();

    await page.goto(ui(`/tenants/${tenant.id}/users?q=ada`));
    await onPage("Sign in to the scimd console");
    await page.getByLabel("Admin token").fill(adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`#/tenants/${tenant.id}/users\\?q=ada$`));
    await page.locator("main").getByText("1 user match “ada”").waitFor();
  });

  test("everything came from the server itself, without a script error", () => {
    expect(foreignRequests).toEqual([]);
    expect(scriptErrors).toEqual([]);
  });
});
