/**
 * Linked WhatsApp Business Accounts and their phone numbers: the shapes and the operations
 * GetLinkedWhatsAppBusinessAccount, ListLinkedWhatsAppBusinessAccounts,
 * GetLinkedWhatsAppBusinessAccountPhoneNumber, DisassociateWhatsAppBusinessAccount and
 * PutWhatsAppBusinessAccountEventDestinations.
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  EventDestinationArn,
  LinkedWhatsAppBusinessAccountArn,
  LinkedWhatsAppBusinessAccountId,
  LinkedWhatsAppPhoneNumberArn,
  RoleArn,
  WhatsAppBusinessAccountId,
  WhatsAppDatasetId,
  WhatsAppPhoneNumber,
  WhatsAppPhoneNumberId
} from "./Ids.js"
import { items, length, optional, pattern } from "./internal/constraints.js"

// =============================================================================
// Simple shapes
// =============================================================================

/** The values of model enum `RegistrationStatus`. */
export const RegistrationStatusValues = ["COMPLETE", "INCOMPLETE"] as const

/** Model enum `RegistrationStatus`, as it must be on input. */
export const RegistrationStatus = Schema.Literal(...RegistrationStatusValues).annotations({
  identifier: "RegistrationStatus"
})
export type RegistrationStatus = typeof RegistrationStatus.Type

/**
 * `RegistrationStatus` as read from AWS: a value AWS adds later decodes as `UnknownRegistrationStatus`
 * (a branded string) instead of failing the whole answer.
 */
export const RegistrationStatusOutput = Schema.Union(
  RegistrationStatus,
  Schema.String.pipe(Schema.brand("UnknownRegistrationStatus"))
).annotations({ identifier: "RegistrationStatusOutput" })
export type RegistrationStatusOutput = typeof RegistrationStatusOutput.Type

/** Two-letter ISO country code: model `IsoCountryCode` (`^[A-Z]{2}$`). */
export const IsoCountryCode = Schema.String.pipe(pattern("^[A-Z]{2}$")).annotations({ identifier: "IsoCountryCode" })
export type IsoCountryCode = typeof IsoCountryCode.Type

/**
 * Model `WhatsAppBusinessAccountLinkDate`: a timestamp sent as epoch seconds (a JSON number, maybe
 * fractional), a `DateTime.Utc` in the type.
 */
export const WhatsAppBusinessAccountLinkDate = Schema.transformOrFail(
  Schema.Number.pipe(Schema.finite()),
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (seconds, _, ast) =>
      ParseResult.fromOption(
        DateTime.make(Math.round(seconds * 1000)),
        () => new ParseResult.Type(ast, seconds, "expected epoch seconds")
      ),
    encode: (date) => ParseResult.succeed(DateTime.toEpochMillis(date) / 1000)
  }
).annotations({
  identifier: "WhatsAppBusinessAccountLinkDate",
  // Epoch seconds in a JSON double keep milliseconds exactly only while |seconds| < ~2^41 (year ~71,000),
  // so generated dates stay within years 1..9999 (AWS sends dates near now).
  arbitrary: () => (fc) => fc.integer({ min: -62135596800000, max: 253402300799999 }).map(DateTime.unsafeMake)
})

// =============================================================================
// Event destinations
// =============================================================================

/** Model `WhatsAppBusinessAccountEventDestination`. */
export const WhatsAppBusinessAccountEventDestination = Schema.Struct({
  eventDestinationArn: EventDestinationArn,
  roleArn: optional(RoleArn)
}).annotations({ identifier: "WhatsAppBusinessAccountEventDestination" })
export type WhatsAppBusinessAccountEventDestination = typeof WhatsAppBusinessAccountEventDestination.Type

/** Model `WhatsAppBusinessAccountEventDestinations`: at most one destination. */
export const WhatsAppBusinessAccountEventDestinations = Schema.Array(WhatsAppBusinessAccountEventDestination).pipe(
  items(undefined, 1)
).annotations({ identifier: "WhatsAppBusinessAccountEventDestinations" })
export type WhatsAppBusinessAccountEventDestinations = typeof WhatsAppBusinessAccountEventDestinations.Type

// =============================================================================
// Phone numbers
// =============================================================================

