export class UsageError extends Error {}

/** A well-formed command that could not do its work: one line saying what to change, without the usage text. */
export class CommandError extends Error {}

/** Splits argv into positionals and --name value / --name=value options. */
export function parseArgs(argv: string[]): { positionals: string[]; options: Record<string, string> } {
  const positionals: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) options[arg.slice(2, eq)] = arg.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) options[arg.slice(2)] = argv[++i];
      else options[arg.slice(2)] = "true";
    } else positionals.push(arg);
  }
  return { positionals, options };
}

export function wholeNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} expects a whole number of seconds, not ${JSON.stringify(value)}`);
  return Number(value);
}
