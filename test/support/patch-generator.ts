// Seeded PATCH requests as Entra and RFC 7644 §3.5.2 clients write them: 1–4 operations, op names in Entra's
// case or the RFC's, paths of every form (none, simple, sub-attribute, URN-qualified, value filter with and
// without a sub-attribute), Entra's value forms ("True"/"False", bare manager ids, dotted keys in a path-less
// replace, `""`/`null` to clear), and now and then one operation that is wrong (readOnly, bad filter, wrong
// type, required attribute removed, unknown names, which scimd skips). Users start as Entra creates them.
import { CORE_USER, ENTERPRISE } from "./patch-schema";

type Doc = Record<string, unknown>;
export type Rng = { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T };

const WORDS = ["Alice", "Bob", "Ünal", "Straße", "O'Neil", "Zoë", "Sales", "R&D", "Support", "Tour Guide", "İpek", "陳", "x"];
const EMAIL_TYPES = ["work", "home", "other"];
const PHONE_TYPES = ["work", "mobile", "home", "fax"];
const SIMPLE = ["displayName", "nickName", "title", "userType", "preferredLanguage", "locale", "timezone", "externalId", "profileUrl"];
const NAME_PARTS = ["givenName", "familyName", "formatted", "middleName", "honorificPrefix"];
const ENT_SIMPLE = ["employeeNumber", "department", "costCenter", "organization", "division"];

const maybe = <T>(r: Rng, p: number, make: () => T): T | undefined => (r.next() < p ? make() : undefined);
const without = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
export const word = (r: Rng) => r.pick(WORDS);
const email = (r: Rng) => `${r.pick(["al", "bo", "cy", "AL"])}${r.int(6)}@${r.pick(["contoso.com", "Fabrikam.com"])}`;
const phone = (r: Rng) => `+1 555 01${String(r.int(30)).padStart(2, "0")}`;

/** Any-case spelling of an attribute name or URN (RFC 7643 §2.1; scimd matches URNs in any case). */
export const spell = (r: Rng, s: string) => (r.next() < 0.15 ? (r.next() < 0.5 ? s.toUpperCase() : s.toLowerCase()) : s);
const ent = (r: Rng, attr: string) => `${spell(r, ENTERPRISE)}:${spell(r, attr)}`;

/** A POST /Users body as Entra sends one: core and enterprise URNs, meta, `roles: []`, explicit nulls. */
export function entraUser(r: Rng, userName: string, managerIds: string[]): Doc {
  const given = word(r);
  const family = word(r);
  return without({
    schemas: [CORE_USER, ENTERPRISE],
    externalId: maybe(r, 0.8, () => `ext-${r.int(1000)}`),
    userName,
    active: r.pick([true, true, "True", false]),
    displayName: maybe(r, 0.9, () => `${given} ${family}`),
    title: r.pick([undefined, null, word(r)]),
    meta: { resourceType: "User" },
    name: maybe(r, 0.9, () => without({ givenName: given, familyName: family, formatted: maybe(r, 0.4, () => `${given} ${family}`) })),
    emails: maybe(r, 0.9, () => [{ primary: true, type: "work", value: email(r) }, ...(r.next() < 0.3 ? [{ type: "home", value: email(r) }] : [])]),
    phoneNumbers: maybe(r, 0.6, () => PHONE_TYPES.slice(0, 1 + r.int(2)).map((type) => ({ type, value: phone(r) }))),
    addresses: maybe(r, 0.4, () => [without({ type: "work", locality: word(r), country: maybe(r, 0.5, () => "DE"), primary: maybe(r, 0.5, () => false) })]),
    ims: maybe(r, 0.2, () => [{ type: "xmpp", value: `${word(r)}@im.contoso.com` }]),
    roles: r.next() < 0.3 ? [{ value: r.pick(["Admin", "reader"]), primary: r.pick([true, undefined]) }].map(without) : [],
    x509Certificates: maybe(r, 0.15, () => [{ value: `MIIC${r.pick(["a", "A"])}0==` }]),
    preferredLanguage: maybe(r, 0.3, () => "en-US"),
    [ENTERPRISE]: without({
      employeeNumber: maybe(r, 0.6, () => String(r.int(9999))),
      department: maybe(r, 0.6, () => word(r)),
      manager: managerIds.length ? maybe(r, 0.5, () => ({ value: r.pick(managerIds) })) : undefined,
    }),
  });
}

