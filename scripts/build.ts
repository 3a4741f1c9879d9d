// Compiles dist/scimd: one self-contained executable. The binary must not pick up a stray .env or bunfig.toml
// from whatever directory it is started in, so both autoloads are off; the version and commit are stamped in.
import { $ } from "bun";
import pkg from "../package.json" with { type: "json" };

const commit = (await $`git rev-parse --short HEAD`.nothrow().quiet().text()).trim() || "unknown";
const build = `${commit} ${new Date().toISOString().slice(0, 10)}`;
const [outfile = "dist/scimd", ...extra] = process.argv.slice(2);
// `bun scripts/build.ts --help` wrote a 100 MB executable named "--help": the one argument is a path.
if (outfile.startsWith("-") || extra.length > 0) {
  console.error("usage: bun scripts/build.ts [OUTFILE]   (default dist/scimd)");
  process.exit(2);
}

await $`${process.execPath} build --compile --minify --sourcemap=none \
  --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
  --no-compile-autoload-tsconfig --no-compile-autoload-package-json \
  --define SCIMD_BUILD=${JSON.stringify(build)} \
  src/index.ts --outfile ${outfile}`;

console.log(`built ${outfile}: scimd ${pkg.version} (${build})`);
