export class UsageError extends Error {}

/** A well-formed command that could not do its work: one line saying what to change, without the usage text. */
export class CommandError extends Error {}

export function wholeNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} expects a whole number of seconds, not ${JSON.stringify(value)}`);
  return Number(value);
}
