// RFC 9865 cursors: opaque, tamper-proof, bound to the tenant and the query they came from, and expiring.
// A cursor holds the sort key and primary key of a page's edge row (keyset paging), so a page deep in the
// result costs the same as the first one, and concurrent inserts and deletes neither skip nor repeat rows.
// Encrypted, not only signed: the primary key counts rows of every tenant, so a readable one would let a tenant
// watch the others' activity. The tenant id is the AES-GCM associated data: another tenant's cursor never opens.
import type { Database } from "bun:sqlite";
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { ScimError } from "../../errors";

export const CURSOR_TIMEOUT_SECONDS = 3600;

export interface CursorState {
  /** "next": rows after the edge; "prev": rows before it. */
  dir: "next" | "prev";
  /** Sort value of the edge row (null when it has none), and its primary key. */
  value: string | number | null;
  pk: number;
  /** Hash of resource type, filter, sortBy and sortOrder: a cursor only continues the query it came from. */
  query: string;
  expires: number;
}

const CIPHER = "aes-256-gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// The primary key takes a fixed 8 bytes, so a cursor's length says nothing about how large it is either.
const PK_BYTES = 8;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export const invalidCursor = (detail: string) => new ScimError(400, detail, "invalidCursor");

/** The key stored in the database (so cursors survive a restart), made on first use. */
function storedKey(db: Database): Buffer {
  const read = () => db.query("SELECT value FROM settings WHERE key = 'cursor_key'").get() as { value: string } | null;
  let row = read();
  if (!row) {
    db.query("INSERT OR IGNORE INTO settings (key, value) VALUES ('cursor_key', $v)").run({ v: randomBytes(32).toString("base64") });
    // Read back: when two processes start at once, both use the key that was stored first.
    row = read() as { value: string };
  }
  return Buffer.from(row.value, "base64");
}

export class CursorCodec {
  private key: Buffer;

  constructor(db: Database) {
    this.key = createHmac("sha256", storedKey(db)).update("scimd cursor encryption").digest();
  }

  static queryHash(parts: (string | undefined)[]): string {
    return createHmac("sha256", "scimd-cursor-query").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
  }

  encode(tenant: string, state: Omit<CursorState, "expires">, now = Date.now()): string {
    const pk = Buffer.alloc(PK_BYTES);
    pk.writeBigInt64BE(BigInt(state.pk));
    const rest = JSON.stringify([state.dir, state.value, state.query, now + CURSOR_TIMEOUT_SECONDS * 1000]);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, nonce).setAAD(Buffer.from(tenant));
    const sealed = Buffer.concat([cipher.update(pk), cipher.update(rest), cipher.final()]);
    return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString("base64url");
  }

  decode(tenant: string, cursor: string, queryHash: string, now = Date.now()): CursorState {
    const raw = BASE64URL.test(cursor) ? Buffer.from(cursor, "base64url") : Buffer.alloc(0);
    if (raw.length < NONCE_BYTES + PK_BYTES + TAG_BYTES) throw invalidCursor("the cursor is malformed");
    const plain = this.open(tenant, raw);
    if (!plain) throw invalidCursor("the cursor was not issued by this server for this tenant");
    const [dir, value, query, expires] = JSON.parse(plain.subarray(PK_BYTES).toString()) as [CursorState["dir"], CursorState["value"], string, number];
    if (query !== queryHash) throw invalidCursor("the cursor belongs to a different filter or sort order");
    if (expires < now) throw invalidCursor(`the cursor expired (cursors last ${CURSOR_TIMEOUT_SECONDS} seconds); start again without one`);
    return { dir, value, pk: Number(plain.readBigInt64BE(0)), query, expires };
  }

  /** The plaintext, or undefined when the cursor was altered or sealed for another tenant (or with another key). */
  private open(tenant: string, raw: Buffer): Buffer | undefined {
    const decipher = createDecipheriv(CIPHER, this.key, raw.subarray(0, NONCE_BYTES)).setAAD(Buffer.from(tenant));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}
