/**
 * AWS Signature Version 4, by AWS's own signer (`@smithy/signature-v4`, the one the AWS SDK uses), wrapped in
 * Effect: the signing time comes from `Clock`, failures are typed. This is the only module that unwraps secrets.
 *
 * @example
 * ```ts
 * import * as SigV4 from "@social-messaging/http-client/SigV4"
 *
 * // Inside HttpClient.mapRequestEffect, after the endpoint has been prepended:
 * // (request) => SigV4.signHttpClientRequest(request, { credentials, region })
 * ```
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Hash } from "@smithy/hash-node"
import { getCanonicalQuery, SignatureV4 } from "@smithy/signature-v4"
import { CredentialsError } from "@social-messaging/domain/Errors"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Credentials } from "./AwsCredentials.js"

/** The signing name of AWS End User Messaging Social (hyphenated, unlike the npm package). */
export const service = "social-messaging"

/** The signer failed, or the request cannot be signed (a streamed body, an unparsable URL). */
export class SigningError extends Schema.TaggedError<SigningError>()("SigningError", {
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `signing failed: ${this.detail}`
  }
}

/** A request to sign. The path comes from `url`; query parameters from `url` and `query` together. */
export interface SignableRequest {
  readonly method: string
  /** Absolute URL: protocol, host (with port), path, and optionally a query string. */
  readonly url: string | URL
  readonly query?: Readonly<Record<string, string | ReadonlyArray<string>>> | undefined
  /** Header names are matched case-insensitively by the signer; lower-case is conventional. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body?: string | Uint8Array | undefined
}

/** Options of `sign`. */
export interface SignOptions {
  readonly credentials: Credentials
  readonly region: string
  /** Signing name; default `social-messaging`. */
  readonly service?: string | undefined
  /**
   * Add and sign `x-amz-content-sha256` (default `true`, as the AWS SDK does). `false` only to reproduce
   * AWS's published examples, which predate the header.
   */
  readonly applyChecksum?: boolean | undefined
}

// One signer per credentials object (the AwsCredentials cache hands out the same object until it refreshes),
// so the hot path neither builds a signer nor unwraps the secrets per request. Region and service are per call.
const signers = new WeakMap<Credentials, { checksum?: SignatureV4; plain?: SignatureV4 }>()

const sha256 = Hash.bind(null, "sha256")

const signerFor = (credentials: Credentials, applyChecksum: boolean): SignatureV4 => {
  let entry = signers.get(credentials)
  if (entry === undefined) {
    entry = {}
    signers.set(credentials, entry)
  }
  const cached = applyChecksum ? entry.checksum : entry.plain
  if (cached !== undefined) return cached
  const identity = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: Redacted.value(credentials.secretAccessKey),
    ...Option.match(credentials.sessionToken, {
      onNone: () => ({}),
      onSome: (token) => ({ sessionToken: Redacted.value(token) })
    })
  }
  const signer = new SignatureV4({
    credentials: () => Promise.resolve(identity),
    // Overridden per call by `signingRegion`; the constructor insists on one.
    region: "us-east-1",
    service,
    sha256,
    applyChecksum,
    uriEscapePath: true
  })
  if (applyChecksum) entry.checksum = signer
  else entry.plain = signer
  return signer
}

// What Node and undici accept in a header value: tab, printable ASCII and obs-text.
const headerValueUnsafe = /[^\t\x20-\x7e\x80-\xff]/

/** Which credential (if any) cannot travel in a header: the access key id or the session token. */
const headerUnsafeCredential = (credentials: Credentials): string | undefined =>
  headerValueUnsafe.test(credentials.accessKeyId)
    ? "access key id"
    : Option.isSome(credentials.sessionToken) && headerValueUnsafe.test(Redacted.value(credentials.sessionToken.value))
    ? "session token"
    : undefined

