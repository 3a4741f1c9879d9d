// Compiles dist/scimd: one self-contained executable. The binary must not pick up a stray .env or bunfig.toml
// from whatever directory it is started in, so both autoloads are off; the version and commit are stamped in.
import { $ } from "bun";
import pkg from "../package.json" with { type: "json" };

const commit = (await $`git rev-parse --short HEAD`.nothrow().quiet().text()).trim() || "unknown";
const build = `${commit} ${new Date().toISOString().slice(0, 10)}`;
const outfile = process.argv[2] ?? "dist/scimd";

await $`${process.execPath} build --compile --minify --sourcemap=none \
  --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
  --no-compile-autoload-tsconfig --no-compile-autoload-package-json \
  --define SCIMD_BUILD=${JSON.stringify(build)} \
  src/index.ts --outfile ${outfile}`;

console.log(`built ${outfile}: scimd ${pkg.version} (${build})`);
