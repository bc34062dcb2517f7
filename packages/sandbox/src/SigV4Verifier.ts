/**
 * Verifies AWS Signature Version 4 on requests the sandbox server receives, the way AWS front ends
 * do: the request is signed again with AWS's own signer (`@smithy/signature-v4`) using the secret
 * known for the access key, at the request's `x-amz-date`, over the headers the client listed as
 * signed, and the two signatures are compared. Failures carry AWS's error names and messages.
 *
 * Checked in AWS's order: an `Authorization` header at all (403 MissingAuthenticationTokenException),
 * its syntax (400 IncompleteSignatureException), the access key (403 UnrecognizedClientException), the
 * credential scope and the clock skew (403 InvalidSignatureException, "Signature expired…" with a
 * `Date` header to correct the client's clock), `x-amz-content-sha256` against the body, the signature.
 *
 * In two steps, so a server can refuse a request before reading its body: `authenticate` makes every
 * check that needs only the headers (all of the above up to the clock skew, the signed headers, and
 * `x-amz-content-sha256: UNSIGNED-PAYLOAD`), then `verifyBody` checks the body's hash and the signature.
 * Unsigned payloads are refused (403 InvalidSignatureException, the signature-mismatch message): AWS
 * accepts them only for S3, and accepting them leaves the body outside the signature, so one signed
 * request could be replayed with any body.
 */
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash, timingSafeEqual } from "node:crypto"

// =============================================================================
// Credentials
// =============================================================================

/** A key pair the sandbox accepts. */
export interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: Redacted.Redacted<string>
}

/** The documented sandbox keys: they work only against the sandbox (the access key id is not a real one). */
export const defaultCredentials: Credentials = {
  accessKeyId: "AKIASANDBOX000000001",
  secretAccessKey: Redacted.make("sandbox-secret-access-key-do-not-use-in-aws")
}

/** The signing name of AWS End User Messaging Social. */
export const service = "social-messaging"

// =============================================================================
// Rejections
// =============================================================================

/** The error types AWS front ends answer for authentication failures. */
export const RejectionType = Schema.Literal(
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "UnrecognizedClientException",
  "InvalidSignatureException"
)
export type RejectionType = typeof RejectionType.Type

/** A request failed authentication; `serverDate` is set when the client's clock is off. */
export class SignatureRejected extends Schema.TaggedError<SignatureRejected>()("SignatureRejected", {
  errorType: RejectionType,
  status: Schema.Number,
  message: Schema.String,
  /** Epoch millis of the server's clock, for the `Date` header of a "Signature expired" answer. */
  serverDate: Schema.optional(Schema.Number)
}) {}

const reject = (errorType: RejectionType, message: string, serverDate?: number) =>
  new SignatureRejected({
    errorType,
    status: errorType === "IncompleteSignatureException" ? 400 : 403,
    message,
    ...(serverDate === undefined ? {} : { serverDate })
  })

// =============================================================================
// Verification
// =============================================================================

/** The request line and headers as received: raw path and query, lower-case header names. */
export interface ReceivedHead {
  readonly method: string
  /** Path and query as they arrived (`/v1/tags/list?resourceArn=arn%3A…`). */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

/** The request as received, with the body bytes. */
export interface ReceivedRequest extends ReceivedHead {
  readonly body: Uint8Array
}

/** What a verifier checks against. */
export interface Options {
  readonly credentials: ReadonlyArray<Credentials>
  readonly region: string
  /** Signing name expected in the credential scope (default `social-messaging`). */
  readonly service?: string | undefined
  /** How far `x-amz-date` may be from the server's clock (AWS: 5 minutes). */
  readonly maxSkew?: Duration.DurationInput | undefined
}

/** Who signed a request that verified. */
export interface Verified {
  readonly accessKeyId: string
}

/** A request whose headers passed every check; `verifyBody` checks the body's hash and the signature. */
export interface Authenticated {
  readonly accessKeyId: string
  readonly verifyBody: (body: Uint8Array) => Effect.Effect<Verified, SignatureRejected>
}

/**
 * A verifier: called with a whole request it makes every check; `authenticate` makes those that need
 * only the headers, so the body can be read (or refused) after them.
 */
export interface Verifier {
  (request: ReceivedRequest): Effect.Effect<Verified, SignatureRejected>
  readonly authenticate: (request: ReceivedHead) => Effect.Effect<Authenticated, SignatureRejected>
}

const signatureMismatch = "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

const formatAmzDate = (millis: number): string => new Date(millis).toISOString().replace(/[-:]|\.\d{3}/g, "")

/** AWS words the allowed skew as "5 min". */
const describeSkew = (millis: number): string =>
  millis % 60_000 === 0 ? `${millis / 60_000} min` : `${millis / 1000} sec`

const parseAmzDate = (value: string): number | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (m === null) return undefined
  const millis = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return Number.isNaN(millis) ? undefined : millis
}

