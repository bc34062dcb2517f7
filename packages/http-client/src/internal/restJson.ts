/**
 * restJson1 as AWS End User Messaging Social speaks it: request serialisation and response/error
 * decoding, as pure functions over the domain's operation table (tested without any transport).
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import * as Wire from "@social-messaging/domain/Wire"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

// =============================================================================
// Requests
// =============================================================================

/** RFC 3986 encoding as the AWS SDK does it (`encodeURIComponent` plus `!'()*`). */
export const encodeQueryComponent: (value: string) => string = Wire.encodeQueryComponent

/** A serialised request, before signing. */
export interface WireRequest extends Wire.Request {
  /** Path and query string, as sent (`/v1/tags/list?resourceArn=arn%3Aaws%3A...`). */
  readonly pathAndQuery: string
  /** The plain values of the input's secret members (token, PINs): never to appear in an error we raise. */
  readonly secrets: ReadonlyArray<string>
}

/**
 * Serialises an encoded (wire-form) input as the operation's binding says (`Wire.toWire`: the sandbox reads it
 * back with `Wire.fromWire`), with the query string as the AWS SDK writes it (sorted by name).
 */
export const serialize = (
  operation: Operations.OperationInfo,
  encoded: unknown,
  secrets: ReadonlyArray<string> = []
): WireRequest => {
  const { body, headers, method, path, query } = Wire.toWire(operation, encoded)
  const search = Wire.queryString(query)
  // The revealed values of the input's `Redacted` members (`Redaction.revealedSecrets` of the typed input).
  return { method, path, query, headers, body, pathAndQuery: search === "" ? path : `${path}?${search}`, secrets }
}

// =============================================================================
// Responses
// =============================================================================

/** What the transport read: status, the headers we use (lower-case names), the body text. */
export interface WireResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

const excerptLength = 256

/** The first 256 characters of a body, for error reports. */
export const excerpt = (body: string): string =>
  body.length <= excerptLength ? body : `${body.slice(0, excerptLength)}…`

// A secret member's string value in JSON text, complete or cut off by a truncated body (built on first use).
let secretMemberValueRegex: RegExp | undefined
const secretMemberValue = (): RegExp =>
  secretMemberValueRegex ??= new RegExp(
    `"(${[...Redaction.secretMembers()].join("|")})"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*(?:"|$)`,
    "g"
  )

// AWS appends the canonical request and the string to sign to a signature mismatch message; the canonical
// request lists every signed header, the session token included.
const canonicalRequestSection = /\s*The Canonical String for this request should have been[\s\S]*$/

/**
 * Hides secrets in text read back from an answer before it goes into an error: AWS's canonical-request dump,
 * the values of secret members (`accessToken`, `associateInProgressToken`, `twoFactorPin`) even in truncated
 * JSON, and every secret value the request carried (a proxy page may echo the request).
 */
export const scrub = (text: string, secrets: ReadonlyArray<string> = []): string => {
  let out = text.replace(canonicalRequestSection, "").replace(secretMemberValue(), "\"$1\":\"<redacted>\"")
  for (const secret of secrets) out = out.split(secret).join("<redacted>")
  return out
}

// V8's messages quote the text around the error (which may be a secret): keep the position only.
const parseJson = (text: string): Either.Either<unknown, string> =>
  Either.try({
    try: () => JSON.parse(text),
    catch: (e) => {
      const position = /position (\d+)/.exec(e instanceof Error ? e.message : "")?.[1]
      return position === undefined ? "not valid JSON" : `not valid JSON (at position ${position})`
    }
  })

const malformedSuccess = (
  operation: Operations.OperationInfo,
  response: WireResponse,
  secrets: ReadonlyArray<string>,
  detail: string
) => {
  const requestId = response.headers["x-amzn-requestid"]
  return new Errors.MalformedResponse({
    operation: operation.name,
    status: response.status,
    ...(requestId === undefined ? {} : { requestId }),
    bodyExcerpt: excerpt(scrub(response.body, secrets)),
    detail: scrub(detail, secrets)
  })
}

