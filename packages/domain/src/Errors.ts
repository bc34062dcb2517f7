/**
 * The tagged error union of AWS End User Messaging Social, and the client's own failures.
 *
 * AWS-defined errors keep the AWS exception name as `_tag`, so `Effect.catchTag` reads like the API
 * reference. Every error carries its classification (HTTP status, fault, retryable, throttling) as data.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type * as Errors from "@social-messaging/domain/Errors"
 *
 * const recover = <A>(self: Effect.Effect<A, Errors.SocialMessagingError>) =>
 *   self.pipe(Effect.catchTag("ResourceNotFoundException", () => Effect.succeed(undefined)))
 * ```
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as GeneratedErrors from "./generated/Errors.js"
import type * as GeneratedOperations from "./generated/Operations.js"

// =============================================================================
// Classification
// =============================================================================

/** Who is at fault for an error, as smithy's `@error` trait says. */
export type Fault = "client" | "server"

/** How an error is to be treated: data, so retry policies and the CLI read it instead of re-deriving it. */
export interface Classification {
  /** HTTP status AWS answers with, when the error came from (or stands for) an HTTP response. */
  readonly httpStatus: number | undefined
  readonly fault: Fault
  /** Worth trying again: smithy's `@retryable`, or a transient transport/server condition. */
  readonly retryable: boolean
  /** A rate limit: retry with the slower throttling back-off. */
  readonly throttling: boolean
}

const classification = (
  httpStatus: number | undefined,
  fault: Fault,
  retryable: boolean,
  throttling = false
): Classification => ({ httpStatus, fault, retryable, throttling })

/** Statuses that mean "the server or a proxy failed; the same request may succeed later". */
export const transientStatuses: ReadonlySet<number> = new Set([500, 502, 503, 504])

/** Classifies an HTTP status alone (used where no AWS error type is known). */
export const classifyStatus = (status: number): Classification =>
  status === 429
    ? classification(status, "client", true, true)
    : classification(status, status >= 500 ? "server" : "client", transientStatuses.has(status))

// =============================================================================
// Errors defined by AWS (the model's error shapes)
// =============================================================================

/**
 * The AWS errors: one `Schema.TaggedError` class per error shape of the model, tagged with the AWS exception
 * name and carrying `message` and `requestId`, generated (`generated/Errors.ts`).
 */
export {
  AccessDeniedByMetaException,
  AccessDeniedException,
  ConflictException,
  DependencyException,
  InternalServiceException,
  InvalidParametersException,
  LimitExceededException,
  ResourceNotFoundException,
  ThrottledRequestException,
  ValidationException
} from "./generated/Errors.js"

/**
 * The model's classification of each AWS error (`@httpError`, `@error`, `@retryable`), generated from the model
 * with the overrides' decisions: `LimitExceededException` (a quota of 25 WABAs per region, not a rate) is never
 * retried, and `ThrottledRequestException` (marked `@retryable` without `throttling`) is a rate limit.
 */
export const awsErrorClassifications: { readonly [K in GeneratedErrors.ErrorName]: Classification } =
  GeneratedErrors.errorShapes

/** The AWS exception names of this service. */
export type AwsErrorName = GeneratedErrors.ErrorName

/** Any AWS-defined error of this service. */
export type AwsError = GeneratedErrors.AwsError

/** The AWS error class of exception name `K`. */
export type AwsErrorOf<K extends AwsErrorName> = Extract<AwsError, { readonly _tag: K }>

/** Builds the AWS error named `K` (one typed constructor per name). */
export const makeAwsError = GeneratedErrors.makeAwsError

/**
 * The error named `name` if it is one of `declared` (an operation's error list), else `undefined`: an
 * error AWS sends that the operation does not declare stays an `UnknownServiceError`, so each
 * operation's error type is honest.
 */
/** Whether `error` is one of `declared` (an operation's error list): narrows it to that operation's errors. */
export const isDeclaredAwsError = <K extends AwsErrorName>(
  declared: ReadonlyArray<K>,
  error: AwsError
): error is AwsErrorOf<K> => declared.some((name) => name === error._tag)

export const declaredAwsError = <K extends AwsErrorName>(
  declared: ReadonlyArray<K>,
  name: string,
  fields: { readonly message?: string; readonly requestId?: string }
): AwsErrorOf<K> | undefined => {
  for (const k of declared) {
    if (k === name) return makeAwsError[k](fields)
  }
  return undefined
}

// =============================================================================
// The client's own errors
// =============================================================================

/** One constraint an input broke, with the path of the offending member (e.g. `setupFinalization.phoneNumbers[0].twoFactorPin`). */
export const Violation = Schema.Struct({
  path: Schema.String,
  message: Schema.String
}).annotations({ identifier: "Violation" })
export type Violation = typeof Violation.Type

