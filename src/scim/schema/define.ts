import type { AttributeDef } from "./types.ts";

// RFC 7643 §2.2: the defaults an attribute definition has when a characteristic is not named.
const DEFAULTS: Omit<AttributeDef, "name" | "description"> = {
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
};

export type AttrOptions = Partial<Omit<AttributeDef, "name" | "description">>;

// RFC 7643 §2.3.6: "A binary is case exact".
export const attr = (name: string, description: string, options: AttrOptions = {}): AttributeDef => ({
  name,
  ...DEFAULTS,
  ...(options.type === "binary" ? { caseExact: true } : {}),
  description,
  ...options,
});

/** A complex attribute; sub-attributes inherit nothing (RFC 7643 §2.3.8 lists each one). */
export const complex = (
  name: string,
  description: string,
  subAttributes: AttributeDef[],
  options: AttrOptions = {},
): AttributeDef => attr(name, description, { ...options, type: "complex", subAttributes });

/**
 * The value/display/type/primary shape that RFC 7643 §2.4 gives multi-valued attributes.
 * `value` options let a schema make it a reference or binary. With no `types`, `type` has no canonicalValues.
 */
export const multiValued = (
  name: string,
  description: string,
  types: string[],
  value: AttrOptions = {},
  options: AttrOptions = {},
): AttributeDef =>
  complex(
    name,
    description,
    [
      attr("value", `The value of the ${name} entry.`, value),
      attr("display", "A human-readable name, primarily used for display purposes.", {
        mutability: options.mutability ?? "readWrite",
      }),
      attr("type", `A label indicating the attribute's function.`, {
        ...(types.length ? { canonicalValues: types } : {}),
        mutability: options.mutability ?? "readWrite",
      }),
      attr("primary", "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.", {
        type: "boolean",
        mutability: options.mutability ?? "readWrite",
      }),
    ],
    { ...options, multiValued: true },
  );
