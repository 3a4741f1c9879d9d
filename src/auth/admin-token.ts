// The admin bearer token: from SCIMD_ADMIN_TOKEN, or generated on first start and stored only as a hash.
import type { Database } from "bun:sqlite";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const SETTING = "admin_token_sha256";

const sha256 = (value: string) => createHash("sha256").update(value).digest();

export interface AdminTokenCheck {
  matches(candidate: string): boolean;
}

/**
 * Returns the check, plus the generated token when one was created now (to be printed once).
 * A high-entropy random token needs no slow password hash: SHA-256 and a constant-time compare suffice.
 */
export function setUpAdminToken(db: Database, configured: string | undefined): { check: AdminTokenCheck; generated?: string } {
  let generated: string | undefined;
  let expected: Buffer;
  if (configured) {
    expected = sha256(configured);
  } else {
    const row = db.query("SELECT value FROM settings WHERE key = $key").get({ key: SETTING }) as { value: string } | null;
    if (row) {
      expected = Buffer.from(row.value, "hex");
    } else {
      generated = `scimd_admin_${randomBytes(32).toString("base64url")}`;
      expected = sha256(generated);
      db.query("INSERT INTO settings (key, value) VALUES ($key, $value)").run({ key: SETTING, value: expected.toString("hex") });
    }
  }
  return {
    generated,
    check: { matches: (candidate) => timingSafeEqual(sha256(candidate), expected) },
  };
}
