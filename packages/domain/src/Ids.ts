/**
 * Branded identifiers and ARNs of the association domain, with the model's constraints.
 *
 * Lengths count Unicode code points; patterns are the model's ECMA-262 expressions copied exactly
 * (unanchored, so `(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$)` accepts an id or an ARN).
 */
import * as Schema from "effect/Schema"
import { length, pattern } from "./internal/constraints.js"

/** AWS id of a linked WABA (`waba-…`) or its ARN: model `LinkedWhatsAppBusinessAccountId`. */
export const LinkedWhatsAppBusinessAccountId = Schema.String.pipe(
  length(1, 115),
  pattern("(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$)"),
  Schema.brand("LinkedWhatsAppBusinessAccountId")
).annotations({ identifier: "LinkedWhatsAppBusinessAccountId" })
export type LinkedWhatsAppBusinessAccountId = typeof LinkedWhatsAppBusinessAccountId.Type

/** ARN of a linked WABA (`arn:aws:social-messaging:<region>:<account>:waba/<id>`). */
export const LinkedWhatsAppBusinessAccountArn = Schema.String.pipe(
  length(undefined, 2048),
  pattern("^arn:.*:waba/[0-9a-zA-Z]+$"),
  Schema.brand("LinkedWhatsAppBusinessAccountArn")
).annotations({ identifier: "LinkedWhatsAppBusinessAccountArn" })
export type LinkedWhatsAppBusinessAccountArn = typeof LinkedWhatsAppBusinessAccountArn.Type

/** Meta's WABA id: model `WhatsAppBusinessAccountId` (no pattern). */
export const WhatsAppBusinessAccountId = Schema.String.pipe(length(1, 100)).annotations({
  // Generated as Meta issues them (digits). Any string is valid, but as a record key (the step-1 answer is
  // keyed by it) `__proto__` cannot survive a plain object, in Schema's decoding as anywhere else.
  arbitrary: () => (fc) => fc.stringMatching(/^[1-9][0-9]{0,19}$/)
}).pipe(
  Schema.brand("WhatsAppBusinessAccountId"),
  Schema.annotations({ identifier: "WhatsAppBusinessAccountId" })
)
export type WhatsAppBusinessAccountId = typeof WhatsAppBusinessAccountId.Type

/** AWS id of a phone number (`phone-number-id-…`) or its ARN: model `WhatsAppPhoneNumberId`. */
export const WhatsAppPhoneNumberId = Schema.String.pipe(
  length(1, 115),
  pattern("(^phone-number-id-.*$)|(^arn:.*:phone-number-id/[0-9a-zA-Z]+$)"),
  Schema.brand("WhatsAppPhoneNumberId")
).annotations({ identifier: "WhatsAppPhoneNumberId" })
export type WhatsAppPhoneNumberId = typeof WhatsAppPhoneNumberId.Type

/** ARN of a linked phone number: model `LinkedWhatsAppPhoneNumberArn`. */
export const LinkedWhatsAppPhoneNumberArn = Schema.String.pipe(
  length(undefined, 2048),
  pattern("^arn:.*:phone-number-id/[0-9a-zA-Z]+$"),
  Schema.brand("LinkedWhatsAppPhoneNumberArn")
).annotations({ identifier: "LinkedWhatsAppPhoneNumberArn" })
export type LinkedWhatsAppPhoneNumberArn = typeof LinkedWhatsAppPhoneNumberArn.Type

/** Meta's phone number id: model `WhatsAppPhoneNumber` (also the `id` of a number in setup finalization). */
export const WhatsAppPhoneNumber = Schema.String.pipe(
  length(1, 100),
  Schema.brand("WhatsAppPhoneNumber")
).annotations({ identifier: "WhatsAppPhoneNumber" })
export type WhatsAppPhoneNumber = typeof WhatsAppPhoneNumber.Type

/** Any resource ARN (tagging): model `Arn`. */
export const Arn = Schema.String.pipe(
  length(undefined, 2048),
  pattern("^arn:.*$"),
  Schema.brand("Arn")
).annotations({ identifier: "Arn" })
export type Arn = typeof Arn.Type

/** ARN of an event destination (SNS topic, Connect instance...): model `EventDestinationArn`. */
export const EventDestinationArn = Schema.String.pipe(
  length(undefined, 2048),
  pattern("^arn:.*:[a-z-]+([/:](.*))?$"),
  Schema.brand("EventDestinationArn")
).annotations({ identifier: "EventDestinationArn" })
export type EventDestinationArn = typeof EventDestinationArn.Type

/** ARN of an IAM role: model `RoleArn`. */
export const RoleArn = Schema.String.pipe(
  pattern("^arn:.*:iam::\\d{12}:role\\/[a-zA-Z0-9+=,.@\\-_]+$"),
  Schema.brand("RoleArn")
).annotations({ identifier: "RoleArn" })
export type RoleArn = typeof RoleArn.Type

/**
 * Meta Conversions API dataset id: 10–20 digits. botocore 2026-08 gives `[0-9]+`, its rendering of an
 * anchored Smithy pattern (it strips `^`/`$` and would have wrapped an unanchored one in `.*…*`).
 */
export const WhatsAppDatasetId = Schema.String.pipe(
  length(10, 20),
  pattern("^[0-9]+$")
).annotations({ arbitrary: () => (fc) => fc.stringMatching(/^[0-9]{10,20}$/) }).pipe(
  Schema.brand("WhatsAppDatasetId"),
  Schema.annotations({ identifier: "WhatsAppDatasetId" })
)
export type WhatsAppDatasetId = typeof WhatsAppDatasetId.Type
