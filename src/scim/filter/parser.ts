import { badRequest, fail, ok, type Result, ScimError, type ScimType } from "../../errors.ts";
import { type AttrPath, COMPARE_OPERATORS, type CompareOperator, type FilterNode, type PatchPath } from "./ast.ts";
import { filterError, type Token, tokenize } from "./lexer.ts";

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;

// RFC 7644 §3.4.2.2 Figure 1: ATTRNAME = ALPHA *(nameChar); `$` is allowed too for `$ref`.
const NAME = "[A-Za-z$][A-Za-z0-9_$-]*";
const ATTR_PATH = new RegExp(`^(?:([A-Za-z][A-Za-z0-9+.-]*:.*):)?(${NAME})(?:\\.(${NAME}))?$`);
const SUB_ATTR = new RegExp(`^\\.(${NAME})$`);
// RFC 8259 §6 number.
export const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const describe = (t: Token | undefined) => (t ? (t.kind === "string" ? JSON.stringify(t.text) : `'${t.text}'`) : "end of filter");
const isWord = (t: Token | undefined, word: string) => t?.kind === "word" && t.text.toLowerCase() === word;
const isOperator = (t: Token | undefined) =>
  t?.kind === "word" && (t.text.toLowerCase() === "pr" || (COMPARE_OPERATORS as readonly string[]).includes(t.text.toLowerCase()));

export function parseAttrPathText(text: string): AttrPath | undefined {
  const m = ATTR_PATH.exec(text);
  if (!m) return undefined;
  const path: AttrPath = { name: m[2] };
  if (m[1] !== undefined) path.uri = m[1];
  if (m[3] !== undefined) path.subAttr = m[3];
  return path;
}

/** Recursive descent over the tokens; throws ScimError internally, the exported functions return Result. */
class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly end: number,
    /** scimType of errors outside a bracketed filter (PATCH paths report invalidPath). */
    private readonly outerType: ScimType = "invalidFilter",
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  private error(message: string, at = this.peek(), type: ScimType = "invalidFilter"): ScimError {
    const pos = at?.pos ?? this.end;
    if (type === "invalidFilter") return filterError(pos, message);
    return badRequest(type, `Invalid path at character ${pos + 1}: ${message}`);
  }
  private expect(kind: Token["kind"], what: string, type?: ScimType): Token {
    const t = this.peek();
    if (t?.kind !== kind) throw this.error(`expected ${what}, found ${describe(t)}`, t, type);
    this.i++;
    return t;
  }

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }
  rejectRest(type?: ScimType): void {
    if (!this.atEnd()) throw this.error(`unexpected ${describe(this.peek())}`, this.peek(), type);
  }

  // Precedence (RFC 7644 §3.4.2.2): not > and > or.
  filter(depth: number, inValuePath: boolean): FilterNode {
    let left = this.conjunction(depth, inValuePath);
    while (isWord(this.peek(), "or")) {
      this.i++;
      left = { kind: "or", left, right: this.conjunction(depth, inValuePath) };
    }
    return left;
  }

  private conjunction(depth: number, inValuePath: boolean): FilterNode {
    let left = this.unary(depth, inValuePath);
    while (isWord(this.peek(), "and")) {
      this.i++;
      left = { kind: "and", left, right: this.unary(depth, inValuePath) };
    }
    return left;
  }

  private unary(depth: number, inValuePath: boolean): FilterNode {
    if (depth > MAX_FILTER_DEPTH) throw this.error(`filter is nested deeper than ${MAX_FILTER_DEPTH} levels`);
    const t = this.peek();
    if (isWord(t, "not") && !isOperator(this.peek(1))) {
      this.i++;
      return { kind: "not", filter: this.unary(depth + 1, inValuePath) };
    }
    if (t?.kind === "(") {
      this.i++;
      const inner = this.filter(depth + 1, inValuePath);
      this.expect(")", "')'");
      return inner;
    }
    if (t?.kind === "word") return this.attrExpression(depth, inValuePath);
    throw this.error(`expected an attribute path, '(' or 'not', found ${describe(t)}`, t);
  }

  attrPath(type: ScimType = "invalidFilter"): AttrPath {
    const t = this.expect("word", "an attribute path", type);
    const path = parseAttrPathText(t.text);
    if (!path) throw this.error(`'${t.text}' is not a valid attribute path`, t, type);
    return path;
  }

  /** `[valFilter]` after an attribute path; the caller has checked that '[' comes next. */
  bracketFilter(path: AttrPath, depth: number, inValuePath: boolean, type: ScimType = "invalidFilter"): FilterNode {
    const open = this.expect("[", "'['", type);
    if (inValuePath) throw this.error("value filters cannot be nested", open);
    if (path.subAttr) throw this.error("a value filter must follow an attribute, not a sub-attribute", open, type);
    const inner = this.filter(depth + 1, true);
    this.expect("]", "']'");
    return inner;
  }

  /** `.subAttr` right after `]`. */
  subAttrAfterBracket(): string | undefined {
    const t = this.peek();
    if (t?.kind !== "word" || !t.text.startsWith(".")) return undefined;
    const m = SUB_ATTR.exec(t.text);
    if (!m) throw this.error(`'${t.text}' is not a valid sub-attribute`, t);
    this.i++;
    return m[1];
  }

  private attrExpression(depth: number, inValuePath: boolean): FilterNode {
    const path = this.attrPath();
    if (this.peek()?.kind !== "[") return this.comparison(path);
    const inner = this.bracketFilter(path, depth, inValuePath);
    const sub = this.subAttrAfterBracket();
    if (sub === undefined) return { kind: "valuePath", path, filter: inner };
    // entra.md "Match": emails[type eq "work"].value eq "x" — both conditions hold for the same element.
    return { kind: "valuePath", path, filter: { kind: "and", left: inner, right: this.comparison({ name: sub }) } };
  }

  private comparison(path: AttrPath): FilterNode {
    const t = this.peek();
    if (!isOperator(t) || t === undefined) {
      throw this.error(`expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found ${describe(t)}`, t);
    }
    this.i++;
    const op = t.text.toLowerCase();
    if (op === "pr") return { kind: "present", path };
    return this.value(path, op as CompareOperator, t);
  }

  private value(path: AttrPath, op: CompareOperator, opToken: Token): FilterNode {
    const t = this.peek();
    const missing = () => this.error(`expected a value after '${opToken.text}', found ${describe(t)}`, t);
    if (t?.kind === "string") {
      this.i++;
      return { kind: "compare", path, op, value: t.text };
    }
    if (t?.kind !== "word") throw missing();
    const lower = t.text.toLowerCase();
    if (lower === "and" || lower === "or") throw missing();
    this.i++;
    // Lenient: Microsoft's tools send unquoted strings (`userName eq Test_User_abc`).
    let value: string | number | boolean | null = t.text;
    if (lower === "true" || lower === "false") value = lower === "true";
    else if (lower === "null") value = null;
    else if (JSON_NUMBER.test(t.text)) value = Number(t.text);
    return { kind: "compare", path, op, value, literal: t.text };
  }
}

