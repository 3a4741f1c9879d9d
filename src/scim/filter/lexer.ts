import { badRequest, fail, ok, type Result } from "../../errors.ts";

export type TokenKind = "(" | ")" | "[" | "]" | "string" | "word";

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for a string, the decoded value). */
  text: string;
  /** 0-based offset in the filter text. */
  pos: number;
}

export const filterError = (pos: number, message: string) =>
  badRequest("invalidFilter", `Invalid filter at character ${pos + 1}: ${message}`);

const PUNCTUATION = new Set(["(", ")", "[", "]"]);
const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** A JSON string (RFC 8259 §7) starting at `start`, which holds the opening quote. */
function readString(text: string, start: number): Result<{ value: string; end: number }> {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return ok({ value, end: i + 1 });
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === "u") {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail(filterError(i, "invalid \\u escape in string"));
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
    } else if (e !== undefined && e in ESCAPES) {
      value += ESCAPES[e];
      i += 2;
    } else {
      return fail(filterError(i, "invalid escape in string"));
    }
  }
  return fail(filterError(start, "unterminated string"));
}

/**
 * Where the word starting at `start` ends. RFC 8141 §2 lets a schema URN hold "(" and ")", so once a word has a
 * ":" (a URN-qualified path, RFC 7644 §3.10) a "(" and the ")" that closes it stay in the word; a ")" that closes
 * nothing opened in the word is the filter's own, as in `(schemas eq urn:x:y)`. Before any ":", "(" is punctuation
 * (`not(…)`).
 */
function wordEnd(text: string, start: number): number {
  let i = start;
  let open = 0;
  let urn = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (isSpace(c) || c === '"' || c === "[" || c === "]") break;
    if (c === ":") urn = true;
    else if (c === "(" && urn) open++;
    else if (c === ")" && open > 0) open--;
    else if (c === "(" || c === ")") break;
  }
  return i;
}

/**
 * Splits a filter into tokens. Anything that is not whitespace, a bracket, a parenthesis or a quoted
 * string is a word: attribute paths, operators, keywords and unquoted values alike; the parser decides.
 */
export function tokenize(text: string): Result<Token[]> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
    } else if (PUNCTUATION.has(c)) {
      tokens.push({ kind: c as TokenKind, text: c, pos: i });
      i++;
    } else if (c === '"') {
      const s = readString(text, i);
      if (!s.ok) return s;
      tokens.push({ kind: "string", text: s.value.value, pos: i });
      i = s.value.end;
    } else {
      const start = i;
      i = wordEnd(text, i);
      tokens.push({ kind: "word", text: text.slice(start, i), pos: start });
    }
  }
  return ok(tokens);
}
