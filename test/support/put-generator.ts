// Seeded POST and PUT /Users bodies: Entra's create shape (patch-generator's entraUser), an RFC 7643 §4.1/§4.3 user
// with any of its attributes, or (PUT) the user as GET returned it, edited or not; then now and then something a
// client may rightly send (readOnly values, a password, names and URNs in another case, unknown attributes and
// schemas, `""`/null inside complex values, Entra's odd manager shapes) or something wrong (userName missing or
// taken, wrong-typed values, two primaries).
import { CORE_USER, ENTERPRISE } from "./patch-schema";
import { entraUser, MULTI, type Rng, spell, stringValue, word } from "./patch-generator";

type Doc = Record<string, unknown>;

const maybe = <T>(r: Rng, p: number, make: () => T): T | undefined => (r.next() < p ? make() : undefined);
const without = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
const CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";

/** Values of a multi-valued attribute with `primary` on none, one, or (rarely, refused) two of them. */
function values(r: Rng, attr: string, primaries = r.pick([0, 0, 1, 1, 1])): Doc[] {
  const { types, make } = MULTI[attr];
  const list = Array.from({ length: 1 + r.int(3) }, () =>
    without({ value: make(r), type: maybe(r, 0.7, () => r.pick(types)), display: maybe(r, 0.15, () => stringValue(r)) }),
  );
  for (let i = 0; i < Math.min(primaries, list.length); i++) list[i].primary = r.pick([true, "True", "true"]);
  if (r.next() < 0.15) list[list.length - 1].primary = r.pick([false, "False", null]);
  return list;
}

const ADDRESS_PARTS = ["formatted", "streetAddress", "locality", "region", "postalCode", "country"];
const address = (r: Rng): Doc => {
  const a: Doc = { type: r.pick(["work", "home", "other"]) };
  for (let i = 0; i <= r.int(3); i++) a[r.pick(ADDRESS_PARTS)] = r.next() < 0.15 ? r.pick(["", null]) : r.pick([word(r), "DE", "10115"]);
  if (r.next() < 0.3) a.primary = r.pick([true, false, "True"]);
  return a;
};

/** RFC 7643 §4.1 and §4.3: each attribute with some chance, `""`/null now and then inside complex values. */
export function rfcUser(r: Rng, userName: string, managerIds: string[]): Doc {
  const given = word(r);
  const family = word(r);
  const part = (v: string) => (r.next() < 0.1 ? r.pick(["", null]) : v);
  const manager = () => {
    const id = r.pick(managerIds);
    return r.pick<unknown>([id, { value: id }, { value: id, $ref: `../Users/${id}` }, { value: id, displayName: "The Boss" }, { value: id, $ref: null }, { displayName: "Boss" }, { value: "" }, null, ""]);
  };
  return without({
    schemas: [CORE_USER, ENTERPRISE],
    externalId: maybe(r, 0.6, () => `ext-${r.int(1000)}`),
    userName,
    name: maybe(r, 0.8, () => without({ formatted: part(`${given} ${family}`), familyName: part(family), givenName: part(given), middleName: maybe(r, 0.3, () => part(word(r))), honorificPrefix: maybe(r, 0.2, () => "Ms."), honorificSuffix: maybe(r, 0.2, () => "III") })),
    displayName: maybe(r, 0.8, () => `${given} ${family}`),
    nickName: maybe(r, 0.3, () => stringValue(r)),
    profileUrl: maybe(r, 0.3, () => `https://login.contoso.com/${given}`),
    title: maybe(r, 0.5, () => stringValue(r)),
    userType: maybe(r, 0.3, () => r.pick(["Employee", "Contractor", null])),
    preferredLanguage: maybe(r, 0.3, () => "en-US"),
    locale: maybe(r, 0.3, () => r.pick(["en-US", "de-DE"])),
    // entra.md: Microsoft's validator sends random strings as timezone.
    timezone: maybe(r, 0.3, () => r.pick(["America/Los_Angeles", "Europe/Berlin", "xZ9 q"])),
    active: maybe(r, 0.7, () => r.pick([true, false, "True", "False", "false", null])),
    emails: maybe(r, 0.8, () => values(r, "emails")),
    phoneNumbers: maybe(r, 0.5, () => values(r, "phoneNumbers")),
    ims: maybe(r, 0.2, () => values(r, "ims")),
    photos: maybe(r, 0.2, () => values(r, "photos")),
    addresses: maybe(r, 0.4, () => Array.from({ length: 1 + r.int(2) }, () => address(r))),
    entitlements: maybe(r, 0.2, () => values(r, "entitlements")),
    roles: maybe(r, 0.3, () => (r.next() < 0.4 ? [] : values(r, "roles"))),
    x509Certificates: maybe(r, 0.15, () => values(r, "x509Certificates")),
    [ENTERPRISE]: maybe(r, 0.7, () =>
      without({
        employeeNumber: maybe(r, 0.5, () => String(r.int(9999))),
        costCenter: maybe(r, 0.3, () => stringValue(r)),
        organization: maybe(r, 0.3, () => word(r)),
        division: maybe(r, 0.3, () => word(r)),
        department: maybe(r, 0.5, () => stringValue(r)),
        manager: maybe(r, 0.5, manager),
      }),
    ),
  });
}

