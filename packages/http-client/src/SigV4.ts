/**
 * AWS Signature Version 4, the algorithm of AWS's own signer (`@smithy/signature-v4`, the one the AWS SDK uses)
 * done synchronously over node:crypto, wrapped in Effect: the signing time comes from `Clock`, failures are
 * typed. This is the only module that unwraps secrets.
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
import { CredentialsError } from "@social-messaging/domain/Errors"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Crypto from "node:crypto"
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

// =============================================================================
// The signer: AWS's algorithm (as `@smithy/signature-v4` implements it, which the AWS SDK uses), synchronous
// over node:crypto, so a request is signed without a promise, a copy of the request or a per-request HMAC of
// the credentials; the differential tests check it byte for byte against the SDK's and botocore's.
// =============================================================================

/** Headers a signer never signs (smithy's `ALWAYS_UNSIGNABLE_HEADERS`), plus `proxy-*` and `sec-*`. */
const unsignable: ReadonlySet<string> = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id"
])
/** Headers the signer sets itself: any given value is dropped first. */
const generated: ReadonlySet<string> = new Set(["authorization", "x-amz-date", "date"])
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

const hmac = (key: string | Buffer, data: string): Buffer => Crypto.createHmac("sha256", key).update(data).digest()
const sha256Hex = (data: string | Uint8Array): string => Crypto.createHash("sha256").update(data).digest("hex")

/** RFC 3986 escaping as the signer does it (`encodeURIComponent` plus `!'()*`). */
const escapeUri = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

// Canonical paths by path: a client sends a handful of paths (one per operation), so each is worked out once.
const canonicalPaths = new Map<string, string>()

/** The canonical path: dot segments and empty segments removed, each byte escaped twice but `/`. */
const canonicalPath = (path: string): string => {
  let canonical = canonicalPaths.get(path)
  if (canonical === undefined) {
    canonical = computeCanonicalPath(path)
    // Paths carrying ids (none in this API today) would fill it: keep it bounded.
    if (canonicalPaths.size >= 256) canonicalPaths.clear()
    canonicalPaths.set(path, canonical)
  }
  return canonical
}

