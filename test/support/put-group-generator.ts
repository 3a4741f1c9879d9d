// Seeded POST and PUT /Groups bodies (RFC 7643 §4.2): a displayName, an externalId, and members naming users,
// groups and ids no resource has, in any case, with or without labels (`display`, Microsoft's `displayName`,
// `$ref`) and `type`; or (PUT) the group as GET returned it. Now and then something wrong: the name missing or
// taken, wrong-typed values, a member without a value, of an unknown or the other kind, the group itself.
import { type Rng, spell, stringValue, word } from "./patch-generator";
import { CORE_GROUP } from "./patch-schema";
import type { Member } from "./put-reference";

type Doc = Record<string, unknown>;

const AD_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const maybe = <T>(r: Rng, p: number, make: () => T): T | undefined => (r.next() < p ? make() : undefined);
const without = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));

function member(r: Rng, target: Member | undefined): unknown {
  const id = target?.id ?? `00000000-0000-7000-8000-${String(r.int(1e6)).padStart(12, "0")}`;
  const value = r.next() < 0.2 ? id.toUpperCase() : id;
  if (r.next() < 0.08) return value; // a bare id, as entra.md's manager
  const kind = target?.kind ?? r.pick(["User", "Group"]);
  const name = target?.name ?? "Nobody";
  const e: Doc = { value };
  const roll = r.next();
  if (roll < 0.25) e.display = r.pick([name, name.toUpperCase(), word(r), null, ""]);
  else if (roll < 0.4) e.displayName = r.pick([name, word(r), null]);
  else if (roll < 0.45) Object.assign(e, { display: null, displayName: word(r) });
  if (r.next() < 0.3) e.$ref = r.pick([null, `https://elsewhere.example/${kind}s/${id}`]);
  if (r.next() < 0.4) e.type = r.pick([kind, kind.toLowerCase(), kind.toUpperCase(), null, ""]);
  if (r.next() < 0.1) e.foo = 5;
  return r.next() < 0.1 ? Object.fromEntries(Object.entries(e).map(([k, v]) => [spell(r, k), v])) : e;
}

export interface GroupContext {
  displayName: string;
  /** Another group's displayName. */
  takenName: string;
  users: Member[];
  groups: Member[];
  /** PUT: the group as GET returns it. */
  current?: Doc;
}

function members(r: Rng, ctx: GroupContext): unknown {
  const others = ctx.groups.filter((g) => g.id !== ctx.current?.id);
  const pickTarget = (): Member | undefined => {
    const roll = r.next();
    return roll < 0.7 ? r.pick(ctx.users) : roll < 0.88 && others.length ? r.pick(others) : undefined;
  };
  const list = Array.from({ length: r.int(5) }, () => member(r, pickTarget()));
  // The same member twice, the second time maybe in another case (stored once).
  if (list.length && r.next() < 0.15) list.push(typeof list[0] === "string" ? String(list[0]).toUpperCase() : { value: String((list[0] as Doc).value ?? (list[0] as Doc).VALUE ?? "").toUpperCase() });
  const roll = r.next();
  if (roll < 0.05) return list[0] ?? null; // one member not in an array
  if (roll < 0.1) return r.pick([null, []]);
  return list;
}

function wrong(r: Rng, body: Doc, ctx: GroupContext): void {
  const list = Array.isArray(body.members) ? (body.members as unknown[]) : [];
  const someone = r.pick(ctx.users);
  const group = r.pick(ctx.groups.filter((g) => g.id !== ctx.current?.id));
  switch (r.int(7)) {
    case 0: // RFC 7643 §4.2: displayName is REQUIRED.
      if (r.next() < 0.4) delete body.displayName;
      else body.displayName = r.pick(["", null, 42]);
      break;
    case 1: // README: unique in the tenant in any case → 409 uniqueness.
      body.displayName = r.pick([ctx.takenName, ctx.takenName.toUpperCase()]);
      break;
    case 2:
      body[r.pick(["displayName", "externalId"])] = r.pick([42, true, { a: 1 }, ["x"]]);
      break;
    case 3:
      list.push(r.pick<unknown>([{ value: "" }, { value: null }, { display: "x" }, { value: 5 }, { value: someone.id, type: "Foo" }]));
      body.members = list;
      break;
    case 4: {
      // The other kind, for a user or group the list names already (then stored once: the claim still counts) or not.
      const named = list.map((e) => String(typeof e === "string" ? e : ((e as Doc).value ?? "")).toLowerCase());
      const listed = [...ctx.users, ...ctx.groups].filter((m) => named.includes(m.id.toLowerCase()));
      const target = listed.length && r.next() < 0.6 ? r.pick(listed) : r.next() < 0.5 || !group ? someone : group;
      list.push({ value: target.id, type: r.pick(target.kind === "User" ? ["Group", "group"] : ["User", "USER"]) });
      body.members = list;
      break;
    }
    case 5:
      list.push(r.pick<unknown>([{ value: someone.id, display: 5 }, { value: someone.id, displayName: { a: 1 } }, { value: someone.id, $ref: 7 }, { value: someone.id, display: true }]));
      body.members = list;
      break;
    default:
      if (ctx.current) {
        list.push({ value: r.next() < 0.3 ? String(ctx.current.id).toUpperCase() : ctx.current.id });
        body.members = list;
      } else body.displayName = "";
  }
}

export function randomGroupBody(r: Rng, ctx: GroupContext): Doc {
  const { current } = ctx;
  let body: Doc;
  if (current && r.next() < 0.2) {
    body = structuredClone(current);
    if (r.next() < 0.3) body.id = "not-the-url-id";
  } else {
    const keep = current && r.next() < 0.6;
    const displayName = keep ? (r.next() < 0.2 ? String(current.displayName).toUpperCase() : String(current.displayName)) : ctx.displayName;
    body = without({
      schemas: r.pick([[CORE_GROUP], [CORE_GROUP, AD_GROUP], [AD_GROUP], undefined, [CORE_GROUP.toUpperCase()]]),
      displayName,
      externalId: maybe(r, 0.6, () => (r.next() < 0.8 ? `g-${r.int(1000)}` : stringValue(r))),
      members: members(r, ctx),
      meta: maybe(r, 0.2, () => ({ resourceType: "Group" })),
      id: maybe(r, 0.05, () => "made-up"),
    });
    if (r.next() < 0.05) body.owner = "x";
  }
  if (r.next() < 0.25) wrong(r, body, ctx);
  // URN-qualified (RFC 7644 §3.10), in place of the plain name; after wrong(), which writes plain names.
  for (const name of ["externalId", "members"]) {
    if (r.next() < 0.08 && body[name] !== undefined) {
      body[`${spell(r, CORE_GROUP)}:${name}`] = body[name];
      delete body[name];
    }
  }
  if (r.next() < 0.15) body = Object.fromEntries(Object.entries(body).map(([k, v]) => [k === "schemas" ? k : spell(r, k), v]));
  return body;
}