const toUrl = (url: string | URL): Effect.Effect<URL, SigningError> =>
  Effect.try({
    try: () => new URL(url),
    catch: (cause) => new SigningError({ detail: `not an absolute URL: ${String(url)}`, cause })
  })

/** Merges the URL's query string and the `query` record into the signer's multi-value record. */
const queryRecord = (
  url: URL,
  query: Readonly<Record<string, string | ReadonlyArray<string>>> | undefined
): Record<string, string | Array<string>> => {
  const out: Record<string, string | Array<string>> = {}
  const add = (key: string, value: string) => {
    const existing = out[key]
    out[key] = existing === undefined ? value : typeof existing === "string" ? [existing, value] : [...existing, value]
  }
  url.searchParams.forEach((value, key) => add(key, value))
  for (const [key, value] of Object.entries(query ?? {})) {
    if (typeof value === "string") add(key, value)
    else for (const item of value) add(key, item)
  }
  return out
}

/**
 * A request in the signer's shape (`HttpRequest` of `@smithy/types`): the URL already split, `host` among the
 * headers. What a client that sends many requests to one endpoint builds once per call (`signPrepared`).
 */
export interface PreparedRequest {
  readonly method: string
  readonly protocol: string
  readonly hostname: string
  readonly port?: number
  readonly path: string
  readonly query: Readonly<Record<string, string | ReadonlyArray<string>>>
  /** The headers to sign, `host` included (lower-case names). */
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
}

/** The smithy signer's request type (mutable records, query lists as arrays). */
type SmithyRequest = Parameters<SignatureV4["sign"]>[0]

/**
 * A prepared request in the smithy signer's own type: the same values, with the query's lists as the mutable
 * arrays its type asks for (the signer copies the request before it reads it; the copy here is the few query
 * members only, no cast).
 */
const toSmithy = (prepared: PreparedRequest): SmithyRequest => {
  const query: Record<string, string | Array<string>> = {}
  for (const name in prepared.query) {
    const value = prepared.query[name]
    if (value !== undefined) query[name] = typeof value === "string" ? value : [...value]
  }
  const request: SmithyRequest = {
    method: prepared.method,
    protocol: prepared.protocol,
    hostname: prepared.hostname,
    path: prepared.path,
    query,
    headers: prepared.headers
  }
  if (prepared.port !== undefined) request.port = prepared.port
  if (prepared.body !== undefined) request.body = prepared.body
  return request
}

/** The signer's request shape, built from a URL. */
const prepare = (request: SignableRequest, url: URL): PreparedRequest => ({
  method: request.method.toUpperCase(),
  protocol: url.protocol,
  hostname: url.hostname,
  ...(url.port === "" ? {} : { port: Number(url.port) }),
  path: url.pathname,
  query: queryRecord(url, request.query),
  // `host` is what the transport sends: URL.host omits default ports, as HTTP clients do.
  headers: { ...request.headers, host: url.host },
  ...(request.body === undefined ? {} : { body: request.body })
})

/**
 * Signs a request already in the signer's shape (no URL parsing): the complete header set to send, as `sign`
 * returns it. The signing time is `Clock`'s.
 */
export const signPrepared = (
  prepared: PreparedRequest,
  options: SignOptions
): Effect.Effect<Record<string, string>, CredentialsError | SigningError> =>
  Effect.clockWith((clock) => signAt(prepared, options, clock.unsafeCurrentTimeMillis()))

/**
 * The signing of a prepared request at `now` (epoch milliseconds), for a transport that runs its own promise
 * chain: a `CredentialsError` at once when the credentials have expired by then or cannot travel in a header,
 * else the signer's promise of the complete header set (it rejects only on an unusable request).
 */
