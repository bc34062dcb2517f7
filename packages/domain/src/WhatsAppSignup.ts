/**
 * AssociateWhatsAppBusinessAccount (`POST /v1/whatsapp/signup`): the two-step link of a WhatsApp
 * Business Account. Step 1 (`signupCallback`) trades Meta's embedded-signup access token for an
 * `associateInProgressToken`; step 2 (`setupFinalization`) registers phone numbers and links the WABA.
 *
 * Secrets are `Redacted`: Meta's access token, the in-progress token and the two-factor PINs.
 */
import * as Schema from "effect/Schema"
import { LinkedWhatsAppBusinessAccountId, WhatsAppBusinessAccountId, WhatsAppPhoneNumber } from "./Ids.js"
import { length, optional, secret, SecretString } from "./internal/constraints.js"
import {
  IsoCountryCode,
  RegistrationStatusOutput,
  WhatsAppBusinessAccountEventDestinations,
  WhatsAppPhoneNumberDetail
} from "./LinkedAccounts.js"
import { TagList } from "./Tagging.js"

// =============================================================================
// Secrets
// =============================================================================

/** Meta's embedded-signup access token: a bearer credential the model forgot to mark `@sensitive`. */
export const MetaAccessToken = secret(SecretString.pipe(length(undefined, 1000))).annotations({
  identifier: "MetaAccessToken"
})

/**
 * Model `AssociateInProgressToken` (`@sensitive`, at most 50 code points). The service issues it in step 1,
 * so step 2 sends it back exactly as received (the length is not enforced on input).
 */
export const AssociateInProgressToken = secret(SecretString.pipe(length(undefined, 50, { serviceToken: true }))).annotations({
  identifier: "AssociateInProgressToken"
})

/** Model `TwoFactorPin` (`@sensitive`, 1–6 code points; Meta itself wants exactly six digits). */
export const TwoFactorPin = secret(SecretString.pipe(length(1, 6))).annotations({
  identifier: "TwoFactorPin"
})

// =============================================================================
// Step 1: signup callback
// =============================================================================

/** Model `WhatsAppSignupCallback`: the data Meta's embedded signup hands back. */
export const WhatsAppSignupCallback = Schema.Struct({
  accessToken: MetaAccessToken,
  callbackUrl: optional(Schema.String.pipe(length(undefined, 100)))
}).annotations({ identifier: "WhatsAppSignupCallback" })
export type WhatsAppSignupCallback = typeof WhatsAppSignupCallback.Type

/** Model `LinkedWhatsAppBusinessAccountIdMetaData`: a WABA whose setup is still incomplete. */
export const LinkedWhatsAppBusinessAccountIdMetaData = Schema.Struct({
  accountName: optional(Schema.String.pipe(length(undefined, 200))),
  registrationStatus: optional(RegistrationStatusOutput),
  unregisteredWhatsAppPhoneNumbers: optional(Schema.Array(WhatsAppPhoneNumberDetail)),
  // Unlike `wabaId` elsewhere, this is the AWS-side id/ARN.
  wabaId: optional(LinkedWhatsAppBusinessAccountId)
}).annotations({ identifier: "LinkedWhatsAppBusinessAccountIdMetaData" })
export type LinkedWhatsAppBusinessAccountIdMetaData = typeof LinkedWhatsAppBusinessAccountIdMetaData.Type

/** Model `LinkedAccountWithIncompleteSetup`: Meta's WABA id → its incomplete setup. */
export const LinkedAccountWithIncompleteSetup = Schema.Record({
  key: WhatsAppBusinessAccountId,
  value: LinkedWhatsAppBusinessAccountIdMetaData
}).annotations({ identifier: "LinkedAccountWithIncompleteSetup" })
export type LinkedAccountWithIncompleteSetup = typeof LinkedAccountWithIncompleteSetup.Type

/** Model `WhatsAppSignupCallbackResult`. */
export const WhatsAppSignupCallbackResult = Schema.Struct({
  associateInProgressToken: optional(AssociateInProgressToken),
  linkedAccountsWithIncompleteSetup: optional(LinkedAccountWithIncompleteSetup)
}).annotations({ identifier: "WhatsAppSignupCallbackResult" })
export type WhatsAppSignupCallbackResult = typeof WhatsAppSignupCallbackResult.Type

// =============================================================================
// Step 2: setup finalization
// =============================================================================

/** Model `WabaPhoneNumberSetupFinalization`: one phone number to register. */
export const WabaPhoneNumberSetupFinalization = Schema.Struct({
  id: WhatsAppPhoneNumber,
  twoFactorPin: TwoFactorPin,
  dataLocalizationRegion: optional(IsoCountryCode),
  tags: optional(TagList)
}).annotations({ identifier: "WabaPhoneNumberSetupFinalization" })
export type WabaPhoneNumberSetupFinalization = typeof WabaPhoneNumberSetupFinalization.Type

/** Model `WabaSetupFinalization`: the WABA to link. */
export const WabaSetupFinalization = Schema.Struct({
  id: optional(WhatsAppBusinessAccountId),
  eventDestinations: optional(WhatsAppBusinessAccountEventDestinations),
  tags: optional(TagList)
}).annotations({ identifier: "WabaSetupFinalization" })
export type WabaSetupFinalization = typeof WabaSetupFinalization.Type

const phoneNumbers = Schema.Array(WabaPhoneNumberSetupFinalization).annotations({
  identifier: "WabaPhoneNumberSetupFinalizationList"
})

