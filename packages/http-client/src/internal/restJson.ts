/**
 * restJson1 as AWS End User Messaging Social speaks it: request serialisation and response/error
 * decoding, as pure functions over the domain's operation table (tested without any transport).
 */
import * as Errors from "@social-messaging/domain/Errors"
import type * as Operations from "@social-messaging/domain/Operations"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

// =============================================================================
// Requests
// =============================================================================

/** RFC 3986 encoding as the AWS SDK does it (`encodeURIComponent` plus `!'()*`). */
export const encodeQueryComponent = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** A serialised request, before signing. */
export interface WireRequest {
  readonly method: Operations.OperationInfo["method"]
  /** Path and query string, as sent (`/v1/tags/list?resourceArn=arn%3Aaws%3A...`). */
  readonly pathAndQuery: string
  readonly path: string
  /** The query as a record (what the signer canonicalises). */
  readonly query: Readonly<Record<string, string>>
  /** JSON text for POST/PUT; absent for GET/DELETE (no body and no content-type there). */
  readonly body: string | undefined
}

const queryValue = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined

/**
 * Serialises an encoded (wire-form) input: query members in model order for GET/DELETE, otherwise the
 * whole input as the JSON body (members in model order, absent members dropped, `{}` when empty).
 */
export const serialize = (operation: Operations.OperationInfo, encoded: unknown): WireRequest => {
  if (operation.query.length > 0) {
    const query: Record<string, string> = {}
    let search = ""
    for (const name of operation.query) {
      const value = Predicate.hasProperty(encoded, name) ? queryValue(encoded[name]) : undefined
      if (value === undefined) continue
      query[name] = value
      search += `${search === "" ? "?" : "&"}${encodeQueryComponent(name)}=${encodeQueryComponent(value)}`
    }
    return { method: operation.method, path: operation.path, pathAndQuery: operation.path + search, query, body: undefined }
  }
  return {
    method: operation.method,
    path: operation.path,
    pathAndQuery: operation.path,
    query: {},
    body: JSON.stringify(encoded ?? {})
  }
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

const parseJson = (text: string): Either.Either<unknown, string> =>
  Either.try({ try: () => JSON.parse(text), catch: (e) => (e instanceof Error ? e.message : String(e)) })

const outputOptions = { errors: "all", onExcessProperty: "ignore" } as const

/** Decodes a 2xx answer with the operation's output schema; an empty body counts as `{}`. */
export const decodeSuccess = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  response: WireResponse
): Either.Either<O, Errors.MalformedResponse> => {
  const requestId = response.headers["x-amzn-requestid"]
  const malformed = (detail: string) =>
    new Errors.MalformedResponse({
      operation: operation.name,
      status: response.status,
      ...(requestId === undefined ? {} : { requestId }),
      bodyExcerpt: excerpt(response.body),
      detail
    })
  const json = response.body.trim() === "" ? Either.right({}) : parseJson(response.body)
  if (Either.isLeft(json)) return Either.left(malformed(`body is not JSON: ${json.left}`))
  return Schema.decodeUnknownEither(operation.output, outputOptions)(json.right).pipe(
    Either.mapLeft((error) =>
      malformed(`body does not match ${operation.name}Output: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
    )
  )
}

const ErrorBody = Schema.Struct({
  code: Schema.optional(Schema.String),
  Code: Schema.optional(Schema.String),
  __type: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  Message: Schema.optional(Schema.String)
})
const decodeErrorBody = Schema.decodeUnknownOption(ErrorBody)

/**
 * The AWS error name in a raw type: cut at the first `,` and `:` (`Name:http://internal.amazon.com/...`),
 * keep what follows `#` (`aws.protocols#Name`).
 */
export const sanitizeErrorType = (raw: string): string => {
  let name = raw
  const comma = name.indexOf(",")
  if (comma >= 0) name = name.slice(0, comma)
  const colon = name.indexOf(":")
  if (colon >= 0) name = name.slice(0, colon)
  const hash = name.indexOf("#")
  if (hash >= 0) name = name.slice(hash + 1)
  return name.trim()
}

/**
 * Decodes a non-2xx answer into the operation's typed error. The type comes from `x-amzn-errortype`, else
 * the body's `code`, else `__type` (the AWS SDK's order); the message from `message` or `Message`. A known
 * name the operation declares becomes its class; any other name an `UnknownServiceError`; a body that is not
 * JSON (an HTML page from a proxy, an empty or truncated body) with no type header a `MalformedResponse`.
 */
export const decodeError = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  response: WireResponse
): Errors.AwsErrorOf<K> | Errors.UnknownServiceError | Errors.MalformedResponse => {
  const requestId = response.headers["x-amzn-requestid"]
  const withRequestId = requestId === undefined ? {} : { requestId }
  const json = response.body.trim() === "" ? Either.left("empty body") : parseJson(response.body)
  const body = Either.isRight(json) ? decodeErrorBody(json.right) : undefined
  const fromBody = body !== undefined && body._tag === "Some" ? body.value : undefined
  const header = response.headers["x-amzn-errortype"]
  const rawType = header ?? fromBody?.code ?? fromBody?.Code ?? fromBody?.__type
  if (rawType === undefined) {
    return new Errors.MalformedResponse({
      operation: operation.name,
      status: response.status,
      ...withRequestId,
      bodyExcerpt: excerpt(response.body),
      detail: Either.isLeft(json)
        ? `error answer without an error type, and its body is not JSON (${json.left})`
        : "error answer without an error type"
    })
  }
  const errorType = sanitizeErrorType(rawType)
  const message = fromBody?.message ?? fromBody?.Message
  const fields = { ...(message === undefined ? {} : { message }), ...withRequestId }
  return Errors.declaredAwsError(operation.errors, errorType, fields) ??
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

/** Classifies a socket/DNS/TLS failure by its Node/undici error code. */
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
      case "ETIMEDOUT":
      case "ESOCKETTIMEDOUT":
      case "UND_ERR_CONNECT_TIMEOUT":
      case "UND_ERR_HEADERS_TIMEOUT":
      case "UND_ERR_BODY_TIMEOUT":
        return "SocketTimeout"
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return "DnsFailure"
    }
    if (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT")) return "TlsFailure"
  }
  return "Unknown"
}

/** A short, secret-free description of a cause (its message and code). */
export const describeCause = (cause: unknown): string => {
  const message = Predicate.hasProperty(cause, "message") && typeof cause.message === "string" ? cause.message : String(cause)
  const chain = codes(cause)
  return chain.length === 0 ? message : `${message} [${chain.join(", ")}]`
}
