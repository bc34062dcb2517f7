/**
 * The nine association operations as data: name, HTTP binding (from the model), input and output
 * schemas, declared errors. The HTTP client, the sandbox and the CLI all read this one table.
 *
 * Every input member of these operations is either a query parameter (GET/DELETE) or a top-level
 * JSON body member (POST/PUT): the model has no labels, headers or payload bindings here.
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  type AwsErrorName,
  type AwsErrorOf,
  type ClientError,
  operationErrors,
  type OperationName,
  RequestValidationError,
  type Violation
} from "./Errors.js"
import * as LinkedAccounts from "./LinkedAccounts.js"
import * as Tagging from "./Tagging.js"
import { withoutModelConstraints, withoutServiceTokenConstraints } from "./internal/constraints.js"
import { type Corrector, corrector } from "./internal/correction.js"
import * as WhatsAppSignup from "./WhatsAppSignup.js"

/** What every operation has apart from its schemas: its name and restJson1 binding. */
export interface OperationInfo {
  readonly name: OperationName
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly path: string
  /** Input members sent as query parameters, in model order (the query name equals the member name here). */
  readonly query: ReadonlyArray<string>
  /** AWS errors the operation may return (model list plus the service-wide ones). */
  readonly errors: ReadonlyArray<AwsErrorName>
  /** botocore's `readonly`: the call changes nothing, so it may always be resent. */
  readonly readonly: boolean
  /** botocore's `idempotent`: sending it twice has the effect of sending it once. */
  readonly idempotent: boolean
  /**
   * For a call that is neither: how a caller learns whether AWS acted on a request whose outcome is unknown
   * (the client never resends such a call on its own).
   */
  readonly howToFindOut: string
}

/** Whether the client may resend the operation after a failure that leaves its outcome unknown. */
export const isSafeToResend = (operation: OperationInfo): boolean => operation.readonly || operation.idempotent

/** An operation of the API: its binding, input and output schemas, and the AWS errors `K` it declares. */
export interface Operation<in out I, in out IE, in out O, in out OE, out K extends AwsErrorName = AwsErrorName>
  extends OperationInfo
{
  /** The input schema the client validates and encodes with. */
  readonly input: Schema.Schema<I, IE>
  readonly output: Schema.Schema<O, OE>
  /** `output` without the model's constraint traits: what answers are decoded with (see `outputSchema`). */
  readonly lenientOutput: Schema.Schema<O, OE>
  /** Client error correction of an answer's JSON, before `lenientOutput` decodes it (see `correctOutput`). */
  readonly correctOutput: Corrector
  /** `input` without the constraints of service-issued tokens: what inputs are validated with. */
  readonly wireInput: Schema.Schema<I, IE>
  readonly errors: ReadonlyArray<K>
}

/** Everything a call of operation `Op` can fail with: its declared AWS errors and the client's own. */
export type OperationError<Op> = Op extends Operation<infer _I, infer _IE, infer _O, infer _OE, infer K>
  ? AwsErrorOf<K> | ClientError
  : never

/** How an operation may be retried, from botocore's `readonly` and `idempotent` traits. */
type Safety = "readonly" | "idempotent" | { readonly notIdempotent: string }

const make = <const Name extends OperationName, I, IE, O, OE>(
  name: Name,
  method: OperationInfo["method"],
  path: string,
  query: ReadonlyArray<string>,
  input: Schema.Schema<I, IE>,
  output: Schema.Schema<O, OE>,
  safety: Safety
): Operation<I, IE, O, OE, (typeof operationErrors)[Name][number]> & { readonly name: Name } => {
  let lenient: Schema.Schema<O, OE> | undefined
  let correct: Corrector | undefined
  let wire: Schema.Schema<I, IE> | undefined
  return {
    name,
    method,
    path,
    query,
    input,
    output,
    // Lazily: no AST work at import (cold start), one schema (and so one cached parser) per operation.
    get lenientOutput() {
      return lenient ??= Schema.make<O, OE, never>(withoutModelConstraints(output.ast))
    },
    get correctOutput() {
      return correct ??= corrector(output.ast)
    },
    get wireInput() {
      return wire ??= Schema.make<I, IE, never>(withoutServiceTokenConstraints(input.ast))
    },
    errors: operationErrors[name],
    readonly: safety === "readonly",
    idempotent: safety === "idempotent",
    howToFindOut: typeof safety === "string"
      ? "The call is safe to repeat."
      : safety.notIdempotent
  }
}