const phoneNumberFields = {
  arn: LinkedWhatsAppPhoneNumberArn,
  phoneNumber: Schema.String.pipe(length(1, 20)),
  phoneNumberId: WhatsAppPhoneNumberId,
  metaPhoneNumberId: WhatsAppPhoneNumber,
  displayPhoneNumberName: Schema.String.pipe(length(undefined, 200)),
  displayPhoneNumber: Schema.String.pipe(length(undefined, 20)),
  qualityRating: Schema.String.pipe(length(undefined, 10)),
  dataLocalizationRegion: optional(IsoCountryCode)
}

/** Model `WhatsAppPhoneNumberDetail`. */
export const WhatsAppPhoneNumberDetail = Schema.Struct(phoneNumberFields).annotations({
  identifier: "WhatsAppPhoneNumberDetail"
})
export type WhatsAppPhoneNumberDetail = typeof WhatsAppPhoneNumberDetail.Type

/** Model `WhatsAppPhoneNumberSummary` (the same members as the detail). */
export const WhatsAppPhoneNumberSummary = Schema.Struct(phoneNumberFields).annotations({
  identifier: "WhatsAppPhoneNumberSummary"
})
export type WhatsAppPhoneNumberSummary = typeof WhatsAppPhoneNumberSummary.Type

// =============================================================================
// Linked accounts
// =============================================================================

const accountFields = {
  arn: LinkedWhatsAppBusinessAccountArn,
  id: LinkedWhatsAppBusinessAccountId,
  wabaId: WhatsAppBusinessAccountId,
  registrationStatus: RegistrationStatusOutput,
  linkDate: WhatsAppBusinessAccountLinkDate,
  wabaName: Schema.String.pipe(length(undefined, 200)),
  eventDestinations: WhatsAppBusinessAccountEventDestinations,
  marketingMessagesOnboardingStatus: optional(Schema.String.pipe(length(0, 100))),
  datasetId: optional(WhatsAppDatasetId)
}

/** Model `LinkedWhatsAppBusinessAccount` (with botocore's newer `marketingMessagesOnboardingStatus`, `datasetId`). */
export const LinkedWhatsAppBusinessAccount = Schema.Struct({
  ...accountFields,
  phoneNumbers: Schema.Array(WhatsAppPhoneNumberSummary)
}).annotations({ identifier: "LinkedWhatsAppBusinessAccount" })
export type LinkedWhatsAppBusinessAccount = typeof LinkedWhatsAppBusinessAccount.Type

/** Model `LinkedWhatsAppBusinessAccountSummary`: the account without its phone numbers. */
export const LinkedWhatsAppBusinessAccountSummary = Schema.Struct(accountFields).annotations({
  identifier: "LinkedWhatsAppBusinessAccountSummary"
})
export type LinkedWhatsAppBusinessAccountSummary = typeof LinkedWhatsAppBusinessAccountSummary.Type

// =============================================================================
// Operations
// =============================================================================

/** Input of GetLinkedWhatsAppBusinessAccount (`GET /v1/whatsapp/waba/details?id=…`). */
export const GetLinkedWhatsAppBusinessAccountInput = Schema.Struct({
  id: LinkedWhatsAppBusinessAccountId
}).annotations({ identifier: "GetLinkedWhatsAppBusinessAccountInput" })
export type GetLinkedWhatsAppBusinessAccountInput = typeof GetLinkedWhatsAppBusinessAccountInput.Type

/** Output of GetLinkedWhatsAppBusinessAccount. */
export const GetLinkedWhatsAppBusinessAccountOutput = Schema.Struct({
  account: optional(LinkedWhatsAppBusinessAccount)
}).annotations({ identifier: "GetLinkedWhatsAppBusinessAccountOutput" })
export type GetLinkedWhatsAppBusinessAccountOutput = typeof GetLinkedWhatsAppBusinessAccountOutput.Type

/**
 * Model `NextToken`: an opaque pagination token, 1–600 code points. The service issues it, so inputs send it
 * back as received (the length is not enforced on input; see `ServiceTokenConstraintId`).
 */
export const NextToken = Schema.String.pipe(length(1, 600, { serviceToken: true })).annotations({ identifier: "NextToken" })

/** Model `MaxResults`: 1–100. */
export const MaxResults = Schema.Int.pipe(Schema.between(1, 100)).annotations({ identifier: "MaxResults" })

