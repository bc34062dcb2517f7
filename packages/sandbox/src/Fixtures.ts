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
 *
 * Beyond the sign-up: the message templates each WABA has on Meta when it is linked (`hello_world`, as Meta
 * gives every WABA; "Example Retail Support" also `order_update` and the rejected `rejected_spring_sale`),
 * Meta's template library (`libraryTemplates`), the objects of the S3 stand-in (`defaultObjects`, bucket
 * `sandbox-media`), the end users who granted call permission (`callPermissions`), and the public key a KMS
 * key ARN stands for (`kmsBusinessPublicKey`).
 *
 * Recipients whose events differ (for a WABA with an event destination; `engine/Events.ts`):
 *
 * | recipient (`to`) | events after SendWhatsAppMessage |
 * | --- | --- |
 * | `+14255550190` (`recipients.notOnWhatsApp`) | `failed`, Meta error 131026 "Message undeliverable" |
 * | `+14255550177` (`recipients.replyingCustomer`) | `sent`, `delivered`, `read`, then a text reply (`customerReply`) |
 * | anyone else | `sent`, `delivered`, `read` |
 */
import type * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"

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

/** A message template as Meta holds it (Meta's template JSON: name, language, category, components). */
export interface MetaTemplateFixture {
  readonly name: string
  readonly language: string
  /** `UTILITY`, `MARKETING` or `AUTHENTICATION`. */
  readonly category: string
  /** `APPROVED`, `REJECTED`, `PAUSED`… */
  readonly status: string
  /** Meta's `components` array. */
  readonly components: ReadonlyArray<unknown>
  readonly rejectedReason?: string
}

/** A WhatsApp Business Account as Meta knows it. */
export interface MetaWaba {
  /** Meta's WABA id (becomes `wabaId` and the key of `linkedAccountsWithIncompleteSetup`). */
  readonly wabaId: string
  readonly name: string
  readonly phoneNumbers: ReadonlyArray<MetaPhoneNumber>
  /** The templates the WABA has when it is linked (default: `[helloWorld]`, what Meta gives every WABA). */
  readonly templates?: ReadonlyArray<MetaTemplateFixture>
}

/** `hello_world`: the sample template Meta adds to every new WABA, approved. */
export const helloWorld: MetaTemplateFixture = {
  name: "hello_world",
  language: "en_US",
  category: "UTILITY",
  status: "APPROVED",
  components: [
    { type: "HEADER", format: "TEXT", text: "Hello World" },
    {
      type: "BODY",
      text: "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message " +
        "notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us."
    },
    { type: "FOOTER", text: "WhatsApp Business Platform sample message" }
  ]
}

/** `order_update`: an approved utility template with one named parameter. */
export const orderUpdate: MetaTemplateFixture = {
  name: "order_update",
  language: "en_US",
  category: "UTILITY",
  status: "APPROVED",
  components: [{
    type: "BODY",
    text: "Your order {{order_id}} has shipped.",
    example: { body_text_named_params: [{ param_name: "order_id", example: "A-1001" }] }
  }]
}

/** `rejected_spring_sale`: the seeded bad template, rejected by Meta's review. */
export const rejectedSpringSale: MetaTemplateFixture = {
  name: "rejected_spring_sale",
  language: "en_US",
  category: "MARKETING",
  status: "REJECTED",
  rejectedReason: "PROMOTIONAL",
  components: [{ type: "BODY", text: "WIN A FREE PHONE!!! Click now before it is too late!!!" }]
}

/**
 * Templates created with a name starting with this prefix are rejected by the sandbox's review (after the
 * review delay, like any other), so the `PENDING` → `REJECTED` path can be tried.
 */
export const rejectedTemplatePrefix = "rejected_"

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
  ],
  templates: [helloWorld, orderUpdate, rejectedSpringSale]
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

// =============================================================================
// Meta's template library
// =============================================================================

/** A template of Meta's library (what ListWhatsAppTemplateLibrary shows). */
export interface LibraryTemplateFixture {
  readonly templateId: string
  readonly templateName: string
  readonly templateLanguage: string
  readonly templateCategory: string
  readonly templateTopic: string
  readonly templateUseCase: string
  readonly templateIndustry: ReadonlyArray<string>
  readonly templateHeader?: string
  readonly templateBody: string
  readonly templateButtons: ReadonlyArray<{ readonly type: string; readonly text: string; readonly url?: string }>
  readonly templateBodyExampleParams: ReadonlyArray<string>
}

const library = (
  templateId: string,
  templateName: string,
  templateCategory: string,
  templateTopic: string,
  templateUseCase: string,
  templateIndustry: ReadonlyArray<string>,
  templateBody: string,
  templateBodyExampleParams: ReadonlyArray<string>,
  templateButtons: LibraryTemplateFixture["templateButtons"] = []
): LibraryTemplateFixture => ({
  templateId,
  templateName,
  templateLanguage: "en_US",
  templateCategory,
  templateTopic,
  templateUseCase,
  templateIndustry,
  templateBody,
  templateButtons,
  templateBodyExampleParams
})

