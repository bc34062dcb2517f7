/**
 * Meta's side of the sandbox: the embedded-signup access tokens the engine recognises and what Meta
 * would grant for each (WhatsApp Business Accounts and their phone numbers).
 *
 * All phone numbers are in ranges reserved for fiction (NANP 555-01xx, Ofcom 07700 900xxx, ACMA
 * 0491 570 xxx); the Meta ids are made up.
 *
 * | token (`signupCallback.accessToken`) | Meta answers |
 * | --- | --- |
 * | `sandbox-meta-token-two-wabas` | two WABAs: "Example Retail Support" (2 numbers), "Example Retail Marketing" (1) |
 * | `sandbox-meta-token-one-waba` | one WABA, "Example Clinic" (1 number) |
 * | `sandbox-meta-token-thirty-wabas` | 30 WABAs, one number each (for the 25-WABA quota) |
 * | `sandbox-meta-token-revoked` | the user revoked the grant: InvalidParametersException |
 * | `sandbox-meta-token-meta-unavailable` | Meta's Graph API is down: DependencyException |
 */

/** A phone number as Meta knows it. */
export interface MetaPhoneNumber {
  /** Meta's phone number id (becomes `metaPhoneNumberId`). */
  readonly metaPhoneNumberId: string
  /** E.164, e.g. `+14255550111`. */
  readonly phoneNumber: string
  /** As shown to recipients, e.g. `+1 425-555-0111`. */
  readonly displayPhoneNumber: string
  readonly displayPhoneNumberName: string
  /** Meta's quality rating: GREEN, YELLOW, RED or UNKNOWN. */
  readonly qualityRating: string
}

/** A WhatsApp Business Account as Meta knows it. */
export interface MetaWaba {
  /** Meta's WABA id (becomes `wabaId` and the key of `linkedAccountsWithIncompleteSetup`). */
  readonly wabaId: string
  readonly name: string
  readonly phoneNumbers: ReadonlyArray<MetaPhoneNumber>
}

/** What Meta says about an access token. */
export type MetaGrant =
  | { readonly _tag: "Granted"; readonly wabas: ReadonlyArray<MetaWaba> }
  | { readonly _tag: "Revoked" }
  | { readonly _tag: "MetaUnavailable" }

/** One seeded access token. */
export interface MetaTokenFixture {
  readonly accessToken: string
  readonly description: string
  readonly grant: MetaGrant
}

/** The seeded tokens, by role. */
export const tokens = {
  twoWabas: "sandbox-meta-token-two-wabas",
  oneWaba: "sandbox-meta-token-one-waba",
  thirtyWabas: "sandbox-meta-token-thirty-wabas",
  revoked: "sandbox-meta-token-revoked",
  metaUnavailable: "sandbox-meta-token-meta-unavailable"
} as const

const number = (
  metaPhoneNumberId: string,
  phoneNumber: string,
  displayPhoneNumber: string,
  displayPhoneNumberName: string,
  qualityRating = "GREEN"
): MetaPhoneNumber => ({ metaPhoneNumberId, phoneNumber, displayPhoneNumber, displayPhoneNumberName, qualityRating })

/** "Example Retail Support": two unregistered numbers (register one, then add the other via `phoneNumberParent`). */
export const retailSupport: MetaWaba = {
  wabaId: "100000000000001",
  name: "Example Retail Support",
  phoneNumbers: [
    number("200000000000011", "+14255550111", "+1 425-555-0111", "Example Retail"),
    number("200000000000012", "+14255550112", "+1 425-555-0112", "Example Retail Returns", "YELLOW")
  ]
}

/** "Example Retail Marketing": one UK number. */
export const retailMarketing: MetaWaba = {
  wabaId: "100000000000002",
  name: "Example Retail Marketing",
  phoneNumbers: [number("200000000000021", "+447700900021", "+44 7700 900021", "Example Retail UK")]
}

/** "Example Clinic": one Australian number. */
export const clinic: MetaWaba = {
  wabaId: "100000000000003",
  name: "Example Clinic",
  phoneNumbers: [number("200000000000031", "+61491570031", "+61 491 570 031", "Example Clinic")]
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** Thirty WABAs "Example Franchise 01..30", one number each. */
export const franchises: ReadonlyArray<MetaWaba> = Array.from({ length: 30 }, (_, i) => ({
  wabaId: `1000000000010${pad(i + 1, 2)}`,
  name: `Example Franchise ${pad(i + 1, 2)}`,
  phoneNumbers: [
    number(`2000000000010${pad(i + 1, 2)}`, `+1206555${pad(100 + i, 4)}`, `+1 206-555-${pad(100 + i, 4)}`, "Franchise")
  ]
}))

/** The fixtures a sandbox starts with unless told otherwise. */
export const defaultFixtures: ReadonlyArray<MetaTokenFixture> = [
  {
    accessToken: tokens.twoWabas,
    description: "a business with two WABAs and three unregistered numbers",
    grant: { _tag: "Granted", wabas: [retailSupport, retailMarketing] }
  },
  {
    accessToken: tokens.oneWaba,
    description: "a business with a single WABA and one unregistered number",
    grant: { _tag: "Granted", wabas: [clinic] }
  },
  {
    accessToken: tokens.thirtyWabas,
    description: "a business with 30 WABAs, one number each: more than the 25 a region may link",
    grant: { _tag: "Granted", wabas: franchises }
  },
  {
    accessToken: tokens.revoked,
    description: "the user revoked the app's access in Meta Business Suite",
    grant: { _tag: "Revoked" }
  },
  {
    accessToken: tokens.metaUnavailable,
    description: "Meta's Graph API does not answer",
    grant: { _tag: "MetaUnavailable" }
  }
]