interface ParsedAuthorization {
  readonly accessKeyId: string
  readonly date: string
  readonly region: string
  readonly service: string
  readonly terminator: string
  readonly signedHeaders: ReadonlyArray<string>
  readonly signature: string
}

const parseAuthorization = (header: string): ParsedAuthorization | SignatureRejected => {
  const algorithm = "AWS4-HMAC-SHA256 "
  if (!header.startsWith(algorithm)) {
    return reject("IncompleteSignatureException", `Unsupported AWS 'algorithm': '${header.split(" ")[0] ?? ""}'.`)
  }
  const params = new Map<string, string>()
  for (const part of header.slice(algorithm.length).split(",")) {
    const eq = part.indexOf("=")
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const credential = params.get("Credential")
  const signedHeaders = params.get("SignedHeaders")
  const signature = params.get("Signature")
  const missing = [
    credential === undefined ? "Authorization header requires 'Credential' parameter." : "",
    signedHeaders === undefined ? "Authorization header requires 'SignedHeaders' parameter." : "",
    signature === undefined ? "Authorization header requires 'Signature' parameter." : ""
  ].filter((s) => s !== "")
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return reject("IncompleteSignatureException", `${missing.join(" ")} Authorization=${algorithm.trim()}`)
  }
  const [accessKeyId, date, region, scopeService, terminator, ...rest] = credential.split("/")
  if (
    accessKeyId === undefined || date === undefined || region === undefined || scopeService === undefined ||
    terminator === undefined || rest.length > 0
  ) {
    return reject(
      "IncompleteSignatureException",
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, " +
        `got '${credential}'`
    )
  }
  return {
    accessKeyId,
    date,
    region,
    service: scopeService,
    terminator,
    signedHeaders: signedHeaders.split(";"),
    signature
  }
}

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The query string as the signer's multi-value record (values decoded; the signer re-encodes canonically). */
const queryRecord = (query: string): Record<string, string | Array<string>> => {
  const out: Record<string, string | Array<string>> = {}
  new URLSearchParams(query).forEach((value, key) => {
    const existing = out[key]
    out[key] = existing === undefined ? value : typeof existing === "string" ? [existing, value] : [...existing, value]
  })
  return out
}

const sha256Hex = (body: Uint8Array): string => createHash("sha256").update(body).digest("hex")

const sameSignature = (a: string, b: string): boolean => {
  const x = new TextEncoder().encode(a)
  const y = new TextEncoder().encode(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** What a verifier checks the scope and the time against. */
interface Expected {
  readonly region: string
  readonly service: string
  readonly maxSkewMillis: number
}

/** The date header's instant, or why it does not match the credential's scope (date, region, service, terminator). */
const checkScope = (
  auth: ParsedAuthorization,
  amzDate: string | undefined,
  expected: Expected
): number | SignatureRejected => {
  if (amzDate === undefined) {
    return reject(
      "IncompleteSignatureException",
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    )
  }
  const signedAt = parseAmzDate(amzDate)
  if (signedAt === undefined) {
    return reject(
      "IncompleteSignatureException",
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`
    )
  }
  if (auth.date !== amzDate.slice(0, 8)) {
    return reject(
      "InvalidSignatureException",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`
    )
  }
  if (auth.region !== expected.region) {
    return reject("InvalidSignatureException", "Credential should be scoped to a valid region.")
  }
  if (auth.service !== expected.service) {
    return reject("InvalidSignatureException", `Credential should be scoped to correct service: '${expected.service}'.`)
  }
  if (auth.terminator !== "aws4_request") {
    return reject("InvalidSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request'.")
  }
  return signedAt
}

/** Whether the signing time lies within the allowed skew of the server's `Clock`. */
const checkTime = (amzDate: string, signedAt: number, maxSkewMillis: number): Effect.Effect<void, SignatureRejected> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    if (signedAt < now - maxSkewMillis) {
      return reject(
        "InvalidSignatureException",
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - maxSkewMillis)} ` +
          `(${formatAmzDate(now)} - ${describeSkew(maxSkewMillis)}.)`,
        now
      )
    }
    if (signedAt > now + maxSkewMillis) {
      return reject(
        "InvalidSignatureException",
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkewMillis)} ` +
          `(${formatAmzDate(now)} + ${describeSkew(maxSkewMillis)}.)`,
        now
      )
    }
    return Effect.void
  })

/** The values of the signed headers (`host` among them), or why the signature cannot match. */
const signedHeaderValues = (
  auth: ParsedAuthorization,
  request: ReceivedHead
): Record<string, string> | SignatureRejected => {
  if (!auth.signedHeaders.includes("host")) {
    return reject(
      "InvalidSignatureException",
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
    )
  }
  const headers: Record<string, string> = {}
  for (const name of auth.signedHeaders) {
    const value = request.headers[name]
    if (value === undefined) return reject("InvalidSignatureException", signatureMismatch)
    headers[name] = value
  }
  return headers
}