/** Meta's library as the sandbox offers it: utility and authentication templates (Meta's library has no others). */
export const libraryTemplates: ReadonlyArray<LibraryTemplateFixture> = [
  library(
    "900000000000001",
    "appointment_reminder",
    "UTILITY",
    "APPOINTMENT",
    "APPOINTMENT_REMINDER",
    [
      "HEALTH"
    ],
    "Hi {{1}}, this is a reminder of your appointment on {{2}} at {{3}}.",
    ["Ana", "May 4", "10:00"]
  ),
  library(
    "900000000000002",
    "order_confirmation",
    "UTILITY",
    "ORDER_MANAGEMENT",
    "ORDER_CONFIRMATION",
    [
      "E_COMMERCE"
    ],
    "Thank you for your order, {{1}}! Your order number is {{2}}.",
    ["Ana", "A-1001"],
    [
      { type: "URL", text: "View order", url: "https://www.example.com/orders/{{1}}" }
    ]
  ),
  library(
    "900000000000003",
    "delivery_update",
    "UTILITY",
    "ORDER_MANAGEMENT",
    "SHIPPING_UPDATE",
    [
      "E_COMMERCE"
    ],
    "Good news, {{1}}: your package {{2}} is out for delivery.",
    ["Ana", "PKG-42"]
  ),
  library(
    "900000000000004",
    "payment_reminder",
    "UTILITY",
    "PAYMENTS",
    "PAYMENT_REMINDER",
    [
      "FINANCIAL_SERVICES"
    ],
    "Hi {{1}}, your payment of {{2}} is due on {{3}}.",
    ["Ana", "$20.00", "May 31"]
  ),
  library(
    "900000000000005",
    "verification_code",
    "AUTHENTICATION",
    "VERIFICATION",
    "ONE_TIME_PASSWORD",
    [
      "E_COMMERCE",
      "FINANCIAL_SERVICES"
    ],
    "{{1}} is your verification code.",
    ["123456"],
    [{ type: "OTP", text: "Copy code" }]
  )
]

// =============================================================================
// The S3 stand-in's objects
// =============================================================================