/** The input broke the model's constraints; nothing was sent. Lists every violation. */
export class RequestValidationError extends Schema.TaggedError<RequestValidationError>()("RequestValidationError", {
  operation: Schema.String,
  violations: Schema.Array(Violation)
}) {
  override get message(): string {
    return `${this.operation}: invalid input: ${
      this.violations.map((v) => `${v.path || "(input)"}: ${v.message}`).join("; ")
    }`
  }
  get classification(): Classification {
    return classification(undefined, "client", false)
  }
}

/**
 * Why no response arrived. `ConnectionRefused`, `DnsFailure`, `HostUnreachable` and `ConnectTimeout` happen
 * before a byte of the request is written (nothing reached AWS); the others may happen after. TLS failures
 * and unknown ones are not transient; the rest are.
 */
export const TransportFailure = Schema.Literal(
  "ConnectionReset",
  "ConnectionRefused",
  "SocketTimeout",
  "ConnectTimeout",
  "DnsFailure",
  "HostUnreachable",
  "TlsFailure",
  "BodyReadFailed",
  "Unknown"
)
export type TransportFailure = typeof TransportFailure.Type

const transientTransportFailures: ReadonlySet<TransportFailure> = new Set([
  "ConnectionReset",
  "ConnectionRefused",
  "SocketTimeout",
  "ConnectTimeout",
  "DnsFailure",
  "HostUnreachable",
  "BodyReadFailed"
])

/** Transport failures that prove the request was never written: resending it cannot repeat an action. */
export const notSentTransportFailures: ReadonlySet<TransportFailure> = new Set([
  "ConnectionRefused",
  "ConnectTimeout",
  "DnsFailure",
  "HostUnreachable"
])

/** No (complete) response arrived: DNS, TLS, socket, connection reset. */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  operation: Schema.String,
  reason: TransportFailure,
  detail: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `${this.operation}: transport failed (${this.reason}${this.detail === undefined ? "" : `: ${this.detail}`})`
  }
  get classification(): Classification {
    return classification(undefined, "client", transientTransportFailures.has(this.reason))
  }
}

/** The answer could not be read: an HTML page from a proxy, an empty or truncated body, a body off the model. */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>()("MalformedResponse", {
  operation: Schema.String,
  status: Schema.Number,
  requestId: Schema.optional(Schema.String),
  bodyExcerpt: Schema.String,
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `${this.operation}: malformed response (HTTP ${this.status}${
      this.detail === undefined ? "" : `: ${this.detail}`
    })`
  }
  get classification(): Classification {
    // A 2xx we cannot read will not read better next time; a proxy's 5xx page is transient.
    return classifyStatus(this.status)
  }
}

/** AWS answered with an error type this client does not know (or that the operation does not declare). */
export class UnknownServiceError extends Schema.TaggedError<UnknownServiceError>()("UnknownServiceError", {
  operation: Schema.String,
  errorType: Schema.String,
  status: Schema.Number,
  requestId: Schema.optional(Schema.String),
  awsMessage: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `${this.operation}: ${this.errorType} (HTTP ${this.status})${
      this.awsMessage === undefined ? "" : `: ${this.awsMessage}`
    }`
  }
  get classification(): Classification {
    return classifyStatus(this.status)
  }
}

/** One attempt took longer than the per-attempt time-out; a later attempt may succeed. */
export class AttemptTimeout extends Schema.TaggedError<AttemptTimeout>()("AttemptTimeout", {
  operation: Schema.String,
  timeoutMillis: Schema.Number
}) {
  override get message(): string {
    return `${this.operation}: attempt timed out after ${this.timeoutMillis} ms`
  }
  get classification(): Classification {
    return classification(undefined, "client", true)
  }
}

/** The call, retries included, ran past its overall deadline. */
export class DeadlineExceeded extends Schema.TaggedError<DeadlineExceeded>()("DeadlineExceeded", {
  operation: Schema.String,
  deadlineMillis: Schema.Number
}) {
  override get message(): string {
    return `${this.operation}: deadline of ${this.deadlineMillis} ms exceeded`
  }
  get classification(): Classification {
    return classification(undefined, "client", false)
  }
}

/** What made the outcome of a call unknown: the failure after the request may have reached AWS. */
export const UnknownOutcomeReason = Schema.Literal(
  "AttemptTimeout",
  "DeadlineExceeded",
  "ConnectionReset",
  "SocketTimeout",
  "BodyReadFailed",
  "Unknown"
)
export type UnknownOutcomeReason = typeof UnknownOutcomeReason.Type

/**
 * A call that is not idempotent failed after its request may have reached AWS (a time-out or a reset after
 * writing, an answer that broke off): AWS may have acted on it, so the client did not send it again, and
 * says how to find out what happened. Resending is the caller's decision (`RetryPolicy.resendUnsafe`).
 */