/** Input of ListLinkedWhatsAppBusinessAccounts (`GET /v1/whatsapp/waba/list?nextToken=…&maxResults=…`). */
export const ListLinkedWhatsAppBusinessAccountsInput = Schema.Struct({
  nextToken: optional(NextToken),
  maxResults: optional(MaxResults)
}).annotations({ identifier: "ListLinkedWhatsAppBusinessAccountsInput" })
export type ListLinkedWhatsAppBusinessAccountsInput = typeof ListLinkedWhatsAppBusinessAccountsInput.Type

/** Output of ListLinkedWhatsAppBusinessAccounts. */
export const ListLinkedWhatsAppBusinessAccountsOutput = Schema.Struct({
  linkedAccounts: optional(Schema.Array(LinkedWhatsAppBusinessAccountSummary)),
  nextToken: optional(NextToken)
}).annotations({ identifier: "ListLinkedWhatsAppBusinessAccountsOutput" })
export type ListLinkedWhatsAppBusinessAccountsOutput = typeof ListLinkedWhatsAppBusinessAccountsOutput.Type

/** Input of GetLinkedWhatsAppBusinessAccountPhoneNumber (`GET /v1/whatsapp/waba/phone/details?id=…`). */
export const GetLinkedWhatsAppBusinessAccountPhoneNumberInput = Schema.Struct({
  id: WhatsAppPhoneNumberId
}).annotations({ identifier: "GetLinkedWhatsAppBusinessAccountPhoneNumberInput" })
export type GetLinkedWhatsAppBusinessAccountPhoneNumberInput =
  typeof GetLinkedWhatsAppBusinessAccountPhoneNumberInput.Type

/** Output of GetLinkedWhatsAppBusinessAccountPhoneNumber. */
export const GetLinkedWhatsAppBusinessAccountPhoneNumberOutput = Schema.Struct({
  phoneNumber: optional(WhatsAppPhoneNumberDetail),
  linkedWhatsAppBusinessAccountId: optional(LinkedWhatsAppBusinessAccountId)
}).annotations({ identifier: "GetLinkedWhatsAppBusinessAccountPhoneNumberOutput" })
export type GetLinkedWhatsAppBusinessAccountPhoneNumberOutput =
  typeof GetLinkedWhatsAppBusinessAccountPhoneNumberOutput.Type

/** Input of DisassociateWhatsAppBusinessAccount (`DELETE /v1/whatsapp/waba/disassociate?id=…`). */
export const DisassociateWhatsAppBusinessAccountInput = Schema.Struct({
  id: LinkedWhatsAppBusinessAccountId
}).annotations({ identifier: "DisassociateWhatsAppBusinessAccountInput" })
export type DisassociateWhatsAppBusinessAccountInput = typeof DisassociateWhatsAppBusinessAccountInput.Type

/** Output of DisassociateWhatsAppBusinessAccount: no members. */
export const DisassociateWhatsAppBusinessAccountOutput = Schema.Struct({}).annotations({
  identifier: "DisassociateWhatsAppBusinessAccountOutput"
})
export type DisassociateWhatsAppBusinessAccountOutput = typeof DisassociateWhatsAppBusinessAccountOutput.Type

/** Input of PutWhatsAppBusinessAccountEventDestinations (`PUT /v1/whatsapp/waba/eventdestinations`, JSON body). */
export const PutWhatsAppBusinessAccountEventDestinationsInput = Schema.Struct({
  id: LinkedWhatsAppBusinessAccountId,
  eventDestinations: WhatsAppBusinessAccountEventDestinations
}).annotations({ identifier: "PutWhatsAppBusinessAccountEventDestinationsInput" })
export type PutWhatsAppBusinessAccountEventDestinationsInput =
  typeof PutWhatsAppBusinessAccountEventDestinationsInput.Type

/** Output of PutWhatsAppBusinessAccountEventDestinations: no members. */
export const PutWhatsAppBusinessAccountEventDestinationsOutput = Schema.Struct({}).annotations({
  identifier: "PutWhatsAppBusinessAccountEventDestinationsOutput"
})
export type PutWhatsAppBusinessAccountEventDestinationsOutput =
  typeof PutWhatsAppBusinessAccountEventDestinationsOutput.Type
