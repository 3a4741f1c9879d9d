// What each command takes. An option or argument a command does not take is a usage error, never ignored: a
// misspelt `--expires 60` would otherwise issue a token that never expires.
import { UsageError } from "./args";

interface Shape {
  /** The most positional arguments after the command's words; fewer are each command's own check. */
  args: number;
  /** Options that take a value (`--name value` or `--name=value`). */
  options?: string[];
  /** Options that take none. */
  switches?: string[];
}

const SETTINGS = ["rate-limit", "entra-tenant", "entra-issuer", "entra-audience", "entra-jwks-uri"];

const COMMANDS: Record<string, Shape> = {
  "tenant create": { args: 0, options: ["name"] },
  "tenant list": { args: 0 },
  "tenant delete": { args: 1 },
  "tenant show": { args: 1 },
  "tenant set": { args: 1, options: SETTINGS },
  "token issue": { args: 1, options: ["expires-in", "description"] },
  "token list": { args: 1 },
  "token revoke": { args: 2 },
  "key rotate": { args: 1, options: ["overlap"] },
  "client create": { args: 1, options: ["description"] },
  "client list": { args: 1 },
  "client rotate": { args: 2 },
  "client delete": { args: 2 },
  rekey: { args: 0, switches: ["decrypt"] },
  backup: { args: 1 },
  healthcheck: { args: 0 },
};

export interface CommandLine {
  /** The command's words, e.g. "token issue". */
  command: string;
  args: string[];
  /** A switch given is "true". */
  options: Record<string, string>;
}

/** Parses `WORD [WORD] ARG… --option value|--option=value|--switch…` against what that command takes. */
export function parseCommandLine(argv: string[]): CommandLine {
  const words = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? 1 : 2;
  const command = argv.slice(0, words).join(" ");
  const shape = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!shape || argv.slice(0, words).some((word) => word.startsWith("-"))) {
    throw new UsageError(`unknown command: ${argv.join(" ")}`);
  }
  const args: string[] = [];
  const options: Record<string, string> = {};
  const rest = argv.slice(words);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) {
      args.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (Object.hasOwn(options, name)) throw new UsageError(`--${name} is given twice`);
    if (shape.switches?.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options[name] = "true";
    } else if (shape.options?.includes(name)) {
      if (eq >= 0) options[name] = arg.slice(eq + 1);
      else if (rest[i + 1] !== undefined && !rest[i + 1]!.startsWith("--")) options[name] = rest[++i]!;
      else throw new UsageError(`--${name} needs a value (--${name} VALUE, or --${name}=VALUE when it starts with --)`);
    } else {
      const takes = [...(shape.options ?? []), ...(shape.switches ?? [])].map((o) => `--${o}`).join(", ");
      throw new UsageError(`${command} does not take --${name}; it takes ${takes || "no options"}`);
    }
  }
  if (args.length > shape.args) {
    throw new UsageError(`${command} takes ${shape.args} argument${shape.args === 1 ? "" : "s"}, not ${args.length}`);
  }
  return { command, args, options };
}