const opName = (r: Rng, op: "add" | "replace" | "remove") => {
  const roll = r.next();
  return roll < 0.45 ? op[0].toUpperCase() + op.slice(1) : roll < 0.5 ? op.toUpperCase() : op;
};
/** A core attribute path, now and then qualified with the core schema URN (RFC 7644 §3.10). */
const core = (r: Rng, path: string) => (r.next() < 0.1 ? `${spell(r, CORE_USER)}:${path}` : path);
export const operation = (r: Rng, op: "add" | "replace" | "remove", path: string | undefined, value?: unknown): Doc =>
  without({ op: opName(r, op), path, value });

export function stringValue(r: Rng): unknown {
  const roll = r.next();
  return roll < 0.08 ? "" : roll < 0.14 ? null : word(r);
}
const boolValue = (r: Rng) => r.pick([true, false, "True", "False", "true", "false"]);

/** How the generator writes values of one multi-valued attribute of RFC 7643 §4.1.2 (value/display/type/primary). */
interface MultiKind {
  types: string[];
  make: (r: Rng) => string;
}
export const MULTI: Record<string, MultiKind> = {
  emails: { types: EMAIL_TYPES, make: email },
  phoneNumbers: { types: PHONE_TYPES, make: phone },
  ims: { types: ["aim", "xmpp", "skype", "qq"], make: (r) => `${r.pick(["al", "Bo", "cy"])}${r.int(6)}@im.contoso.com` },
  photos: { types: ["photo", "thumbnail"], make: (r) => `https://photos.contoso.com/${r.pick(["a", "B", "c"])}${r.int(6)}.jpg` },
  roles: { types: ["app", "Directory", "admin"], make: (r) => r.pick(["Admin", "reader", "Writer", "Tour Guide", "READER"]) },
  entitlements: { types: ["license", "seat"], make: (r) => r.pick(["E3", "e5", "Visio", "VISIO"]) },
  // RFC 7643 §2.3.6: binary, base64-encoded and case exact.
  x509Certificates: { types: ["signing", "auth"], make: (r) => `MIIC${r.pick(["a", "A", "zz", "Zz"])}${r.int(6)}==` },
};

