// Writes that specify the User extension's "request" attributes (`hint`, `building.door`; projection-fixtures.ts),
// in every form a client may use, with what each write specified (RFC 7643 §2.4: "returned in response to any
// PUT, POST, or PATCH operations if the attribute was specified by the client") and the values the user holds
// after it, which GET does not show.
import { type Rng, spell, word } from "./patch-generator";
import { PROJ_USER } from "./projection-fixtures";

type Doc = Record<string, unknown>;

/** The "request" values a user holds. */
export interface RequestValues {
  hint?: string;
  door?: string;
}

export interface RequestWrite {
  /** Names, as a client could send them in `attributes`, of the "request" attributes the write specified. */
  specified: string[];
  values: RequestValues;
}

const HINT = `${PROJ_USER}:hint`;
const DOOR = `${PROJ_USER}:building.door`;

/**
 * Adds `hint` and `building.door` to a POST or PUT body now and then: in the extension object, as a URN-prefixed
 * key, or null (specified, and cleared: null means no value on input, so the answer shows none). A PUT replaces
 * the user whole, so the values are the body's.
 */
export function withRequestAttributes(r: Rng, body: Doc): { body: Doc } & RequestWrite {
  const ext: Doc = { ...((body[PROJ_USER] as Doc | undefined) ?? {}) };
  const out: Doc = { ...body };
  const specified: string[] = [];
  const values: RequestValues = {};
  const roll = r.next();
  if (roll < 0.5) {
    const hint = roll < 0.4 ? `${word(r)} ${r.int(99)}` : null;
    if (r.next() < 0.3) out[`${spell(r, PROJ_USER)}:${spell(r, "hint")}`] = hint;
    else ext.hint = hint;
    specified.push(HINT);
    if (hint !== null) values.hint = hint;
  }
  if (r.next() < 0.3) {
    const door = word(r);
    ext.building = { ...((ext.building as Doc | undefined) ?? {}), door };
    specified.push(DOOR);
    values.door = door;
  }
  if (Object.keys(ext).length) out[PROJ_USER] = ext;
  return { body: out, specified, values };
}

/** Zero to two PATCH operations on `hint` and `building.door`, applied to `before` in order. */
export function requestPatchOperations(r: Rng, before: RequestValues): { operations: Doc[] } & RequestWrite {
  const values = { ...before };
  const operations: Doc[] = [];
  const specified: string[] = [];
  for (let i = r.int(3); i > 0; i--) {
    const v = `${word(r)} ${r.int(99)}`;
    const choice = r.int(6);
    if (choice === 0) operations.push({ op: "replace", path: `${spell(r, PROJ_USER)}:hint`, value: v });
    else if (choice === 1) operations.push({ op: "replace", value: { [PROJ_USER]: { hint: v } } });
    else if (choice === 2) operations.push({ op: "add", value: { [HINT]: v } });
    else if (choice === 3) operations.push({ op: "remove", path: HINT });
    else if (choice === 4) operations.push({ op: "replace", path: DOOR, value: v });
    else operations.push({ op: "remove", path: DOOR });
    if (choice < 4) {
      specified.push(HINT);
      values.hint = choice === 3 ? undefined : v;
    } else {
      specified.push(DOOR);
      values.door = choice === 5 ? undefined : v;
    }
  }
  return { operations, specified, values };
}
