import { attr, complex, multiValued } from "./define.ts";
import { type SchemaDef, USER_SCHEMA } from "./types.ts";

const str = (name: string, description: string) => attr(name, description);

// RFC 7643 §4.1 attributes with the characteristics of the §8.7.1 schema representation.
export const userSchema: SchemaDef = {
  id: USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    attr(
      "userName",
      "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. REQUIRED.",
      { required: true, uniqueness: "server" },
    ),
    complex("name", "The components of the user's real name.", [
      str("formatted", "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
      str("familyName", "The family name of the User, or last name in most Western languages."),
      str("givenName", "The given name of the User, or first name in most Western languages."),
      str("middleName", "The middle name(s) of the User."),
      str("honorificPrefix", "The honorific prefix(es) of the User, or title in most Western languages."),
      str("honorificSuffix", "The honorific suffix(es) of the User, or suffix in most Western languages."),
    ]),
    str("displayName", "The name of the User, suitable for display to end-users."),
    str("nickName", "The casual way to address the user in real life."),
    attr("profileUrl", "A fully qualified URL pointing to a page representing the User's online profile.", {
      type: "reference",
      referenceTypes: ["external"],
    }),
    str("title", "The user's title, such as \"Vice President\"."),
    str("userType", "Used to identify the relationship between the organization and the user."),
    str("preferredLanguage", "Indicates the User's preferred written or spoken language (RFC 7231 §5.3.5)."),
    str("locale", "Used to indicate the User's default location for purposes of localizing items such as currency."),
    str("timezone", "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
    attr("active", "A Boolean value indicating the User's administrative status.", { type: "boolean" }),
    attr("password", "The User's cleartext password, used to set or compare it; never returned.", {
      mutability: "writeOnly",
      returned: "never",
    }),
    multiValued("emails", "Email addresses for the user.", ["work", "home", "other"]),
    multiValued("phoneNumbers", "Phone numbers for the User.", ["work", "home", "mobile", "fax", "pager", "other"]),
    multiValued("ims", "Instant messaging addresses for the User.", [
      "aim",
      "gtalk",
      "icq",
      "xmpp",
      "msn",
      "skype",
      "qq",
      "yahoo",
    ]),
    multiValued("photos", "URLs of photos of the User.", ["photo", "thumbnail"], {
      type: "reference",
      referenceTypes: ["external"],
    }),
    complex(
      "addresses",
      "A physical mailing address for this User.",
      [
        str("formatted", "The full mailing address, formatted for display or use with a mailing label."),
        str("streetAddress", "The full street address component."),
        str("locality", "The city or locality component."),
        str("region", "The state or region component."),
        str("postalCode", "The zip code or postal code component."),
        str("country", "The country name component (ISO 3166-1 alpha-2)."),
        attr("type", "A label indicating the attribute's function.", { canonicalValues: ["work", "home", "other"] }),
        // §4.1.2 gives addresses a primary sub-attribute, though the §8.7.1 listing omits it.
        attr("primary", "A Boolean value indicating the 'primary' or preferred address.", { type: "boolean" }),
      ],
      { multiValued: true },
    ),
    complex(
      "groups",
      "A list of groups to which the user belongs, either through direct membership or through nested groups.",
      [
        attr("value", "The identifier of the User's group.", { mutability: "readOnly" }),
        attr("$ref", "The URI of the corresponding 'Group' resource to which the user belongs.", {
          type: "reference",
          referenceTypes: ["User", "Group"],
          mutability: "readOnly",
        }),
        attr("display", "A human-readable name, primarily used for display purposes.", { mutability: "readOnly" }),
        attr("type", "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.", {
          canonicalValues: ["direct", "indirect"],
          mutability: "readOnly",
        }),
      ],
      { multiValued: true, mutability: "readOnly" },
    ),
    // RFC 7643 §4.1.2 defines no canonical types for these three, so their `type` lists none.
    multiValued("entitlements", "A list of entitlements for the User that represent a thing the User has.", []),
    multiValued("roles", "A list of roles for the User that collectively represent who the User is.", []),
    multiValued("x509Certificates", "A list of certificates issued to the User.", [], { type: "binary" }),
  ],
};
