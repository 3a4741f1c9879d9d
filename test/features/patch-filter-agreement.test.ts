// A PATCH value filter (RFC 7644 §3.5.2) refuses what a GET filter refuses: a comparison whose value or operator
// does not fit the attribute's type is 400 invalidFilter (§3.12) in both, with the same detail. PATCH used to
// check only the names, so `emails[primary gt true]` matched nothing and answered 200 having changed nothing.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHarness, type Harness, type TestTenant } from "../support/harness";
import { ACME_USER_URN as URN, acmeUserSchema } from "../support/acme-schema";

let h: Harness;
let t: TestTenant;
let id: string;

const schema = acmeUserSchema([
  {
    name: "certs",
    type: "complex",
    multiValued: true,
    subAttributes: [
      { name: "name", type: "string" },
      { name: "level", type: "integer" },
      { name: "expires", type: "dateTime" },
    ],
  },
  { name: "lucky", type: "integer", multiValued: true },
]);

const scim = (method: string, path: string, body?: unknown) => h.request(method, `${t.url}${path}`, { token: t.token, body });
const remove = (path: string) =>
  scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path }] });
type Answer = { status: number; body: { scimType?: string; detail?: string } };
const answer = async (res: Response): Promise<Answer> => ({ status: res.status, body: (await res.json()) as Answer["body"] });

beforeAll(async () => {
  h = await createHarness();
  t = await h.newTenant();
  expect((await h.admin("PUT", `/tenants/${t.id}/schemas`, schema)).status).toBe(200);
  const res = await scim("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", URN],
    userName: "ann",
    emails: [{ value: "ann@example.com", type: "work", primary: true }],
    [URN]: { certs: [
      { name: "cissp", level: 3, expires: "2030-01-01T00:00:00Z" },
      { name: "ccna", level: 1, expires: "2029-01-01T00:00:00.1234567Z" },
    ], lucky: [7] },
  });
  expect(res.status).toBe(201);
  id = ((await res.json()) as { id: string }).id;
});

describe("PATCH value filters refuse what GET filters refuse", () => {
  test.each([
    ["emails", "primary gt true"],
    ["emails", 'primary eq "yes"'],
    ["emails", 'type eq "work" and primary co true'],
    ["emails", "value gt null"],
    [`${URN}:certs`, 'level eq "high"'],
    [`${URN}:certs`, 'expires lt "soon"'],
    [`${URN}:lucky`, 'value ge "seven"'],
  ])("%s[%s] → 400 invalidFilter in both, nothing changed", async (attribute, inner) => {
    const filter = `${attribute}[${inner}]`;
    const before = await (await scim("GET", `/Users/${id}`)).text();
    const get = await answer(await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`));
    const patch = await answer(await remove(filter));
    expect(get.status).toBe(400);
    expect(get.body.scimType).toBe("invalidFilter");
    expect(patch.status).toBe(400);
    expect(patch.body.scimType).toBe("invalidFilter");
    expect(patch.body.detail).toBe(`Operations[0]: ${get.body.detail}`);
    expect(await (await scim("GET", `/Users/${id}`)).text()).toBe(before);
  });

  test.each([
    ["emails", "primary eq true"],
    [`${URN}:certs`, "level gt 2"],
    [`${URN}:certs`, 'expires lt "2029-01-01T00:00:00.2Z"'],
    [`${URN}:lucky`, "value eq 7"],
  ])("%s[%s]: both take it, and PATCH removes the value GET finds it by", async (attribute, inner) => {
    const filter = `${attribute}[${inner}]`;
    const get = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { totalResults: number }).totalResults).toBe(1);
    expect((await remove(filter)).status).toBe(200);
    const after = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
    expect(((await after.json()) as { totalResults: number }).totalResults).toBe(0);
  });
});
