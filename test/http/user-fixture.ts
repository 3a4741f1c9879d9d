// A User with every attribute of RFC 7643 §4.1 and §4.3, shared by the /Users tests.
import { type Doc, ENT, USER } from "./client";

/** Every attribute of RFC 7643 §4.1 and §4.3 with a value (password aside: it is never returned). */
export const everyAttribute = (userName: string, managerId: string): Doc => ({
  schemas: [USER, ENT],
  externalId: `ext-${userName}`,
  userName,
  name: {
    formatted: "Ms. Barbara J Jensen, III",
    familyName: "Jensen",
    givenName: "Barbara",
    middleName: "Jane",
    honorificPrefix: "Ms.",
    honorificSuffix: "III",
  },
  displayName: "Babs Jensen",
  nickName: "Babs",
  profileUrl: "https://login.example.com/bjensen",
  title: "Tour Guide",
  userType: "Employee",
  preferredLanguage: "en-US",
  locale: "en-US",
  timezone: "America/Los_Angeles",
  active: true,
  emails: [
    { value: "bjensen@example.com", display: "work mail", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  phoneNumbers: [
    { value: "555-555-5555", type: "work" },
    { value: "555-555-4444", type: "mobile", primary: true },
  ],
  ims: [{ value: "someaimhandle", type: "aim" }],
  photos: [{ value: "https://photos.example.com/profilephoto/72930000000Ccne/F", type: "photo" }],
  addresses: [
    {
      formatted: "100 Universal City Plaza\nHollywood, CA 91608 USA",
      streetAddress: "100 Universal City Plaza",
      locality: "Hollywood",
      region: "CA",
      postalCode: "91608",
      country: "USA",
      type: "work",
      primary: true,
    },
  ],
  entitlements: [{ value: "delete-all", display: "Delete everything", type: "admin", primary: true }],
  roles: [{ value: "tour-guide", display: "Tour guide", type: "staff", primary: false }],
  x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx" }],
  [ENT]: {
    employeeNumber: "701984",
    costCenter: "4130",
    organization: "Universal Studios",
    division: "Theme Park",
    department: "Tour Operations",
    manager: { value: managerId, $ref: `http://scimd.test/scim/v2/x/Users/${managerId}` },
  },
});