/** AssociateWhatsAppBusinessAccount: `POST /v1/whatsapp/signup` (one of the two steps). */
export const AssociateWhatsAppBusinessAccount = make(
  "AssociateWhatsAppBusinessAccount",
  "POST",
  "/v1/whatsapp/signup",
  [],
  WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest,
  WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput,
  {
    notIdempotent: "To find out: list the linked accounts (ListLinkedWhatsAppBusinessAccounts) and look for the WABA. " +
      "After step 1 (signupCallback) Meta's access token may be spent: if the WABA is not linked, a new embedded " +
      "signup is needed; after step 2 (setupFinalization) its phone numbers show whether they were registered."
  }
)

/** DisassociateWhatsAppBusinessAccount: `DELETE /v1/whatsapp/waba/disassociate?id=…`. */
export const DisassociateWhatsAppBusinessAccount = make(
  "DisassociateWhatsAppBusinessAccount",
  "DELETE",
  "/v1/whatsapp/waba/disassociate",
  ["id"],
  LinkedAccounts.DisassociateWhatsAppBusinessAccountInput,
  LinkedAccounts.DisassociateWhatsAppBusinessAccountOutput,
  "idempotent"
)

/** GetLinkedWhatsAppBusinessAccount: `GET /v1/whatsapp/waba/details?id=…`. */
export const GetLinkedWhatsAppBusinessAccount = make(
  "GetLinkedWhatsAppBusinessAccount",
  "GET",
  "/v1/whatsapp/waba/details",
  ["id"],
  LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput,
  LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput,
  "readonly"
)

/** ListLinkedWhatsAppBusinessAccounts: `GET /v1/whatsapp/waba/list?nextToken=…&maxResults=…`. */
export const ListLinkedWhatsAppBusinessAccounts = make(
  "ListLinkedWhatsAppBusinessAccounts",
  "GET",
  "/v1/whatsapp/waba/list",
  ["nextToken", "maxResults"],
  LinkedAccounts.ListLinkedWhatsAppBusinessAccountsInput,
  LinkedAccounts.ListLinkedWhatsAppBusinessAccountsOutput,
  "readonly"
)

/** GetLinkedWhatsAppBusinessAccountPhoneNumber: `GET /v1/whatsapp/waba/phone/details?id=…`. */
export const GetLinkedWhatsAppBusinessAccountPhoneNumber = make(
  "GetLinkedWhatsAppBusinessAccountPhoneNumber",
  "GET",
  "/v1/whatsapp/waba/phone/details",
  ["id"],
  LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberInput,
  LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberOutput,
  "readonly"
)

/** PutWhatsAppBusinessAccountEventDestinations: `PUT /v1/whatsapp/waba/eventdestinations` (JSON body). */
export const PutWhatsAppBusinessAccountEventDestinations = make(
  "PutWhatsAppBusinessAccountEventDestinations",
  "PUT",
  "/v1/whatsapp/waba/eventdestinations",
  [],
  LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsInput,
  LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsOutput,
  "idempotent"
)

/** TagResource: `POST /v1/tags/tag-resource` (JSON body). */
export const TagResource = make(
  "TagResource",
  "POST",
  "/v1/tags/tag-resource",
  [],
  Tagging.TagResourceInput,
  Tagging.TagResourceOutput,
  {
    notIdempotent: "To find out: list the resource's tags (ListTagsForResource)."
  }
)

/** UntagResource: `POST /v1/tags/untag-resource` (JSON body). */
export const UntagResource = make(
  "UntagResource",
  "POST",
  "/v1/tags/untag-resource",
  [],
  Tagging.UntagResourceInput,
  Tagging.UntagResourceOutput,
  {
    notIdempotent: "To find out: list the resource's tags (ListTagsForResource)."
  }
)

/** ListTagsForResource: `GET /v1/tags/list?resourceArn=…`. */
export const ListTagsForResource = make(
  "ListTagsForResource",
  "GET",
  "/v1/tags/list",
  ["resourceArn"],
  Tagging.ListTagsForResourceInput,
  Tagging.ListTagsForResourceOutput,
  "readonly"
)

/** All nine, by AWS name. */
export const operations = {
  AssociateWhatsAppBusinessAccount,
  DisassociateWhatsAppBusinessAccount,
  GetLinkedWhatsAppBusinessAccount,
  ListLinkedWhatsAppBusinessAccounts,
  GetLinkedWhatsAppBusinessAccountPhoneNumber,
  PutWhatsAppBusinessAccountEventDestinations,
  TagResource,
  UntagResource,
  ListTagsForResource
} as const satisfies { readonly [K in OperationName]: OperationInfo & { readonly name: K } }

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
export const toValidationError = (operation: OperationName) => (error: ParseResult.ParseError) =>
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
