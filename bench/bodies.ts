// Request bodies in the shapes Entra ID sends (shared/entra.md), built before the clock starts.
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const GIVEN = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Niklaus"];
const FAMILY = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Wirth"];
const DEPARTMENTS = ["Engineering", "Sales", "Finance", "Support", "Marketing", "Legal"];

export const userName = (i: number) => `bench.user.${i}@contoso.example`;

/** A deterministic GUID-looking externalId (Entra sends the object id). */
const guid = (i: number, salt: number) => {
  const hex = ((i * 2654435761 + salt) >>> 0).toString(16).padStart(8, "0");
  return `${hex}-${(i & 0xffff).toString(16).padStart(4, "0")}-4${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${i.toString(16).padStart(12, "0")}`;
};

/** POST /Users as Entra sends it: core + enterprise schema, name, work email, phones, externalId, active. */
export function createUserBody(i: number): string {
  const given = GIVEN[i % GIVEN.length];
  const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length];
  return JSON.stringify({
    schemas: [CORE, ENTERPRISE],
    externalId: guid(i, 17),
    userName: userName(i),
    active: true,
    displayName: `${given} ${family}`,
    emails: [{ primary: true, type: "work", value: userName(i) }],
    meta: { resourceType: "User" },
    name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
    phoneNumbers: [
      { type: "work", value: `+1 425 555 ${String(i % 10000).padStart(4, "0")}` },
      { type: "mobile", value: `+1 206 555 ${String((i * 7) % 10000).padStart(4, "0")}` },
    ],
    roles: [],
    title: "Engineer",
    timezone: "Europe/Paris",
    [ENTERPRISE]: { employeeNumber: String(100000 + i), department: DEPARTMENTS[i % DEPARTMENTS.length] },
  });
}

/** Entra's default disable (`"False"`) or, with `true`, its enable: the boolean as a string, op name capitalised. */
export const activeBody = (active: boolean) =>
  JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: active ? "True" : "False" }] });

export const DISABLE_BODY = activeBody(false);

/** A name change in Entra's default shape: one op per attribute, each with a path. */
export function renameBody(i: number): string {
  return JSON.stringify({
    schemas: [PATCH_OP],
    Operations: [
      { op: "Replace", path: "name.givenName", value: `Renamed${i}` },
      { op: "Replace", path: "name.familyName", value: `Person${i}` },
    ],
  });
}

export const GROUP_BODY = JSON.stringify({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
  externalId: guid(1, 99),
  displayName: "Bench Everyone",
  meta: { resourceType: "Group" },
});

/** Entra's member add: many per request, with the `$ref: null` it sends. */
export function addMembersBody(ids: string[]): string {
  return JSON.stringify({
    schemas: [PATCH_OP],
    Operations: [{ op: "Add", path: "members", value: ids.map((value) => ({ $ref: null, value })) }],
  });
}

export const lookupQuery = (name: string) => `?filter=${encodeURIComponent(`userName eq "${name}"`)}`;

/** A fixed pseudo-random sequence (mulberry32), so both servers get the same requests in the same order. */
export function randomSequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of 0..n-1 (Fisher–Yates over the fixed sequence). */
export function permutation(n: number, seed: number): Uint32Array {
  const random = randomSequence(seed);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
