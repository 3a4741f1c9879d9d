import pkg from "../package.json" with { type: "json" };

// `bun build --define SCIMD_BUILD=...` stamps the binary; from source it reads "source".
declare const SCIMD_BUILD: string | undefined;
const build = typeof SCIMD_BUILD === "string" ? SCIMD_BUILD : "source";

export const VERSION = `${pkg.version} (${build})`;