export class OutcomeUnknown extends Schema.TaggedError<OutcomeUnknown>()("OutcomeUnknown", {
  operation: Schema.String,
  reason: UnknownOutcomeReason,
  detail: Schema.optional(Schema.String),
  /** How to learn whether AWS acted (for step 1 of the association: list the linked accounts). */
  howToFindOut: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: outcome unknown: the request may have reached AWS and been acted on (${this.reason}${
      this.detail === undefined ? "" : `: ${this.detail}`
    }), so it was not sent again (${this.operation} is not idempotent). ${this.howToFindOut}`
  }
  get classification(): Classification {
    return classification(undefined, "client", false)
  }
}

/** No credentials could be had, or a provider failed. */
export class CredentialsError extends Schema.TaggedError<CredentialsError>()("CredentialsError", {
  provider: Schema.String,
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `credentials (${this.provider}): ${this.detail}`
  }
  get classification(): Classification {
    return classification(undefined, "client", false)
  }
}

/** The client is configured wrongly: no region, a bad endpoint URL, FIPS with a custom endpoint... */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>()("ConfigurationError", {
  setting: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `configuration (${this.setting}): ${this.detail}`
  }
  get classification(): Classification {
    return classification(undefined, "client", false)
  }
}

/** Errors the client raises itself on any call, whatever the operation. */
export type ClientError =
  | RequestValidationError
  | TransportError
  | OutcomeUnknown
  | MalformedResponse
  | UnknownServiceError
  | AttemptTimeout
  | DeadlineExceeded
  | CredentialsError

/** Every error a call of this library can fail with. */
export type SocialMessagingError = AwsError | ClientError | ConfigurationError

/** The tags of `SocialMessagingError`. */
export const errorTags: ReadonlySet<string> = new Set([
  ...Object.keys(awsErrorClassifications),
  "RequestValidationError",
  "TransportError",
  "OutcomeUnknown",
  "MalformedResponse",
  "UnknownServiceError",
  "AttemptTimeout",
  "DeadlineExceeded",
  "CredentialsError",
  "ConfigurationError"
])

/** A schema of the whole union: for printing errors as JSON (the CLI) and decoding them back. */
export const SocialMessagingError = Schema.Union(
  ...GeneratedErrors.errorClasses,
  RequestValidationError,
  TransportError,
  OutcomeUnknown,
  MalformedResponse,
  UnknownServiceError,
  AttemptTimeout,
  DeadlineExceeded,
  CredentialsError,
  ConfigurationError
)

// =============================================================================
// Per-operation unions: what the model lists, the service-wide errors, and the client's own
// =============================================================================

/** The AWS names of the operations. */
export type OperationName = GeneratedOperations.OperationName

/** The AWS errors operation `Name` declares (the model's list and the service-wide ones). */
export type DeclaredErrorName<Name extends OperationName> =
  (typeof GeneratedOperations.operations)[Name]["errors"][number]

/** Everything a call of operation `Name` can fail with: its declared AWS errors and the client's own. */
export type ErrorOf<Name extends OperationName> = AwsErrorOf<DeclaredErrorName<Name>> | ClientError

/** Errors of `AssociateWhatsAppBusinessAccount`. */
export type AssociateWhatsAppBusinessAccountError = ErrorOf<"AssociateWhatsAppBusinessAccount">
/** Errors of `DisassociateWhatsAppBusinessAccount`. */
export type DisassociateWhatsAppBusinessAccountError = ErrorOf<"DisassociateWhatsAppBusinessAccount">
/** Errors of `GetLinkedWhatsAppBusinessAccount`. */
export type GetLinkedWhatsAppBusinessAccountError = ErrorOf<"GetLinkedWhatsAppBusinessAccount">
/** Errors of `ListLinkedWhatsAppBusinessAccounts` (the model lists no DependencyException here). */
export type ListLinkedWhatsAppBusinessAccountsError = ErrorOf<"ListLinkedWhatsAppBusinessAccounts">
/** Errors of `GetLinkedWhatsAppBusinessAccountPhoneNumber`. */
export type GetLinkedWhatsAppBusinessAccountPhoneNumberError = ErrorOf<"GetLinkedWhatsAppBusinessAccountPhoneNumber">
/** Errors of `PutWhatsAppBusinessAccountEventDestinations`. */
export type PutWhatsAppBusinessAccountEventDestinationsError = ErrorOf<"PutWhatsAppBusinessAccountEventDestinations">
/** Errors of `TagResource`. */
export type TagResourceError = ErrorOf<"TagResource">
/** Errors of `UntagResource`. */
export type UntagResourceError = ErrorOf<"UntagResource">
/** Errors of `ListTagsForResource`. */
export type ListTagsForResourceError = ErrorOf<"ListTagsForResource">

// =============================================================================
// Predicates
// =============================================================================

/** True for any error of this library's union. */
export const isSocialMessagingError = (u: unknown): u is SocialMessagingError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && errorTags.has(u._tag)

/** The classification an error carries. */
export const classify = (error: SocialMessagingError): Classification => error.classification

/** Worth retrying (smithy `@retryable`, transient transport or 5xx). */
export const isRetryable = (error: SocialMessagingError): boolean => error.classification.retryable

/** A rate limit (429, ThrottledRequestException). */
export const isThrottling = (error: SocialMessagingError): boolean => error.classification.throttling
