// File imports (`with { type: "file" }`) of the docs page's assets: Bun embeds each file in the binary
// and the import is its path there.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const text: string;
  export default text;
}

declare module "swagger-ui-dist/swagger-ui.css" {
  const text: string;
  export default text;
}
