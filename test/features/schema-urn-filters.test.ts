// RFC 8141 §2 lets a URN's NSS hold "/", percent-encoded octets and the sub-delims !$&'()*+,;=, and a tenant may
// declare an extension schema under such a URN (schema-urns.test.ts). RFC 7644 §3.10 then names its attributes
// "urn:…:attribute": filters and sortBy on those names must work like on any other extension attribute.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, type Doc, GROUP, q, resources, setUp, USER } from "../http/client";

const URNS = [
  "urn:example:a%C3%A9/b:User",
  "urn:example:!$&'()*+,;=:@~._-",
  "urn:example:widgets(v2):User",
  "urn:example:x(a)(b(c)):y",
  "urn:example:quote's:User",
];

let c: Client;

beforeAll(async () => {
  c = await setUp("schema-urn-filters");
  for (const [i, id] of URNS.entries()) {
    const declared = await c.h.admin("PUT", `/tenants/${c.tenant.id}/schemas`, {
      id,
      name: `Odd${i}`,
      resourceType: i % 2 ? "Group" : "User",
      attributes: [{ name: "badge", type: "string" }, { name: "tags", type: "complex", multiValued: true, subAttributes: [{ name: "value", type: "string" }] }],
    });
    if (declared.status !== 200) throw new Error(`${id}: ${declared.status} ${await declared.text()}`);
  }
});

const names = (body: Doc) => resources(body).map((r) => r.userName ?? r.displayName);

describe("filters and sortBy on extension attributes whose schema URN holds / % ( ) ' and the other sub-delims", () => {
  test.each(URNS.map((urn, i) => [urn, i % 2 ? "Groups" : "Users"] as const))("%s (%s)", async (urn, endpoint) => {
    const make = (n: string, badge: string) =>
      endpoint === "Users" ? c.user({ schemas: [USER, urn], userName: n, [urn]: { badge, tags: [{ value: badge }] } })
        : c.group({ schemas: [GROUP, urn], displayName: n, [urn]: { badge, tags: [{ value: badge }] } });
    const tag = `${endpoint}-${URNS.indexOf(urn)}`;
    await make(`${tag}-a`, "Alpha");
    await make(`${tag}-b`, "Beta");
    const list = async (query: string) => {
      const r = await c.get(`/${endpoint}?${query}`);
      expect([r.status, r.body.detail]).toEqual([200, undefined]);
      return names(r.body);
    };
    expect(await list(`filter=${q(`${urn}:badge eq "alpha"`)}`)).toEqual([`${tag}-a`]);
    expect(await list(`filter=${q(`(${urn}:badge pr) and not (${urn}:badge sw "A")`)}`)).toEqual([`${tag}-b`]);
    expect(await list(`filter=${q(`${urn}:tags[value eq "BETA"]`)}`)).toEqual([`${tag}-b`]);
    expect(await list(`filter=${q(`${urn.toUpperCase()}:TAGS.value co "lph"`)}`)).toEqual([`${tag}-a`]);
    expect(await list(`filter=${q(`${urn}:badge pr`)}&sortBy=${q(`${urn}:badge`)}&sortOrder=descending`)).toEqual([`${tag}-b`, `${tag}-a`]);
    const searched = await c.post(`/${endpoint}/.search`, { filter: `${urn}:badge eq "beta"` });
    expect(names(searched.body)).toEqual([`${tag}-b`]);
  });
});
