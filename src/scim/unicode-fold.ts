// SQLite's lower() folds ASCII letters only, and bun:sqlite cannot register a Unicode one. A case-insensitive
// comparison (RFC 7643 §2.2, caseExact false) with a value holding other letters would then miss "Émile" for
// "émile". Only the letters of the value can take part in a match, so the column is folded for those alone:
// every case form of each of them is replaced by one canonical form, in SQL, and the value gets the same forms.
// The SQL grows with the number of distinct non-ASCII letters in the value, not with any product of them.

export interface UnicodeFold {
  /** The value with ASCII lower-cased and each non-ASCII letter in its canonical form. */
  text: string;
  /** [other form, canonical form] pairs to replace in the column, once lower() has folded ASCII. */
  replacements: [string, string][];
}

const isSingle = (s: string) => s.length > 0 && s.length === String.fromCodePoint(s.codePointAt(0) ?? 0).length;

// Dotless ı upper-cases to I, but Unicode's case folding keeps the two apart (Turkish has both).
const UNFOLDED = new Set(["\u0131"]);

// σ, ς and Σ all upper-case to Σ: the canonical form is the lower case of the upper case, when each is one
// letter (Unicode's simple case folding, CaseFolding.txt, agrees for the letters names are written in).
function canonicalOf(ch: string): string {
  if (UNFOLDED.has(ch)) return ch;
  const upper = ch.toUpperCase();
  const viaUpper = isSingle(upper) ? upper.toLowerCase() : "";
  if (isSingle(viaUpper)) return viaUpper;
  const lower = ch.toLowerCase();
  return isSingle(lower) ? lower : ch;
}

interface Tables {
  canonical: Map<string, string>;
  /** canonical → its other non-ASCII forms */
  forms: Map<string, string[]>;
}

let tables: Tables | undefined;

// The blocks above ASCII that hold letters with case (Latin, Greek, Cyrillic, Armenian, Georgian, Cherokee,
// Glagolitic, Coptic, full-width Latin, Deseret, Osage, Old Hungarian, Warang Citi, Medefaidrin, Adlam…).
const CASED_BLOCKS = [[0x80, 0x2fff], [0xa640, 0xabff], [0xff00, 0xffff], [0x10400, 0x10fff], [0x11800, 0x118ff],
  [0x16e40, 0x16e9f], [0x1e900, 0x1e95f]] as const;

// Built once, on the first filter that needs it (a few milliseconds).
function tablesOf(): Tables {
  if (tables) return tables;
  const canonical = new Map<string, string>();
  const forms = new Map<string, string[]>();
  for (const [from, to] of CASED_BLOCKS) for (let cp = from; cp <= to; cp++) add(String.fromCodePoint(cp));
  tables = { canonical, forms };
  return tables;

  function add(ch: string) {
    const c = canonicalOf(ch);
    if (c === ch) return;
    canonical.set(ch, c);
    const list = forms.get(c);
    if (list) list.push(ch);
    else forms.set(c, [ch]);
  }
}

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * The same folding on a whole string, for comparisons made in JavaScript (PATCH value paths), so that they
 * agree with the ones made in SQL.
 */
export function foldCase(value: string): string {
  if (!NON_ASCII.test(value)) return value.toLowerCase();
  const { canonical } = tablesOf();
  let text = "";
  for (const ch of value) text += ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : (canonical.get(ch) ?? ch);
  return text;
}

// The only ASCII letters with a non-ASCII case form: K (the Kelvin sign) folds to k, ſ (long s) to s.
const ASCII_WITH_OTHER_FORMS = /[ks]/i;

/** undefined when no letter of the value has a non-ASCII case form: plain lower() is exact then. */
export function unicodeFold(value: string): UnicodeFold | undefined {
  if (!NON_ASCII.test(value) && !ASCII_WITH_OTHER_FORMS.test(value)) return undefined;
  const { canonical, forms } = tablesOf();
  const replacements = new Map<string, string>();
  for (const ch of value) {
    const c = ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : (canonical.get(ch) ?? ch);
    for (const form of forms.get(c) ?? []) replacements.set(form, c);
  }
  return replacements.size === 0 ? undefined : { text: foldCase(value), replacements: [...replacements] };
}

/** Every non-ASCII letter whose folded form differs from it, with that form: what SQL looks up (case_fold). */
export function foldPairs(): [string, string][] {
  return [...tablesOf().canonical];
}
