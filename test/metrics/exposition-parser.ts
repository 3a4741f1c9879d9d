// A strict reader of the Prometheus text format (0.0.4), so tests can say "every line is valid".
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\["\\\\n])*)"`;
const VALUE = "([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN)";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

const unescape = (v: string) => v.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));

function familyOf(name: string, type: Map<string, string>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && type.get(base) === "histogram") return base;
  }
  return name;
}

export function parseExposition(text: string): Parsed {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const parsed: Parsed = { help: new Map(), type: new Map(), samples: [] };
  text.slice(0, -1).split("\n").forEach((line, i) => {
    const fail = (why: string) => {
      throw new Error(`line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    let m: RegExpExecArray | null;
    if ((m = HELP.exec(line))) {
      if (parsed.help.has(m[1]!)) fail("second HELP");
      parsed.help.set(m[1]!, m[2]!);
    } else if ((m = TYPE.exec(line))) {
      if (parsed.type.has(m[1]!)) fail("second TYPE");
      parsed.type.set(m[1]!, m[2]!);
    } else if ((m = SAMPLE.exec(line))) {
      const family = familyOf(m[1]!, parsed.type);
      if (!parsed.help.has(family) || !parsed.type.has(family)) fail("sample before its HELP and TYPE");
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? "").matchAll(new RegExp(LABEL, "g"))) labels[k!] = unescape(v!);
      const raw = line.slice(line.lastIndexOf(" ") + 1);
      const value = raw.endsWith("Inf") ? (raw.startsWith("-") ? -Infinity : Infinity) : Number(raw);
      parsed.samples.push({ name: m[1]!, labels, value });
    } else fail("not a valid exposition line");
  });
  return parsed;
}