const STRING_OPS = ["ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

/** A text to compare `v` with: itself, a part of it, in another case, or a near neighbour in order. */
function textFor(r: Rng, op: string, v: string): string {
  const cut = op === "ew" ? v.slice(-4) : r.next() < 0.3 ? v.slice(0, 4) : v;
  return r.next() < 0.2 ? cut.toUpperCase() : r.next() < 0.1 ? `${cut}~` : cut;
}

function comparison(r: Rng, types: string[], current: Doc[] | undefined): string {
  const roll = r.next();
  if (current?.length && roll < 0.25) {
    const v = String(r.pick(current).value ?? "");
    const op = r.pick(["eq", "EQ", "co", "sw", "ew", ...STRING_OPS]);
    return `${spell(r, "value")} ${op} "${textFor(r, op.toLowerCase(), v)}"`;
  }
  // RFC 7644 §3.4.2.2: booleans compare with eq and ne; GET and PATCH refuse gt/ge/lt/le/co/sw/ew on one (invalidFilter).
  const booleanOps = ["eq", "ne", "eq", "ne", "gt", "le", "co"];
  if (roll < 0.33) return `${spell(r, "primary")} ${r.pick(booleanOps)} ${r.pick(["true", "false", "True", '"true"'])}`;
  if (roll < 0.39) return `${spell(r, r.pick(["value", "display", "type", "primary"]))} pr`;
  if (roll < 0.47) return `${spell(r, r.pick(["type", "display"]))} ${r.pick(STRING_OPS)} "${r.pick(types).slice(0, 1 + r.int(5))}"`;
  return `${spell(r, "type")} ${r.pick(["eq", "eq", "eq", "Eq"])} "${r.pick(types)}"`;
}

/** A valFilter (RFC 7644 §3.4.2.2): mostly Entra's `type eq "…"`, sometimes joined with and/or, or negated. */
function filterOn(r: Rng, types: string[], current: Doc[] | undefined, one = () => comparison(r, types, current)): string {
  const roll = r.next();
  if (roll < 0.1) return `${one()} ${r.pick(["and", "AND"])} ${one()}`;
  if (roll < 0.15) return `${one()} or ${one()}`;
  if (roll < 0.2) return `${r.pick(["not", "NOT"])} (${one()})`;
  if (roll < 0.22) return `(${one()}) and (${one()} or ${one()})`;
  return one();
}

/** A sub-attribute value through a filter: mostly a word, sometimes `""` or null (RFC 7643 §2.5: unassigned). */
const subValue = (r: Rng, sub: string, make: (r: Rng) => string) =>
  r.next() < 0.15 ? r.pick(["", null]) : sub === "primary" ? boolValue(r) : sub === "value" ? make(r) : word(r);

function multiValuedOp(r: Rng, attr: string, user: Doc): Doc {
  const { types, make } = MULTI[attr];
  const current = user[attr] as Doc[] | undefined;
  const element = () =>
    without({ value: make(r), type: maybe(r, 0.8, () => r.pick(types)), primary: maybe(r, 0.3, () => boolValue(r)), display: maybe(r, 0.15, () => stringValue(r)) });
  const a = spell(r, attr);
  switch (r.int(7)) {
    case 0: {
      const again = current?.length && r.next() < 0.4 ? [sameAgain(r, r.pick(current), types)] : [];
      const added = [...again, ...Array.from({ length: r.int(2) }, element)];
      return operation(r, "add", a, added.length === 1 && r.next() < 0.3 ? added[0] : added);
    }
    case 1:
      return operation(r, "replace", a, Array.from({ length: r.int(3) }, element).map((e, i) => (i > 0 ? { ...e, primary: undefined } : e)).map(without));
    case 2:
      if (current?.length && r.next() < 0.3) {
        // Entra's member-removal shape on another attribute: only the listed values go (README).
        return operation(r, "remove", a, [{ value: spell(r, String(r.pick(current).value)) }]);
      }
      return operation(r, "remove", r.next() < 0.3 ? a : `${a}[${filterOn(r, types, current)}]`);
    case 3:
      return operation(r, r.pick(["add", "replace"] as const), `${a}[${filterOn(r, types, current)}].${spell(r, "value")}`, subValue(r, "value", make));
    case 4: {
      const sub = r.pick(["display", "primary", "type"]);
      return operation(r, r.pick(["add", "replace"] as const), `${a}[${filterOn(r, types, current)}].${spell(r, sub)}`, subValue(r, sub, make));
    }
    case 5:
      return operation(r, "remove", `${a}[${filterOn(r, types, current)}].${spell(r, r.pick(["display", "primary", "value"]))}`);
    default:
      return operation(r, r.pick(["add", "replace"] as const), `${a}[${filterOn(r, types, current)}]`, without({ value: make(r), display: maybe(r, 0.3, () => stringValue(r)), primary: maybe(r, 0.2, () => boolValue(r)) }));
  }
}

const ADDRESS_PARTS = ["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"];
const ADDRESS_TYPES = ["work", "home", "other"];

/** An address (RFC 7643 §4.1.2): no `value`, so any of its sub-attributes, `""` and null among them. */
const address = (r: Rng): Doc => {
  const a: Doc = { type: r.pick(ADDRESS_TYPES) };
  for (let i = 0; i <= r.int(3); i++) a[r.pick(ADDRESS_PARTS)] = r.next() < 0.15 ? r.pick(["", null]) : r.pick([word(r), "DE", "10115"]);
  if (r.next() < 0.3) a.primary = boolValue(r);
  return a;
};

function addressComparison(r: Rng, current: Doc[] | undefined): string {
  const roll = r.next();
  if (current?.length && roll < 0.3) {
    const part = r.pick(ADDRESS_PARTS);
    const v = current.map((e) => e[part]).find((x) => typeof x === "string") as string | undefined;
    if (v !== undefined) {
      const op = r.pick(["eq", ...STRING_OPS]);
      return `${spell(r, part)} ${op} "${textFor(r, op, v)}"`;
    }
  }
  if (roll < 0.4) return `${spell(r, "primary")} ${r.pick(["eq", "ne"])} ${r.pick(["true", "false"])}`;
  if (roll < 0.5) return `${spell(r, r.pick([...ADDRESS_PARTS, "primary"]))} pr`;
  return `${spell(r, "type")} eq "${r.pick(ADDRESS_TYPES)}"`;
}

function addressOp(r: Rng, user: Doc): Doc {
  const current = user.addresses as Doc[] | undefined;
  const filter = () => filterOn(r, [], current, () => addressComparison(r, current));
  const a = spell(r, "addresses");
  switch (r.int(5)) {
    case 0: {
      const sub = r.pick([...ADDRESS_PARTS, "primary"]);
      const path = `${a}[${filter()}].${spell(r, sub)}`;
      return r.next() < 0.25 ? operation(r, "remove", path) : operation(r, r.pick(["add", "replace"] as const), path, subValue(r, sub, word));
    }
    case 1:
      return operation(r, r.pick(["add", "replace"] as const), a, Array.from({ length: r.int(3) }, () => address(r)));
    case 2:
      return operation(r, r.pick(["add", "replace"] as const), `${a}[${filter()}]`, address(r));
    case 3:
      return operation(r, "remove", r.next() < 0.3 ? a : `${a}[${filter()}]`);
    default:
      return operation(r, "add", a, address(r));
  }
}

/** A value the attribute holds, sent again: as it is, without or with `primary`, in another case or type. */
function sameAgain(r: Rng, e: Doc, types: string[]): Doc {
  const copy: Doc = { ...e };
  switch (r.int(5)) {
    case 0:
      delete copy.primary;
      break;
    case 1:
      copy.primary = r.pick([true, "True", false]);
      break;
    case 2:
      copy.value = String(copy.value).toUpperCase();
      break;
    case 3:
      copy.type = r.pick(types);
      break;
    default:
      if (typeof copy.type === "string") copy.type = copy.type.toUpperCase();
  }
  return copy;
}

/** Keys of one path-less value (entra.md, aadOptscim062020: dotted and URN-qualified keys). */
function pathlessValue(r: Rng, managerIds: string[]): Doc {
  const value: Doc = {};
  for (let i = 0; i <= r.int(3); i++) {
    switch (r.int(9)) {
      case 0:
        value[spell(r, r.pick(SIMPLE))] = stringValue(r);
        break;
      case 1:
        value[`name.${r.pick(NAME_PARTS)}`] = stringValue(r);
        break;
      case 2:
        value.name = { [r.pick(NAME_PARTS)]: stringValue(r), [r.pick(NAME_PARTS)]: stringValue(r) };
        break;
      case 3:
        value[ent(r, r.pick(ENT_SIMPLE))] = stringValue(r);
        break;
      case 4:
        value[ent(r, "manager")] = r.next() < 0.2 ? r.pick(["", null]) : r.pick(managerIds);
        break;
      case 5:
        value[ENTERPRISE] = { [r.pick(ENT_SIMPLE)]: word(r) };
        break;
      case 6:
        value.active = boolValue(r);
        break;
      case 7:
        if (r.next() < 0.5) value['emails[type eq "work"].value'] = email(r);
        else value[`phoneNumbers[type eq "${r.pick(PHONE_TYPES)}"].value`] = r.next() < 0.2 ? "" : phone(r);
        break;
      default:
        // Entra reads a user and writes parts of it back: readOnly values come along and are ignored.
        Object.assign(value, r.pick([{ id: "other-id" }, { meta: { resourceType: "User" } }, { "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:tag": "x" }]));
    }
  }
  return value;
}

/** One operation a client may rightly send. */
function goodOp(r: Rng, user: Doc, managerIds: string[]): Doc {
  switch (r.int(13)) {
    case 0:
    case 1:
      return r.next() < 0.2 ? operation(r, "remove", core(r, spell(r, r.pick(SIMPLE)))) : operation(r, r.pick(["add", "replace"] as const), core(r, spell(r, r.pick(SIMPLE))), stringValue(r));
    case 2:
      return operation(r, r.pick(["add", "replace"] as const), spell(r, "active"), boolValue(r));
    case 3: {
      const path = core(r, `${spell(r, "name")}.${spell(r, r.pick(NAME_PARTS))}`);
      return r.next() < 0.2 ? operation(r, "remove", path) : operation(r, r.pick(["add", "replace"] as const), path, stringValue(r));
    }
    case 4:
      if (r.next() < 0.2) return operation(r, "remove", "name");
      // `""` and null inside a complex value clear that sub-attribute (RFC 7643 §2.5; entra.md).
      return operation(r, r.pick(["add", "replace"] as const), spell(r, "name"), r.next() < 0.1 ? {} : { [r.pick(NAME_PARTS)]: stringValue(r), [r.pick(NAME_PARTS)]: word(r) });
    case 5: {
      const path = ent(r, r.pick(ENT_SIMPLE));
      return r.next() < 0.2 ? operation(r, "remove", path) : operation(r, r.pick(["add", "replace"] as const), path, stringValue(r));
    }
    case 6: {
      const id = r.pick(managerIds);
      const value = r.pick([id, { value: id }, { value: id, displayName: "Boss" }, "", null, { value: r.pick(["", null]) }, { value: id, $ref: null }]);
      if (r.next() < 0.15) return operation(r, "remove", ent(r, r.pick(["manager", "manager.value"])));
      if (r.next() < 0.15) return operation(r, r.pick(["add", "replace"] as const), ent(r, "manager.value"), id);
      return operation(r, r.pick(["add", "replace"] as const), ent(r, "manager"), value);
    }
    case 7:
      return r.next() < 0.15 ? operation(r, "remove", spell(r, ENTERPRISE)) : operation(r, r.pick(["add", "replace"] as const), spell(r, ENTERPRISE), { [r.pick(ENT_SIMPLE)]: word(r), manager: r.pick(managerIds) });
    case 8:
      return multiValuedOp(r, r.pick(["emails", "emails", "ims", "photos"]), user);
    case 9:
      return multiValuedOp(r, r.pick(["phoneNumbers", "phoneNumbers", "roles", "entitlements", "x509Certificates"]), user);
    case 10:
      return addressOp(r, user);
    case 11:
      if (r.next() < 0.6) return goodOp(r, user, managerIds);
      // RFC 7643 §4.1.1 password: writeOnly, returned "never". Rare: each one set costs an argon2 hash.
      if (r.next() < 0.5) return r.next() < 0.3 ? operation(r, "remove", spell(r, "password")) : operation(r, r.pick(["add", "replace"] as const), spell(r, "password"), r.pick(["S3cret!", "", null, 42]));
      return operation(r, "replace", undefined, { password: r.pick(["An0ther!", null]), title: word(r) });
    default:
      return operation(r, r.pick(["add", "replace"] as const), undefined, pathlessValue(r, managerIds));
  }
}

/** One operation that is wrong somehow, or that names what no schema defines (scimd skips those). */
function oddOp(r: Rng, takenUserName: string): Doc {
  return r.pick<() => Doc>([
    () => operation(r, "replace", r.pick(["id", "meta.created", "meta", "groups"]), "x"),
    () => operation(r, "remove", r.pick(["id", "meta.lastModified", "groups"])),
    () => operation(r, r.pick(["add", "replace"] as const), r.pick(["shoeSize", "name.nick", 'emails[type eq "work"].foo', `${ENTERPRISE}:costCentre`, "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:CustomAttribute"]), "x"),
    () => operation(r, "remove", r.pick(["emails[type eq]", 'emails[type zz "work"]', 'phoneNumbers[type eq "work" and]', "emails[value]"])),
    () => operation(r, "replace", "active", r.pick(["maybe", "yes", 1, 0, { value: true }])),
    () => operation(r, "replace", r.pick(["displayName", "name.givenName", "title", `${ENTERPRISE}:department`]), r.pick([42, true, { a: 1 }])),
    // Single-element arrays for singular values: not an entra.md shape; RFC 7643 §2.4 makes them the wrong type.
    () => operation(r, "replace", r.pick(["displayName", "active", "name.givenName", `${ENTERPRISE}:employeeNumber`]), [r.pick(["x", "False"])]),
    () => operation(r, "replace", "name", r.pick(["x", 5])),
    () => r.pick([operation(r, "remove", "userName"), operation(r, "replace", "userName", r.pick(["", null]))]),
    () => operation(r, "replace", r.pick(["title.sub", 'userName[value eq "x"]', "name..givenName", 'name[givenName eq "x"]']), "x"),
    () => ({ op: "remove", value: { title: "x" } }),
    () => ({ op: r.pick(["move", "copy", "Update"]), path: "title", value: "x" }),
    () => operation(r, "replace", "emails", [{ value: email(r), primary: true }, { value: email(r), primary: "True" }]),
    () => operation(r, "replace", spell(r, "userName"), r.next() < 0.5 ? takenUserName.toUpperCase() : takenUserName),
    () => operation(r, "replace", 'emails[value co "nobody"].type', "home"),
    () => operation(r, "replace", `${ENTERPRISE}:manager.displayName`, "Boss"),
    () => operation(r, r.pick(["add", "replace"] as const), 'emails[type eq "work"]', [{ value: email(r) }]),
  ])();
}

export function randomPatch(r: Rng, user: Doc, managerIds: string[], takenUserName: string): Doc {
  // entra.md: "An empty Operations array: a valid no-op."
  const count = r.next() < 0.02 ? 0 : 1 + r.int(4);
  const ops = Array.from({ length: count }, () => goodOp(r, user, managerIds));
  if (count && r.next() < 0.3) ops[r.int(count)] = oddOp(r, takenUserName);
  // Its own userName in another case is no conflict.
  if (count && r.next() < 0.03) ops[r.int(count)] = operation(r, "replace", "userName", String(user.userName).toUpperCase());
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: ops };
}