/** Model `WhatsAppSetupFinalization`, as the model has it (`waba` and `phoneNumberParent` both optional). */
export const WhatsAppSetupFinalization = Schema.Struct({
  associateInProgressToken: AssociateInProgressToken,
  phoneNumbers,
  phoneNumberParent: optional(LinkedWhatsAppBusinessAccountId),
  waba: optional(WabaSetupFinalization)
}).annotations({ identifier: "WhatsAppSetupFinalization" })
export type WhatsAppSetupFinalization = typeof WhatsAppSetupFinalization.Type

// =============================================================================
// The operation
// =============================================================================

/** Model `AssociateWhatsAppBusinessAccountInput`: both members optional, as the model has it. */
export const AssociateWhatsAppBusinessAccountInput = Schema.Struct({
  signupCallback: optional(WhatsAppSignupCallback),
  setupFinalization: optional(WhatsAppSetupFinalization)
}).annotations({ identifier: "AssociateWhatsAppBusinessAccountInput" })
export type AssociateWhatsAppBusinessAccountInput = typeof AssociateWhatsAppBusinessAccountInput.Type

/** Model `AssociateWhatsAppBusinessAccountOutput` (with botocore's newer `linkedWhatsAppBusinessAccountId`). */
export const AssociateWhatsAppBusinessAccountOutput = Schema.Struct({
  signupCallbackResult: optional(WhatsAppSignupCallbackResult),
  statusCode: optional(Schema.Int),
  linkedWhatsAppBusinessAccountId: optional(LinkedWhatsAppBusinessAccountId)
}).annotations({ identifier: "AssociateWhatsAppBusinessAccountOutput" })
export type AssociateWhatsAppBusinessAccountOutput = typeof AssociateWhatsAppBusinessAccountOutput.Type

// -----------------------------------------------------------------------------
// The two steps as their own types: the API docs make them (and `waba` vs `phoneNumberParent`)
// mutually exclusive, which the model does not encode. The wire form is the model's.
// -----------------------------------------------------------------------------

/** Step 1: `{ signupCallback }` alone. */
export const SignupCallbackRequest = Schema.Struct({
  signupCallback: WhatsAppSignupCallback,
  setupFinalization: optional(Schema.Never)
}).annotations({ identifier: "SignupCallbackRequest" })
export type SignupCallbackRequest = typeof SignupCallbackRequest.Type

/** Step 2, linking a new WABA (`waba`, never with `phoneNumberParent`). */
export const SetupFinalizationWithWaba = Schema.Struct({
  associateInProgressToken: AssociateInProgressToken,
  phoneNumbers,
  phoneNumberParent: optional(Schema.Never),
  waba: optional(WabaSetupFinalization)
}).annotations({ identifier: "SetupFinalizationWithWaba" })

/** Step 2, adding numbers to an already linked WABA (`phoneNumberParent`, never with `waba`). */
export const SetupFinalizationWithParent = Schema.Struct({
  associateInProgressToken: AssociateInProgressToken,
  phoneNumbers,
  phoneNumberParent: LinkedWhatsAppBusinessAccountId,
  waba: optional(Schema.Never)
}).annotations({ identifier: "SetupFinalizationWithParent" })

/** Step 2: `{ setupFinalization }` alone. */
export const SetupFinalizationRequest = Schema.Struct({
  signupCallback: optional(Schema.Never),
  setupFinalization: Schema.Union(SetupFinalizationWithWaba, SetupFinalizationWithParent)
}).annotations({ identifier: "SetupFinalizationRequest" })
export type SetupFinalizationRequest = typeof SetupFinalizationRequest.Type

/** Exactly one step, and in step 2 not both `waba` and `phoneNumberParent`. */
const isOneStep = (
  input: AssociateWhatsAppBusinessAccountInput
): input is SignupCallbackRequest | SetupFinalizationRequest =>
  input.signupCallback !== undefined
    ? input.setupFinalization === undefined
    : input.setupFinalization !== undefined &&
      (input.setupFinalization.waba === undefined || input.setupFinalization.phoneNumberParent === undefined)

/**
 * What the service accepts for AssociateWhatsAppBusinessAccount: the model's input, refined to exactly
 * one step (the API docs' rule), so its type is `SignupCallbackRequest | SetupFinalizationRequest`.
 */
export const AssociateWhatsAppBusinessAccountRequest = AssociateWhatsAppBusinessAccountInput.pipe(
  Schema.filter(isOneStep, {
    message: () =>
      "send exactly one of signupCallback (step 1) and setupFinalization (step 2); " +
      "in setupFinalization, waba and phoneNumberParent are mutually exclusive"
  })
).annotations({ identifier: "AssociateWhatsAppBusinessAccountRequest" })
export type AssociateWhatsAppBusinessAccountRequest = typeof AssociateWhatsAppBusinessAccountRequest.Type

/**
 * The JSON member names that carry secrets on the wire: the model's `@sensitive` members of this domain
 * (`associateInProgressToken`, `twoFactorPin`) plus Meta's `accessToken`. Whatever prints wire JSON (the
 * CLI's `--debug`, the sandbox's messages, error excerpts) redacts these.
 */
export const secretMembers: ReadonlySet<string> = new Set(["accessToken", "associateInProgressToken", "twoFactorPin"])

/** Replaces the value of every secret member, at any depth, with `"<redacted>"` (for printing wire JSON). */
export const redactSecretMembers = (json: unknown): unknown =>
  Array.isArray(json)
    ? json.map(redactSecretMembers)
    : typeof json === "object" && json !== null
    ? Object.fromEntries(
      Object.entries(json).map(([key, value]) => [key, secretMembers.has(key) ? "<redacted>" : redactSecretMembers(value)])
    )
    : json
