/**
 * The operations of AWS End User Messaging Social as data: name, restJson1 binding, input and output schemas,
 * declared errors, `readonly`/`idempotent`, pagination. The table is generated from AWS's newest model
 * (`generated/Operations.ts`, by `npm run generate`); this module re-exports it and adds what every caller of
 * it does: validate inputs against the model, read answers leniently.
 *
 * The HTTP client, the sandbox and the CLI all read this one table.
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  type AwsErrorName,
  type AwsErrorOf,
  type ClientError,
  RequestValidationError,
  type Violation
} from "./Errors.js"
import * as Generated from "./generated/Operations.js"
import type { OperationEntry, OperationInfo as GeneratedInfo } from "./internal/operation.js"

export * from "./generated/Operations.js"

/** What every operation has apart from its schemas: its name, binding, declared errors and traits. */
export type OperationInfo = GeneratedInfo<Generated.OperationName, AwsErrorName>

/** An operation of the API: its binding, input and output schemas, and the AWS errors `K` it declares. */
export type Operation<I, IE, O, OE, K extends AwsErrorName = AwsErrorName> = OperationEntry<
  Generated.OperationName,
  I,
  IE,
  O,
  OE,
  K
>

/** Everything a call of operation `Op` can fail with: its declared AWS errors and the client's own. */
export type OperationError<Op> = Op extends Operation<infer _I, infer _IE, infer _O, infer _OE, infer K>
  ? AwsErrorOf<K> | ClientError
  : never

/** Whether the client may resend the operation after a failure that leaves its outcome unknown. */
export const isSafeToResend = (operation: { readonly readonly: boolean; readonly idempotent: boolean }): boolean =>
  operation.readonly || operation.idempotent

/** The nine operations of the association domain (link, inspect and manage WABAs), by AWS name. */
export const association = {
  AssociateWhatsAppBusinessAccount: Generated.AssociateWhatsAppBusinessAccount,
  DisassociateWhatsAppBusinessAccount: Generated.DisassociateWhatsAppBusinessAccount,
  GetLinkedWhatsAppBusinessAccount: Generated.GetLinkedWhatsAppBusinessAccount,
  ListLinkedWhatsAppBusinessAccounts: Generated.ListLinkedWhatsAppBusinessAccounts,
  GetLinkedWhatsAppBusinessAccountPhoneNumber: Generated.GetLinkedWhatsAppBusinessAccountPhoneNumber,
  PutWhatsAppBusinessAccountEventDestinations: Generated.PutWhatsAppBusinessAccountEventDestinations,
  TagResource: Generated.TagResource,
  UntagResource: Generated.UntagResource,
  ListTagsForResource: Generated.ListTagsForResource
} as const

// =============================================================================
// Validation
// =============================================================================

/** Options for validating inputs: every violation, and unknown members are errors (as the AWS CLI does). */
export const validationOptions = { errors: "all", onExcessProperty: "error" } as const

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
    ""
  )

/** Flattens a parse error into one violation per offending member. */
export const violations = (error: ParseResult.ParseError): ReadonlyArray<Violation> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message
  }))

/** Maps a parse error of an operation's input into the typed validation error. */
export const toValidationError = (operation: Generated.OperationName) => (error: ParseResult.ParseError) =>
  new RequestValidationError({ operation, violations: violations(error) })

/**
 * Checks a typed input against the model and encodes it to its wire form (secrets revealed, as the
 * wire needs them): the client's first step, before anything is sent.
 */
export const encodeInput = <I, IE, O, OE, K extends AwsErrorName>(operation: Operation<I, IE, O, OE, K>, input: I) =>
  Schema.encode(operation.wireInput, validationOptions)(input).pipe(
    Effect.mapError(toValidationError(operation.name))
  )

/** Decodes untyped input in wire form (e.g. `--cli-input-json`, or a request a server received). */
export const decodeInput = <I, IE, O, OE, K extends AwsErrorName>(
  operation: Operation<I, IE, O, OE, K>,
  input: unknown
) =>
  Schema.decodeUnknown(operation.wireInput, validationOptions)(input).pipe(
    Effect.mapError(toValidationError(operation.name))
  )

// =============================================================================
// Outputs
// =============================================================================

/**
 * The operation's output schema without the model's constraint traits (lengths, patterns, list sizes):
 * what a client decodes answers with. Smithy says clients should not enforce constraints on output, and a
 * value AWS sends one character longer than its model says must not cost a caller an answer (for step 1 of
 * AssociateWhatsAppBusinessAccount, the one-time in-progress token). Types, required members, enums
 * (with their fallback), brands and `linkDate` stay. Built once per operation, on first use.
 */
export const outputSchema = <I, IE, O, OE, K extends AwsErrorName>(
  operation: Operation<I, IE, O, OE, K>
): Schema.Schema<O, OE> => operation.lenientOutput
