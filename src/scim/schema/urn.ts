// RFC 8141 §2 URN syntax: assigned-name = "urn" ":" NID ":" NSS. The scheme and the NID are case-insensitive
// (§3.1); everything is ASCII, the NSS being RFC 3986 pchar (percent-encoded octets for anything else) and "/".

// NID = (alphanum) 0*30(ldh) (alphanum)
const NID = /^[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/;
// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (RFC 3986 §3.3); "%" is checked on its own.
const NSS_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

/**
 * Whether a message's `schemas` array lists `urn`. In any letter case: RFC 8141 §3.1 for the scheme and NID, and
 * scimd folds the rest too, as it does for every schema URN (attribute names are case-insensitive, RFC 7643 §2.1).
 */
export const listsUrn = (schemas: unknown, urn: string) =>
  Array.isArray(schemas) && schemas.some((s) => typeof s === "string" && s.toLowerCase() === urn.toLowerCase());

const at = (text: string, i: number) => `${JSON.stringify(text[i])} at character ${i + 1}`;

/** Why `text` is not an RFC 8141 assigned-name (a URN without r-, q- or f-components), or undefined if it is one. */
export function urnSyntaxError(text: string): string | undefined {
  if (!/^urn:/i.test(text)) return 'a URN starts with "urn:", in any letter case (RFC 8141 §2)';
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    if (code < 0x21 || code > 0x7e) return `a URN is printable ASCII only (RFC 8141 §2); ${JSON.stringify(String.fromCodePoint(code))} at character ${i + 1} is not`;
  }
  const nidEnd = text.indexOf(":", 4);
  if (nidEnd < 0) return "a URN is urn:NID:NSS (RFC 8141 §2); this one has no NSS";
  const nid = text.slice(4, nidEnd);
  if (!NID.test(nid)) {
    return `the NID ${JSON.stringify(nid)} must be 2 to 32 letters, digits or hyphens, beginning and ending with a letter or digit (RFC 8141 §2)`;
  }
  const nssStart = nidEnd + 1;
  if (nssStart === text.length) return "a URN is urn:NID:NSS (RFC 8141 §2); this one's NSS is empty";
  if (text[nssStart] === "/") return `a URN's NSS cannot begin with "/" (RFC 8141 §2)`;
  for (let i = nssStart; i < text.length; i++) {
    const c = text[i];
    if (c === "?" || c === "#") {
      return `${at(text, i)} would begin a URN's ${c === "#" ? "f-component" : "r- or q-component"}, which is no part of the name a schema id must be (RFC 8141 §2)`;
    }
    if (c === "%") {
      if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) return `${at(text, i)} must begin a percent-encoded octet such as %2F (RFC 8141 §2)`;
      i += 2;
    } else if (!NSS_CHAR.test(c)) {
      return `${at(text, i)} is not allowed in a URN's NSS (RFC 8141 §2: letters, digits, percent-encoded octets and -._~!$&'()*+,;=:@/)`;
    }
  }
  return undefined;
}

/**
 * Why a filter could not name `urn`'s attributes, though it is a URN: in a filter a ")" that closes no "(" of the
 * same word ends the path (lexer.ts), so such a URN is refused when declared rather than unfilterable later.
 */
export function urnFilterError(urn: string): string | undefined {
  let open = 0;
  for (let i = 0; i < urn.length; i++) {
    if (urn[i] === "(") open++;
    else if (urn[i] === ")" && open-- === 0) {
      return `${at(urn, i)} closes no "(": a filter (RFC 7644 §3.4.2.2) could not name this schema's attributes`;
    }
  }
  return undefined;
}
