// RFC 9865 cursors: opaque, tamper-proof (HMAC), bound to the query they came from, and expiring.
// A cursor holds the sort key and primary key of a page's edge row (keyset paging), so a page deep in the
// result costs the same as the first one, and concurrent inserts and deletes neither skip nor repeat rows.
import type { Database } from "bun:sqlite";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ScimError } from "../../errors";

export const CURSOR_TIMEOUT_SECONDS = 3600;

export interface CursorState {
  /** "next": rows after the edge; "prev": rows before it. */
  dir: "next" | "prev";
  /** Sort value of the edge row (null when it has none), and its primary key. */
  value: string | number | null;
  pk: number;
  /** Hash of filter, sortBy and sortOrder: a cursor only continues the query it came from. */
  query: string;
  expires: number;
}

const invalid = (detail: string) => new ScimError(400, detail, "invalidCursor");

export class CursorCodec {
  private key: Buffer;

  constructor(db: Database) {
    // Kept in the database so cursors survive a restart.
    const row = db.query("SELECT value FROM settings WHERE key = 'cursor_key'").get() as { value: string } | null;
    if (row) this.key = Buffer.from(row.value, "base64");
    else {
      this.key = randomBytes(32);
      db.query("INSERT OR IGNORE INTO settings (key, value) VALUES ('cursor_key', $v)").run({ v: this.key.toString("base64") });
    }
  }

  static queryHash(parts: (string | undefined)[]): string {
    return createHmac("sha256", "scimd-cursor-query").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
  }

  encode(state: Omit<CursorState, "expires">, now = Date.now()): string {
    const body = Buffer.from(JSON.stringify({ ...state, expires: now + CURSOR_TIMEOUT_SECONDS * 1000 })).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, queryHash: string, now = Date.now()): CursorState {
    const [body, mac, extra] = cursor.split(".");
    if (!body || !mac || extra !== undefined) throw invalid("the cursor is malformed");
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid("the cursor is not one this server issued");
    const state = JSON.parse(Buffer.from(body, "base64url").toString()) as CursorState;
    if (state.query !== queryHash) throw invalid("the cursor belongs to a different filter or sort order");
    if (state.expires < now) throw invalid(`the cursor expired (cursors last ${CURSOR_TIMEOUT_SECONDS} seconds); start again without one`);
    return state;
  }

  private sign(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}