/** What the second half of a verification (the body's hash and the signature) needs of the first. */
interface Signed {
  readonly signer: SignatureV4
  readonly request: ReceivedHead
  readonly auth: ParsedAuthorization
  readonly headers: Record<string, string>
  readonly signedAt: number
  readonly contentSha256: string | undefined
}

/** The body's hash (if the client sent one), then the signature recomputed over the request and compared. */
const verifyBody = (signed: Signed, body: Uint8Array): Effect.Effect<Verified, SignatureRejected> =>
  Effect.gen(function*() {
    const { auth, contentSha256, headers, request, signedAt, signer } = signed
    if (contentSha256 !== undefined && contentSha256 !== sha256Hex(body)) {
      return yield* reject(
        "InvalidSignatureException",
        "The provided 'x-amz-content-sha256' header does not match what was computed."
      )
    }
    const queryAt = request.url.indexOf("?")
    const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt)
    const recomputed = yield* Effect.tryPromise({
      try: () =>
        signer.sign({
          method: request.method,
          protocol: "http:",
          hostname: headers["host"] ?? "",
          path: rawPath.split("/").map(decodeSegment).join("/"),
          query: queryRecord(queryAt === -1 ? "" : request.url.slice(queryAt + 1)),
          headers,
          ...(body.length === 0 ? {} : { body })
        }, {
          signingDate: new Date(signedAt),
          signableHeaders: new Set(auth.signedHeaders)
        }),
      catch: () => reject("InvalidSignatureException", signatureMismatch)
    })
    const expected = /Signature=([0-9a-f]+)/.exec(recomputed.headers["authorization"] ?? "")?.[1] ?? ""
    if (!sameSignature(expected, auth.signature)) {
      return yield* reject("InvalidSignatureException", signatureMismatch)
    }
    return { accessKeyId: auth.accessKeyId }
  })

/** The header checks, before the body: authorization, key, scope, time, signed headers, no unsigned payload. */
const authenticateWith = (
  signers: ReadonlyMap<string, SignatureV4>,
  expected: Expected,
  request: ReceivedHead
): Effect.Effect<Authenticated, SignatureRejected> =>
  Effect.gen(function*() {
    const header = request.headers["authorization"]
    if (header === undefined || header === "") {
      return yield* reject("MissingAuthenticationTokenException", "Missing Authentication Token")
    }
    const auth = parseAuthorization(header)
    if (auth instanceof SignatureRejected) return yield* auth
    const signer = signers.get(auth.accessKeyId)
    if (signer === undefined) {
      return yield* reject("UnrecognizedClientException", "The security token included in the request is invalid.")
    }
    const amzDate = request.headers["x-amz-date"]
    const signedAt = checkScope(auth, amzDate, expected)
    if (signedAt instanceof SignatureRejected) return yield* signedAt
    yield* checkTime(amzDate ?? "", signedAt, expected.maxSkewMillis)
    const headers = signedHeaderValues(auth, request)
    if (headers instanceof SignatureRejected) return yield* headers
    const contentSha256 = request.headers["x-amz-content-sha256"]
    // Signed or not, the header would take the body out of the signature (the signer hashes the header's
    // value instead of the body). AWS computes the body's hash itself here, so the signatures differ.
    if (contentSha256 === "UNSIGNED-PAYLOAD") return yield* reject("InvalidSignatureException", signatureMismatch)
    const signed: Signed = { signer, request, auth, headers, signedAt, contentSha256 }
    return { accessKeyId: auth.accessKeyId, verifyBody: (body: Uint8Array) => verifyBody(signed, body) }
  })

/** A verifier for the given key pairs and region, judging time by `Clock`. */
export const make = (options: Options): Verifier => {
  const expected: Expected = {
    region: options.region,
    service: options.service ?? service,
    maxSkewMillis: Duration.toMillis(Duration.decode(options.maxSkew ?? Duration.minutes(5)))
  }
  const sha256 = Hash.bind(null, "sha256")
  // One signer per key pair (it caches derived signing keys). Only the verifier unwraps the secrets.
  const signers = new Map(options.credentials.map((c) => {
    const identity = { accessKeyId: c.accessKeyId, secretAccessKey: Redacted.value(c.secretAccessKey) }
    const signer = new SignatureV4({
      credentials: () => Promise.resolve(identity),
      region: options.region,
      service: expected.service,
      sha256,
      // The header is added by the client or not at all: the server must not invent it.
      applyChecksum: false,
      uriEscapePath: true
    })
    return [c.accessKeyId, signer] as const
  }))
  const authenticate = (request: ReceivedHead) => authenticateWith(signers, expected, request)
  const verify = (request: ReceivedRequest): Effect.Effect<Verified, SignatureRejected> =>
    Effect.flatMap(authenticate(request), (authenticated) => authenticated.verifyBody(request.body))
  return Object.assign(verify, { authenticate })
}
