// The admin bearer token: from SCIMD_ADMIN_TOKEN, or generated on first start and stored only as a hash.
import type { Database } from "bun:sqlite";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const SETTING = "admin_token_sha256";

const sha256 = (value: string) => createHash("sha256").update(value).digest();

export interface AdminTokenCheck {
  matches(candidate: string): boolean;
}

/** A token generated now: stored (as its hash) only by `keep`, once the server listens and can print it. */
export interface GeneratedAdminToken {
  token: string;
  /** False when another process stored a token first: this one then does not work, and the stored one does. */
  keep(): boolean;
}

function storedHash(db: Database): Buffer | undefined {
  const row = db.query("SELECT value FROM settings WHERE key = $key").get({ key: SETTING }) as { value: string } | null;
  return row ? Buffer.from(row.value, "hex") : undefined;
}

/**
 * Returns the check, plus the generated token when one was created now (to be printed once, then kept).
 * A high-entropy random token needs no slow password hash: SHA-256 and a constant-time compare suffice.
 */
export function setUpAdminToken(
  db: Database,
  configured: string | undefined,
): { check: AdminTokenCheck; generated?: GeneratedAdminToken } {
  let generated: GeneratedAdminToken | undefined;
  // A generated token must not lie in wait while SCIMD_ADMIN_TOKEN replaces it: unsetting the variable later
  // would bring back a token the operator meant to retire. Forgotten now, a fresh one is generated then.
  if (configured) db.query("DELETE FROM settings WHERE key = $key").run({ key: SETTING });
  const known = configured ? sha256(configured) : storedHash(db);
  let expected: Buffer;
  if (known) {
    expected = known;
  } else {
    const token = `scimd_admin_${randomBytes(32).toString("base64url")}`;
    const hash = sha256(token);
    expected = hash;
    generated = {
      token,
      keep() {
        const insert = db.query("INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO NOTHING");
        if (insert.run({ key: SETTING, value: hash.toString("hex") }).changes === 1) return true;
        expected = storedHash(db) ?? hash;
        return false;
      },
    };
  }
  return {
    generated,
    check: { matches: (candidate) => timingSafeEqual(sha256(candidate), expected) },
  };
}
