/**
 * AssociateWhatsAppBusinessAccount (`POST /v1/whatsapp/signup`): the two-step link of a WhatsApp
 * Business Account. Step 1 (`signupCallback`) trades Meta's embedded-signup access token for an
 * `associateInProgressToken`; step 2 (`setupFinalization`) registers phone numbers and links the WABA.
 *
 * Secrets are `Redacted`: Meta's access token, the in-progress token and the two-factor PINs.
 */
import * as Schema from "effect/Schema"
import {
  AssociateInProgressToken,
  AssociateWhatsAppBusinessAccountInput,
  LinkedWhatsAppBusinessAccountId,
  WabaPhoneNumberSetupFinalizationList,
  WabaSetupFinalization,
  WhatsAppSignupCallback,
  WhatsAppSignupCallbackAccessTokenString
} from "./generated/Shapes.js"
import { optional } from "./internal/constraints.js"

/**
 * The model's shapes of the operation, generated from AWS's model (`generated/Shapes.ts`): Meta's access token
 * (`WhatsAppSignupCallbackAccessTokenString`, kept secret by the generator's overrides), the in-progress token
 * and the PINs are `Redacted`.
 */
export {
  AssociateInProgressToken,
  AssociateWhatsAppBusinessAccountInput,
  AssociateWhatsAppBusinessAccountOutput,
  LinkedAccountWithIncompleteSetup,
  LinkedWhatsAppBusinessAccountIdMetaData,
  TwoFactorPin,
  WabaPhoneNumberSetupFinalization,
  WabaPhoneNumberSetupFinalizationList,
  WabaSetupFinalization,
  WhatsAppSetupFinalization,
  WhatsAppSignupCallback,
  WhatsAppSignupCallbackResult
} from "./generated/Shapes.js"

/** Meta's embedded-signup access token: a bearer credential the model forgot to mark `@sensitive`. */
export const MetaAccessToken = WhatsAppSignupCallbackAccessTokenString

const phoneNumbers = WabaPhoneNumberSetupFinalizationList

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
      Object.entries(json).map((
        [key, value]
      ) => [key, secretMembers.has(key) ? "<redacted>" : redactSecretMembers(value)])
    )
    : json
