// How far the clocks of a token's issuer and scimd may disagree. Microsoft's own token libraries allow five
// minutes of skew; so does scimd, for Entra's tokens and its own alike.
export const CLOCK_TOLERANCE_SECONDS = 300;

/**
 * jose refuses an `iat` in the future (beyond the tolerance) only when it is given a maximum token age, so
 * every verifier passes one: the longest a token of its kind can live.
 */
export const issuedAtChecks = (maxTokenAgeSeconds: number) => ({
  clockTolerance: CLOCK_TOLERANCE_SECONDS,
  maxTokenAge: maxTokenAgeSeconds,
});