/** Names of attributes and sub-attributes, and the extension URN, in another case now and then (RFC 7643 §2.1). */
function respell(r: Rng, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => respell(r, e));
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, inner]) => (k === "schemas" ? [k, inner] : [spell(r, k), respell(r, inner)])));
}

/** Drops every key that names a core attribute (in any case, URN-qualified), so that no body names one twice. */
function drop(body: Doc, attr: string) {
  for (const key of Object.keys(body)) if ([attr, `${CORE_USER}:${attr}`].some((k) => k.toLowerCase() === key.toLowerCase())) delete body[key];
}
function set(body: Doc, attr: string, value: unknown) {
  drop(body, attr);
  body[attr] = value;
}

/** Something a client may rightly send, which must not make the request fail. */
function harmless(r: Rng, body: Doc, ownId: string | undefined): void {
  switch (r.int(8)) {
    case 0: // RFC 7643 §2.2 readOnly: ignored on input; an id unlike the URL's too (RFC 7644 §3.5.1).
      Object.assign(body, r.pick([{ id: r.pick(["other-id", ownId?.toUpperCase() ?? "x"]) }, { meta: { resourceType: "User", created: "2001-01-01T00:00:00Z", version: 'W/"99"' } }, { groups: r.pick([[{ value: "some-group", display: "G" }], 5, "x"]) }, { meta: "x" }]));
      break;
    case 1: // RFC 7643 §4.1.1 password: writeOnly, never returned. Rare when set: each costs an argon2 hash.
      body.password = r.next() < 0.4 ? "S3cret-0ne!" : r.pick(["", null]);
      break;
    case 2:
      delete body.schemas;
      break;
    case 3: // entra.md: unknown or misspelt schema URNs; URNs in any case (README).
      body.schemas = r.pick([[], ["urn:ietf:params:scim:schemas:core:2.0:Users"], [CORE_USER.toUpperCase(), ENTERPRISE.toLowerCase()], [CORE_USER, CUSTOM], [ENTERPRISE]]);
      break;
    case 4:
      if (r.next() < 0.25) set(body, "name", { givenName: word(r), nick: 5 });
      else Object.assign(body, r.pick([{ shoeSize: 42 }, { [`${CUSTOM}:tag`]: "x" }, { [CUSTOM]: { tag: "x" } }]));
      break;
    case 5: // URN-qualified attribute names (RFC 7644 §3.10), in place of the plain one.
      if (r.next() < 0.5) {
        const [attr, value] = r.pick<[string, unknown]>([["title", word(r)], ["name", { givenName: word(r), FamilyName: word(r) }], ["active", "False"]]);
        drop(body, attr);
        body[`${spell(r, CORE_USER)}:${attr}`] = value;
      } else {
        if (body[ENTERPRISE] && typeof body[ENTERPRISE] === "object") delete (body[ENTERPRISE] as Doc).department;
        body[`${spell(r, ENTERPRISE)}:department`] = word(r);
      }
      break;
    case 6:
      if (r.next() < 0.3) {
        // One value not in an array: read as a list of one, as the PATCH reference reads it.
        set(body, "emails", { value: `${word(r)}@contoso.com`, type: "work", primary: r.pick([true, "True"]) });
        break;
      }
      set(body, "emails", [{ value: `${word(r)}@contoso.com`, type: r.pick(["", null]), display: r.pick(["", null]), primary: r.pick([null, false]) }, { value: r.pick(["", null]), type: "home", primary: true }]);
      break;
    default:
      for (const k of ["title", "nickName", "displayName", "externalId", "timezone"]) if (r.next() < 0.4) set(body, k, r.pick(["", null]));
  }
}