export const signPreparedAt = (
  prepared: PreparedRequest,
  options: SignOptions,
  now: number
): CredentialsError | Promise<Record<string, string>> => {
  const expiration = options.credentials.expiration
  if (Option.isSome(expiration) && DateTime.toEpochMillis(expiration.value) <= now) {
    return new CredentialsError({
      provider: "signer",
      detail: `credentials for ${options.credentials.accessKeyId} expired at ${DateTime.formatIso(expiration.value)}`
    })
  }
  const unsafe = headerUnsafeCredential(options.credentials)
  if (unsafe !== undefined) {
    // Said here, not by the transport: its message would quote the value.
    return new CredentialsError({
      provider: "signer",
      detail: `the ${unsafe} contains a character not allowed in an HTTP header (the value is not shown)`
    })
  }
  const signer = signerFor(options.credentials, options.applyChecksum ?? true)
  return signer.sign(toSmithy(prepared), {
    signingDate: new Date(now),
    signingRegion: options.region,
    signingService: options.service ?? service
  }).then((signed): Record<string, string> => signed.headers)
}

const signAt = (
  prepared: PreparedRequest,
  options: SignOptions,
  now: number
): Effect.Effect<Record<string, string>, CredentialsError | SigningError> =>
  Effect.suspend((): Effect.Effect<Record<string, string>, CredentialsError | SigningError> => {
    const signing = signPreparedAt(prepared, options, now)
    return signing instanceof CredentialsError ? Effect.fail(signing) : Effect.tryPromise({
      try: () => signing,
      catch: (cause) => new SigningError({ detail: cause instanceof Error ? cause.message : String(cause), cause })
    })
  })

/**
 * Signs a request; the result is the complete header set to send: the given headers plus `host`, `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token` (only with a session token) and `authorization`.
 * The signing time is `Clock`'s; fails with `CredentialsError` if the credentials have expired by then.
 */
export const sign = (
  request: SignableRequest,
  options: SignOptions
): Effect.Effect<Record<string, string>, CredentialsError | SigningError> =>
  Effect.flatMap(toUrl(request.url), (url) => signPrepared(prepare(request, url), options))

// =============================================================================
// @effect/platform
// =============================================================================

const bodyOf = (
  body: HttpClientRequest.HttpClientRequest["body"]
): Effect.Effect<string | Uint8Array | undefined, SigningError> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(undefined)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? Effect.succeed(body.body)
        : Effect.fail(new SigningError({ detail: "a raw body must be a string or a Uint8Array to be signed" }))
    default:
      return Effect.fail(new SigningError({ detail: `a ${body._tag} body cannot be signed (its hash is unknown)` }))
  }
}

/**
 * Signs an `@effect/platform` request (its URL must be absolute, i.e. after `prependUrl`) and returns it with
 * the signed headers set. The query goes on the URL in the exact canonical form that was signed (RFC 3986
 * encoding, sorted), so the wire and the signature cannot disagree (URLSearchParams would send `+` for
 * spaces). `host` is left to the transport, which derives the same value from the URL.
 */
export const signHttpClientRequest = (
  request: HttpClientRequest.HttpClientRequest,
  options: SignOptions
): Effect.Effect<HttpClientRequest.HttpClientRequest, CredentialsError | SigningError> =>
  Effect.gen(function*() {
    const url = yield* Option.match(HttpClientRequest.toUrl(request), {
      onNone: () => Effect.fail(new SigningError({ detail: `not an absolute URL: ${request.url}` })),
      onSome: Effect.succeed
    })
    const body = yield* bodyOf(request.body)
    url.hash = ""
    const prepared = prepare({ method: request.method, url, headers: request.headers, body }, url)
    const headers = yield* signPrepared(prepared, options)
    const { host: _host, ...toSet } = headers
    url.search = ""
    const canonicalQuery = getCanonicalQuery(toSmithy(prepared))
    const wireUrl = canonicalQuery === "" ? url.href : `${url.href}?${canonicalQuery}`
    // Rebuilt rather than setUrl: setUrl keeps the old urlParams, which the client would append again.
    return HttpClientRequest.make(request.method)(wireUrl, { headers: toSet, body: request.body })
  })
