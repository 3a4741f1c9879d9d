// The request body, read once and shared: the handler (readJsonBody → request.text()) and the recorder get
// the same string. A clone would tee the body into two JavaScript streams, and on a real socket that costs
// more than everything else the recorder does (measured: ~50 µs per PATCH).
export type BodyReader = () => Promise<string>;

export function shareBody(request: Request): BodyReader {
  const read = request.text.bind(request);
  let text: Promise<string> | undefined;
  const shared: BodyReader = () => (text ??= read());
  Object.defineProperty(request, "text", { value: shared, configurable: true });
  return shared;
}
