// userName, and a group's displayName, are unique per tenant regardless of case, and filters compare them
// regardless of case (RFC 7643 §2.2: caseExact false). Both go through a key column that holds the name case
// folded, not lower-cased: "ΟΔΟΣ".toLowerCase() is "οδος" (a final sigma) while "οδοσ" stays as it is, though
// the two differ only in case. Folded, both are "οδοσ", as filters on every other attribute fold them.
import { foldCase } from "../scim/unicode-fold";

export const nameKey = (name: string): string => foldCase(name);
