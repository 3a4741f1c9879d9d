// The console's browser files, imported `with { type: "file" }`: Bun embeds each in the binary and the import
// is its path there. `.mjs` keeps these patterns away from the server's own TypeScript imports.
declare module "*.mjs" {
  const path: string;
  export default path;
}

declare module "*.css" {
  const path: string;
  export default path;
}

declare module "*.svg" {
  const path: string;
  export default path;
}