/** An object of the in-memory S3 stand-in. */
export interface S3ObjectFixture {
  readonly bucket: string
  readonly key: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** `size` bytes starting with `magic` (enough for a media type check; not a viewable file). */
const fakeFile = (magic: ReadonlyArray<number>, size: number): Uint8Array => {
  const bytes = new Uint8Array(size)
  bytes.set(magic)
  for (let i = magic.length; i < size; i++) bytes[i] = i % 251
  return bytes
}

/** The bucket of the seeded objects. */
export const mediaBucket = "sandbox-media"

/** The objects the S3 stand-in starts with (an `objects` engine option replaces them). */
export const defaultObjects: ReadonlyArray<S3ObjectFixture> = [
  {
    bucket: mediaBucket,
    key: "images/welcome.jpg",
    contentType: "image/jpeg",
    bytes: fakeFile([0xff, 0xd8, 0xff], 48_213)
  },
  {
    bucket: mediaBucket,
    key: "images/logo.png",
    contentType: "image/png",
    bytes: fakeFile([0x89, 0x50, 0x4e, 0x47], 12_034)
  },
  {
    bucket: mediaBucket,
    key: "documents/invoice-0001.pdf",
    contentType: "application/pdf",
    bytes: fakeFile([0x25, 0x50, 0x44, 0x46], 83_452)
  },
  {
    bucket: mediaBucket,
    key: "audio/hold-music.mp3",
    contentType: "audio/mpeg",
    bytes: fakeFile([0x49, 0x44, 0x33], 230_112)
  },
  {
    bucket: mediaBucket,
    key: "video/product-tour.mp4",
    contentType: "video/mp4",
    bytes: fakeFile([0, 0, 0, 0x18], 1_204_220)
  },
  {
    bucket: mediaBucket,
    key: "video/too-large.mp4",
    contentType: "video/mp4",
    bytes: fakeFile([0, 0, 0, 0x18], 16 * 1024 * 1024 + 1)
  },
  { bucket: mediaBucket, key: "misc/archive.zip", contentType: "application/zip", bytes: fakeFile([0x50, 0x4b], 2_048) }
]

// =============================================================================
// Calling
// =============================================================================

/** End users (E.164) who granted the business permission to call them (Meta: for 7 days). */
export const callPermissions: ReadonlyArray<string> = ["+14255550100", "+447700900100"]

/**
 * Recipients Meta treats apart in the events of a send (all other recipients are WhatsApp users who get the
 * message and read it: `sent`, `delivered`, `read`).
 */
export const recipients = {
  /** Not a WhatsApp number: AWS accepts the send, then a `failed` status (131026) is the only sign. */
  notOnWhatsApp: "+14255550190",
  /** A WhatsApp user who reads every message and answers it with a text (`customerReply`, as `customerName`). */
  replyingCustomer: "+14255550177"
} as const

/** The profile name of `recipients.replyingCustomer` (the inbound event's `contacts[].profile.name`). */
export const customerName = "Sandbox Customer"

/** What `recipients.replyingCustomer` answers to every message, as a reply to it (`context.id` its wamid). */
export const customerReply = "Thanks, got it!"

/**
 * The error of the `failed` status for `recipients.notOnWhatsApp`: Meta's 131026 (error codes page: "Message
 * Undeliverable… The recipient phone number is not a WhatsApp phone number", among other reasons).
 */
export const undeliverableError: WhatsAppEvent.MetaError = {
  code: 131026,
  title: "Message undeliverable",
  message: "Message undeliverable",
  error_data: { details: "Message Undeliverable." },
  href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
}

/**
 * The business public key a KMS key ARN stands for in PutWhatsAppBusinessPublicKey (the sandbox has no KMS):
 * a 2048-bit RSA public key, PEM.
 */
export const kmsBusinessPublicKey = [
  "-----BEGIN PUBLIC KEY-----",
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqCA6FaiZESakyzJUVVjQ",
  "0Xrp8j2ZAmLxM7XY1Mbfh9GjZOtTKT1VbCLnTb1tCu/NCHSZPuJIx0A6dw98FeA2",
  "+9nEDJWYnWtVHdVi7idIp7uSszi3tGYkG5XQj+OmBZClRFI+0osods0P9JV4pe2A",
  "k7x5l7cHnzSqCTBn5gTw+XNITET05M62D2Q4aYV+CU+ol2ahOpnRaQihW5GCHEBN",
  "vUaNPeNWnwxpUOP+nDkWC5eUt2+fz7WBDYemxYOoO6pg5xnU7uBU2CiRg8OT6arA",
  "kQnuAsirb8Fbf5DbrNTYVlCVssvVEdnONW5VB6ClVIR/5/rF246k6LeIsm69LB0g",
  "ywIDAQAB",
  "-----END PUBLIC KEY-----",
  ""
].join("\n")

// =============================================================================
// What a sandbox starts with, as text
// =============================================================================

const describeTemplates = (templates: ReadonlyArray<MetaTemplateFixture> | undefined): string =>
  (templates ?? [helloWorld]).map((t) => `${t.name} (${t.language}, ${t.status})`).join(", ")

/**
 * The seeded data as lines to print (`sandbox serve`): the phone numbers each access token links (ready to
 * send from once AssociateWhatsAppBusinessAccount has registered them), the templates their WABAs bring, the
 * template library, the S3 stand-in's objects, the end users who granted call permission.
 */
export const describeSeed = (
  fixtures: ReadonlyArray<MetaTokenFixture> = defaultFixtures,
  objects: ReadonlyArray<S3ObjectFixture> = defaultObjects
): ReadonlyArray<string> => [
  "Phone numbers ready to send from once linked (associate-whatsapp-business-account with the token;",
  "send-whatsapp-message then takes the phone-number-id-… it registers):",
  ...fixtures.flatMap((fixture) =>
    fixture.grant._tag !== "Granted"
      ? []
      : fixture.grant.wabas.length > 3
      ? [`  ${fixture.accessToken}: ${fixture.grant.wabas.length} WABAs with one number each`]
      : fixture.grant.wabas.flatMap((waba) => [
        `  ${fixture.accessToken}: WABA ${waba.wabaId} "${waba.name}"`,
        ...waba.phoneNumbers.map((n) =>
          `    ${n.phoneNumber} (Meta id ${n.metaPhoneNumberId}, ${n.displayPhoneNumberName})`
        ),
        `    templates: ${describeTemplates(waba.templates)}`
      ])
  ),
  `Templates created with a name starting "${rejectedTemplatePrefix}" are REJECTED after review; others APPROVED.`,
  `Template library: ${libraryTemplates.map((t) => t.templateName).join(", ")}`,
  "S3 stand-in objects (sourceS3File bucketName/key, or a pre-signed URL naming them):",
  ...objects.map((o) => `  s3://${o.bucket}/${o.key} (${o.contentType}, ${o.bytes.length} bytes)`),
  `End users who granted call permission: ${callPermissions.join(", ")}`,
  "Recipients, for the events of a WABA with an event destination (others: sent, delivered, read):",
  `  ${recipients.notOnWhatsApp}: not on WhatsApp: failed, Meta error ${undeliverableError.code} "${undeliverableError.title}"`,
  `  ${recipients.replyingCustomer}: "${customerName}": sent, delivered, read, then replies "${customerReply}"`
]
