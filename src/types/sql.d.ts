// SQL migrations are imported `with { type: "text" }`: Bun embeds them in the binary as strings.
declare module "*.sql" {
  const text: string;
  export default text;
}