/** The JSON of a 2xx answer (an empty body counts as `{}`), before it is decoded. */
export const parseSuccess = (
  operation: Operations.OperationInfo,
  response: WireResponse,
  secrets: ReadonlyArray<string> = []
): Either.Either<unknown, Errors.MalformedResponse> => {
  const json = response.body.trim() === "" ? Either.right({}) : parseJson(response.body)
  return Either.mapLeft(json, (reason) => malformedSuccess(operation, response, secrets, `body is not JSON: ${reason}`))
}

/**
 * Decodes the parsed JSON of a 2xx answer: client error correction first (missing required members get their
 * zero values, `null` is absent), then the operation's lenient output schema (no constraint traits).
 */
export const decodeParsed = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  response: WireResponse,
  json: unknown,
  secrets: ReadonlyArray<string> = []
): Either.Either<O, Errors.MalformedResponse> =>
  operation.decodeLenientOutput(operation.correctOutput(json)).pipe(
    Either.mapLeft((error) =>
      malformedSuccess(
        operation,
        response,
        secrets,
        `body does not match ${operation.name}Output: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
      )
    )
  )

/** Decodes a 2xx answer (`parseSuccess`, then `decodeParsed`). */
export const decodeSuccess = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  response: WireResponse,
  secrets: ReadonlyArray<string> = []
): Either.Either<O, Errors.MalformedResponse> =>
  Either.flatMap(parseSuccess(operation, response, secrets), (json) => decodeParsed(operation, response, json, secrets))

/**
 * An error body as AWS (or a proxy) sends it: any JSON object. Its fields are read one by one and leniently
 * (a `null` message or a numeric `code` must not cost us the error type), as the AWS SDK reads them.
 */
const ErrorBody = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const decodeErrorBody = Schema.decodeUnknownOption(ErrorBody)

/** An error type field: a string, or a number the SDK would stringify. */
const ErrorTypeField = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number })
)
const decodeErrorTypeField = Schema.decodeUnknownOption(ErrorTypeField)
const decodeMessageField = Schema.decodeUnknownOption(Schema.String)

/** The first key of `body` equal to `name` ignoring case (the SDK finds `code` as `Code`, `CODE`...). */
const findKey = (body: Readonly<Record<string, unknown>>, name: string): string | undefined =>
  Object.keys(body).find((key) => key.toLowerCase() === name)

interface ErrorFields {
  readonly code: string | undefined
  readonly type: string | undefined
  readonly message: string | undefined
}

const noFields: ErrorFields = { code: undefined, type: undefined, message: undefined }

const errorFields = (body: Readonly<Record<string, unknown>>): ErrorFields => {
  const codeKey = findKey(body, "code")
  const field = (value: unknown) => Option.getOrUndefined(decodeErrorTypeField(value))
  return {
    code: codeKey === undefined ? undefined : field(body[codeKey]),
    type: field(body["__type"]),
    message: Option.getOrUndefined(decodeMessageField(body["message"])) ??
      Option.getOrUndefined(decodeMessageField(body["Message"]))
  }
}

/**
 * The AWS error name in a raw type, cleaned as the AWS SDK does: cut at the first `,` and the first `:`
 * (`Name:http://internal.amazon.com/...`), then keep what lies between the first `#` and the next one
 * (`aws.protocols#Name`). Unlike the SDK we also trim surrounding spaces.
 */
export const sanitizeErrorType = (raw: string): string => {
  let name = raw
  const comma = name.indexOf(",")
  if (comma >= 0) name = name.slice(0, comma)
  const colon = name.indexOf(":")
  if (colon >= 0) name = name.slice(0, colon)
  if (name.includes("#")) name = name.split("#")[1] ?? ""
  return name.trim()
}

/**
 * A server error (5xx) on an operation that is neither read-only nor idempotent leaves its outcome unknown:
 * AWS (or Meta behind it) may have acted before failing. The client does not resend such a call, and the
 * error's message says so and how to find out.
 */
const withOutcomeNote = (
  operation: Operations.OperationInfo,
  status: number,
  message: string | undefined
): string | undefined =>
  status < 500 || Operations.isSafeToResend(operation)
    ? message
    : `${message === undefined ? "" : `${message} `}(outcome unknown: the request may have been acted on, so it was ` +
      `not sent again. ${operation.howToFindOut})`

/**
 * Decodes a non-2xx answer into the operation's typed error. The type comes from `x-amzn-errortype` (even
 * empty), else the body's `code` (any letter case), else `__type` (the AWS SDK's order); the message from
 * `message`, else `Message`. A known name the operation declares becomes its class; any other name an
 * `UnknownServiceError`. An answer with no type at all (an HTML page from a proxy, an empty, truncated or
 * untyped body) is a `MalformedResponse`.
 */
export const decodeError = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  response: WireResponse,
  secrets: ReadonlyArray<string> = []
): Errors.AwsErrorOf<K> | Errors.UnknownServiceError | Errors.MalformedResponse => {
  const requestId = response.headers["x-amzn-requestid"]
  const withRequestId = requestId === undefined ? {} : { requestId }
  const json = response.body.trim() === "" ? Either.left("empty body") : parseJson(response.body)
  // A body that is not a JSON object (an HTML page, an array, `null`) carries no fields.
  const fields: ErrorFields = Either.isRight(json)
    ? Option.match(decodeErrorBody(json.right), { onNone: () => noFields, onSome: errorFields })
    : noFields
  const header = response.headers["x-amzn-errortype"]
  const rawType = header ?? fields.code ?? fields.type
  if (rawType === undefined) {
    return new Errors.MalformedResponse({
      operation: operation.name,
      status: response.status,
      ...withRequestId,
      bodyExcerpt: excerpt(scrub(response.body, secrets)),
      detail: withOutcomeNote(
        operation,
        response.status,
        Either.isLeft(json)
          ? `error answer without an error type, and its body is not JSON (${json.left})`
          : "error answer without an error type"
      )
    })
  }
  const errorType = sanitizeErrorType(rawType)
  const message = withOutcomeNote(
    operation,
    response.status,
    fields.message === undefined ? undefined : scrub(fields.message, secrets)
  )
  const carried = { ...(message === undefined ? {} : { message }), ...withRequestId }
  return Errors.declaredAwsError(operation.errors, errorType, carried) ??
    new Errors.UnknownServiceError({
      operation: operation.name,
      errorType,
      status: response.status,
      ...withRequestId,
      ...(message === undefined ? {} : { awsMessage: message })
    })
}

// =============================================================================
// Transport failures
// =============================================================================

const codeOf = (u: unknown): string | undefined =>
  Predicate.hasProperty(u, "code") && typeof u.code === "string" ? u.code : undefined

/** The error codes along a cause chain (`err.code`, `err.cause.code`, ...), outermost first. */
const codes = (cause: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    const code = codeOf(current)
    if (code !== undefined) out.push(code)
    current = Predicate.hasProperty(current, "cause") ? current.cause : undefined
  }
  return out
}

/** OpenSSL verification codes node passes through whose names do not mention CERT. */
const tlsVerifyCodes: ReadonlySet<string> = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "HOSTNAME_MISMATCH"
])