function run<T>(text: string, type: ScimType, parse: (p: Parser) => T): Result<T> {
  if (text.length > MAX_FILTER_LENGTH) {
    return fail(badRequest(type, `Filter is longer than ${MAX_FILTER_LENGTH} characters`));
  }
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  if (tokens.value.length === 0) return fail(badRequest(type, "Filter is empty"));
  try {
    return ok(parse(new Parser(tokens.value, text.length, type)));
  } catch (e) {
    if (e instanceof ScimError) return fail(e);
    throw e;
  }
}

// Entra looks every user up before it writes (`userName eq "…"`): that one shape skips the tokenizer and the
// descent, and yields exactly the node they would. Values with escapes, URNs and sub-attributes take the long way.
// Whitespace as the lexer has it (not \s, which also takes no-break and other Unicode spaces).
const SIMPLE_EQ = /^[ \t\n\r]*([A-Za-z][A-Za-z0-9_-]*)[ \t\n\r]+eq[ \t\n\r]+"([^"\\]*)"[ \t\n\r]*$/i;

/** Parses an RFC 7644 §3.4.2.2 filter. Every error is 400 invalidFilter with the character position. */
export function parseFilter(text: string): Result<FilterNode> {
  const simple = text.length <= MAX_FILTER_LENGTH ? SIMPLE_EQ.exec(text) : null;
  if (simple) return ok({ kind: "compare", path: { name: simple[1] }, op: "eq", value: simple[2] });
  return run(text, "invalidFilter", (p) => {
    const node = p.filter(0, false);
    p.rejectRest();
    return node;
  });
}

/**
 * Parses an RFC 7644 §3.5.2 PATCH path: `attrPath` or `valuePath [subAttr]`. Errors in the path are
 * 400 invalidPath; errors inside the brackets are 400 invalidFilter.
 */
export function parsePatchPath(text: string): Result<PatchPath> {
  return run(text, "invalidPath", (p) => {
    const path = p.attrPath("invalidPath");
    if (p.atEnd()) return { path };
    const filter = p.bracketFilter(path, 0, false, "invalidPath");
    const subAttr = p.subAttrAfterBracket();
    p.rejectRest("invalidPath");
    return subAttr === undefined ? { path, filter } : { path, filter, subAttr };
  });
}