const computeCanonicalPath = (path: string): string => {
  const segments: Array<string> = []
  for (const segment of path.split("/")) {
    if (segment.length === 0 || segment === ".") continue
    if (segment === "..") segments.pop()
    else segments.push(segment)
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${
    segments.length > 0 && path.endsWith("/") ? "/" : ""
  }`
  return escapeUri(normalized).replace(/%2F/g, "/")
}

/** The canonical query: names and values escaped, sorted by name (values of one name sorted), no signature. */
const canonicalQueryOf = (query: PreparedRequest["query"]): string => {
  const parts: Array<readonly [string, string]> = []
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() === "x-amz-signature") continue
    const name = escapeUri(key)
    const value = query[key]!
    const serialized = typeof value === "string"
      ? `${name}=${escapeUri(value)}`
      : value.map((item) => `${name}=${escapeUri(item)}`).sort().join("&")
    if (serialized !== "") parts.push([name, serialized])
  }
  return parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, serialized]) => serialized).join("&")
}

/** A credentials object's secrets, unwrapped once (the AwsCredentials cache hands out one object until refresh). */
interface Identity {
  readonly secret: string
  readonly sessionToken: string | undefined
  /** Signing keys by `date/region/service`: one a day per region in practice. */
  readonly keys: Map<string, Buffer>
}
const identities = new WeakMap<Credentials, Identity>()

const identityOf = (credentials: Credentials): Identity => {
  let identity = identities.get(credentials)
  if (identity === undefined) {
    identity = {
      secret: Redacted.value(credentials.secretAccessKey),
      sessionToken: Option.isSome(credentials.sessionToken)
        ? Redacted.value(credentials.sessionToken.value)
        : undefined,
      keys: new Map()
    }
    identities.set(credentials, identity)
  }
  return identity
}

const signingKey = (identity: Identity, shortDate: string, region: string, signingService: string): Buffer => {
  const scope = `${shortDate}/${region}/${signingService}`
  let key = identity.keys.get(scope)
  if (key === undefined) {
    // A long-lived process crosses midnight: keep the newest few scopes only.
    if (identity.keys.size >= 8) identity.keys.clear()
    key = hmac(hmac(hmac(hmac(`AWS4${identity.secret}`, shortDate), region), signingService), "aws4_request")
    identity.keys.set(scope, key)
  }
  return key
}

const needsTrimming = /[\r\n\t]| {2}|^ | $/

/** A header value as signed: line breaks as spaces, runs of spaces and tabs as one, no space at either end. */
const canonicalValue = (value: string): string =>
  needsTrimming.test(value) ? value.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, "") : value

/** Signs `prepared` at `now`: its headers (less generated ones) plus the date, token, checksum and authorization. */
const signSync = (prepared: PreparedRequest, options: SignOptions, now: number): Record<string, string> => {
  const identity = identityOf(options.credentials)
  const headers: Record<string, string> = {}
  let payloadHash: string | undefined
  for (const name in prepared.headers) {
    const lower = name.toLowerCase()
    if (generated.has(lower)) continue
    headers[name] = prepared.headers[name]!
    if (lower === "x-amz-content-sha256" && payloadHash === undefined) payloadHash = prepared.headers[name]
  }
  const longDate = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "")
  const shortDate = longDate.slice(0, 8)
  const signingService = options.service ?? service
  const scope = `${shortDate}/${options.region}/${signingService}/aws4_request`
  headers["x-amz-date"] = longDate
  if (identity.sessionToken !== undefined) headers["x-amz-security-token"] = identity.sessionToken
  if (payloadHash === undefined) {
    payloadHash = prepared.body === undefined ? emptyPayloadHash : sha256Hex(prepared.body)
    if (options.applyChecksum ?? true) headers["x-amz-content-sha256"] = payloadHash
  }
  const canonical = new Map<string, string>()
  for (const name of Object.keys(headers).sort()) {
    const lower = name.toLowerCase()
    if (unsignable.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) continue
    canonical.set(lower, canonicalValue(headers[name]!))
  }
  const names = [...canonical.keys()].sort()
  const signedHeaders = names.join(";")
  const canonicalRequest = `${prepared.method}\n${canonicalPath(prepared.path)}\n` +
    `${canonicalQueryOf(prepared.query)}\n` +
    `${names.map((name) => `${name}:${canonical.get(name)}`).join("\n")}\n\n${signedHeaders}\n${payloadHash}`
  const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`
  const signature = Crypto.createHmac("sha256", signingKey(identity, shortDate, options.region, signingService))
    .update(stringToSign)
    .digest("hex")
  headers["authorization"] = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`
  return headers
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

const signAt = (
  prepared: PreparedRequest,
  options: SignOptions,
  now: number
): Effect.Effect<Record<string, string>, CredentialsError | SigningError> =>
  Effect.suspend((): Effect.Effect<Record<string, string>, CredentialsError | SigningError> => {
    const expiration = options.credentials.expiration
    if (Option.isSome(expiration) && DateTime.toEpochMillis(expiration.value) <= now) {
      return Effect.fail(
        new CredentialsError({
          provider: "signer",
          detail: `credentials for ${options.credentials.accessKeyId} expired at ${
            DateTime.formatIso(expiration.value)
          }`
        })
      )
    }
    const unsafe = headerUnsafeCredential(options.credentials)
    if (unsafe !== undefined) {
      // Said here, not by the transport: its message would quote the value.
      return Effect.fail(
        new CredentialsError({
          provider: "signer",
          detail: `the ${unsafe} contains a character not allowed in an HTTP header (the value is not shown)`
        })
      )
    }
    return Effect.try({
      try: () => signSync(prepared, options, now),
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
    const canonicalQuery = canonicalQueryOf(prepared.query)
    const wireUrl = canonicalQuery === "" ? url.href : `${url.href}?${canonicalQuery}`
    // Rebuilt rather than setUrl: setUrl keeps the old urlParams, which the client would append again.
    return HttpClientRequest.make(request.method)(wireUrl, { headers: toSet, body: request.body })
  })