const isTlsCode = (code: string): boolean =>
  code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT") || code.includes("CRL") ||
  tlsVerifyCodes.has(code)

/**
 * Classifies a socket/DNS/TLS failure by its Node/undici error codes, outermost first (undici's
 * `fetch failed` carries the socket's code in its `cause`).
 */
export const transportFailure = (cause: unknown): Errors.TransportFailure => {
  for (const code of codes(cause)) {
    switch (code) {
      case "ECONNRESET":
      case "EPIPE":
      case "UND_ERR_SOCKET":
      case "UND_ERR_CLOSED":
        return "ConnectionReset"
      case "ECONNREFUSED":
        return "ConnectionRefused"
      case "UND_ERR_CONNECT_TIMEOUT":
        return "ConnectTimeout"
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return "HostUnreachable"
      case "ETIMEDOUT":
      case "ESOCKETTIMEDOUT":
      case "UND_ERR_HEADERS_TIMEOUT":
      case "UND_ERR_BODY_TIMEOUT":
        return "SocketTimeout"
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return "DnsFailure"
    }
    if (isTlsCode(code)) return "TlsFailure"
  }
  return "Unknown"
}

/** A short, secret-free description of a cause (its message and code). */
export const describeCause = (cause: unknown): string => {
  const message = Predicate.hasProperty(cause, "message") && typeof cause.message === "string"
    ? cause.message
    : String(cause)
  const chain = codes(cause)
  return chain.length === 0 ? message : `${message} [${chain.join(", ")}]`
}