/** Something wrong: the request must be refused and change nothing. */
function wrong(r: Rng, body: Doc, takenName: string): void {
  switch (r.int(8)) {
    case 0: // RFC 7643 §4.1.1: userName is REQUIRED.
      if (r.next() < 0.4) delete body.userName;
      else set(body, "userName", r.pick(["", null, 42]));
      break;
    case 1: // entra.md: duplicate userName in any case → 409 uniqueness.
      set(body, "userName", r.pick([takenName, takenName.toUpperCase()]));
      break;
    case 2:
      set(body, r.pick(["title", "displayName", "nickName", "externalId", "locale"]), r.pick([42, true, { a: 1 }, ["x"]]));
      break;
    case 3:
      set(body, "active", r.pick(["yes", 1, 0, { value: true }, ["False"]]));
      break;
    case 4:
      set(body, "name", r.pick(["Ada", 5, [{ givenName: "Ada" }], { givenName: 5 }]));
      break;
    case 5: // RFC 7643 §2.4: "The primary attribute value true MUST appear no more than once."
      set(body, r.pick(["emails", "phoneNumbers", "roles"]), values(r, r.pick(["emails", "phoneNumbers", "roles"]), 2).map((e) => ({ ...e, primary: r.pick([true, "True"]) })));
      break;
    case 6:
      set(body, r.pick(["emails", "ims"]), [{ value: r.pick([5, { a: 1 }]) }]);
      break;
    default:
      for (const key of Object.keys(body)) if (key.toLowerCase().startsWith(ENTERPRISE.toLowerCase())) delete body[key];
      body[ENTERPRISE] = r.pick([{ manager: 5 }, { manager: [{ value: "x" }] }, { department: 7 }, "Sales", 5]);
  }
}

export interface UserContext {
  userName: string;
  /** Another user's userName. */
  takenName: string;
  managerIds: string[];
  /** PUT: the user as GET returns it. */
  current?: Doc;
}

export function randomUserBody(r: Rng, ctx: UserContext): Doc {
  const { current } = ctx;
  let body: Doc;
  if (current && r.next() < 0.25) {
    // A GET-then-PUT (Okta, Microsoft's validator): unchanged, or one attribute changed or left out.
    body = structuredClone(current);
    if (r.next() < 0.5) {
      const key = r.pick(Object.keys(body).filter((k) => !["schemas", "id", "meta", "userName"].includes(k)).concat(["title"]));
      if (r.next() < 0.5) delete body[key];
      else body.title = word(r);
    }
    if (r.next() < 0.2) body.id = "not-the-url-id";
  } else {
    const userName = current && r.next() < 0.6 ? (r.next() < 0.2 ? String(current.userName).toUpperCase() : String(current.userName)) : ctx.userName;
    body = r.next() < 0.4 ? entraUser(r, userName, ctx.managerIds) : rfcUser(r, userName, ctx.managerIds);
  }
  for (let i = r.int(3); i > 0; i--) harmless(r, body, current ? String(current.id) : undefined);
  if (r.next() < 0.25) wrong(r, body, ctx.takenName);
  // Last, so that no key is then written again in its first spelling.
  return r.next() < 0.2 ? (respell(r, body) as Doc) : body;
}
