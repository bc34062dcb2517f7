/**
 * What the two differential suites (Differential.test.ts: the nine association operations; DifferentialAll.test.ts:
 * the SDK's other 22) share: the signing time and key pairs both clients use, running a call through each client
 * against the capture server, comparing the requests they sent, and what each made of an error answer.
 */
import type { SocialMessagingClient } from "@aws-sdk/client-socialmessaging"
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import { Effect, type Layer, Predicate, Random, TestClock } from "effect"
import * as SocialMessaging from "../../src/SocialMessaging.js"
import type * as CaptureServer from "./CaptureServer.js"
import { ourLayer, sdkClient, sdkSend, type TestCredentials, userAgent } from "./Clients.js"

// =============================================================================
// Fixed inputs of both clients
// =============================================================================

export const SIGNING_TIME = Date.UTC(2025, 2, 14, 15, 9, 26) // 20250314T150926Z

export const longTerm: TestCredentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
}
export const temporary: TestCredentials = {
  accessKeyId: "ASIAEXAMPLETEMPORARY",
  secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJIMEYCIQD+session/token=="
}
export const credentialVariants = [
  { label: "long-term keys", credentials: longTerm },
  { label: "session token", credentials: temporary }
] as const

// =============================================================================
// Running a call through each client
// =============================================================================

/** Our client, with the signing time and an invocation id drawn from `Random` seeded with `seed`. */
export const runOursWith = (seed: string) =>
<A, E>(
  endpoint: string,
  credentials: TestCredentials,
  call: (service: SocialMessaging.Service) => Effect.Effect<A, E>,
  transport?: Layer.Layer<HttpClient.HttpClient>
) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(SIGNING_TIME)
    const service = yield* SocialMessaging.SocialMessaging
    return yield* Effect.either(call(service))
  }).pipe(Effect.provide(ourLayer(endpoint, credentials, transport)), Effect.withRandom(Random.make(seed)))

/** The SDK, with the same signing time, invocation id and user agent. */
export const runSdk = (
  endpoint: string,
  credentials: TestCredentials,
  invocationId: string,
  call: (client: SocialMessagingClient) => Promise<unknown>
) =>
  Effect.scoped(
    Effect.flatMap(
      sdkClient({ endpoint, credentials, signingTime: SIGNING_TIME, invocationId }),
      (client) => Effect.either(sdkSend(() => call(client)))
    )
  )

/** The one request a client sent. */
export const onlyRequest = (server: CaptureServer.Service) =>
  Effect.map(server.requests, (requests) => {
    assert.strictEqual(requests.length, 1, "exactly one request per call (maxAttempts: 1)")
    const [request] = requests
    assert.isDefined(request)
    return request
  })

// =============================================================================
// Comparing
// =============================================================================

/** `a=1&b=%20` → `[["a","1"],["b"," "]]`, in wire order, percent-decoded (and `+` kept: it is not a space). */
export const decodeQuery = (raw: string): ReadonlyArray<readonly [string, string]> =>
  raw === "" ? [] : raw.split("&").map((pair) => {
    const eq = pair.indexOf("=")
    return eq < 0
      ? [decodeURIComponent(pair), ""] as const
      : [decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))] as const
  })

/** The `SignedHeaders=` list of an Authorization header. */
export const signedHeaders = (authorization: string | undefined): ReadonlyArray<string> =>
  /SignedHeaders=([^,]+)/.exec(authorization ?? "")?.[1]?.split(";") ?? []

export const utf8 = new TextDecoder()

/** The same bytes on the wire: method, path, query, body, every header, the signature. */
export const assertSameRequest = (ours: CaptureServer.Captured, sdk: CaptureServer.Captured) => {
  assert.strictEqual(ours.method, sdk.method, "method")
  assert.strictEqual(ours.path, sdk.path, "path")
  assert.strictEqual(ours.rawQuery, sdk.rawQuery, "raw query string")
  assert.deepStrictEqual(decodeQuery(ours.rawQuery), decodeQuery(sdk.rawQuery), "decoded query")
  assert.strictEqual(utf8.decode(ours.body), utf8.decode(sdk.body), "body text")
  assert.isTrue(Buffer.from(ours.body).equals(Buffer.from(sdk.body)), "body bytes")

  const oursSigned = signedHeaders(ours.headers["authorization"])
  assert.deepStrictEqual(oursSigned, signedHeaders(sdk.headers["authorization"]), "signed header set")
  assert.include(oursSigned, "host")
  assert.include(oursSigned, "x-amz-date")
  for (const name of oursSigned) assert.strictEqual(ours.headers[name], sdk.headers[name], `signed header ${name}`)
  assert.strictEqual(ours.headers["authorization"], sdk.headers["authorization"], "Authorization (signature)")

  for (const name of ["amz-sdk-request", "content-type", "content-length", "x-amz-security-token"]) {
    assert.strictEqual(ours.headers[name], sdk.headers[name], name)
  }
  assert.strictEqual(ours.headers["amz-sdk-request"], "attempt=1; max=1")
  // Not one header more or less (the transports' own `host` and `connection` included).
  assert.deepStrictEqual(Object.keys(ours.headers).sort(), Object.keys(sdk.headers).sort(), "header names")
  // The one normalised difference: our user agent, which the SDK was made to send.
  assert.strictEqual(ours.headers["user-agent"], userAgent)
  assert.strictEqual(ours.headers["x-amz-user-agent"], userAgent)
}

// =============================================================================
// Error answers
// =============================================================================

/** What a client made of an error answer: the name and the carried message and request id. */
export interface ErrorView {
  readonly name: string
  readonly message: string | undefined
  readonly requestId: string | undefined
}

export const ourErrorView = (error: Errors.SocialMessagingError): ErrorView => {
  switch (error._tag) {
    case "UnknownServiceError":
      return { name: error.errorType, message: error.awsMessage, requestId: error.requestId }
    case "MalformedResponse":
      return { name: error._tag, message: undefined, requestId: error.requestId }
    case "AccessDeniedByMetaException":
    case "AccessDeniedException":
    case "DependencyException":
    case "InternalServiceException":
    case "InvalidParametersException":
    case "LimitExceededException":
    case "ResourceNotFoundException":
    case "ThrottledRequestException":
    case "ValidationException":
      // An absent `message` field reads as "" on the Error.
      return { name: error._tag, message: error.message === "" ? undefined : error.message, requestId: error.requestId }
    default:
      return { name: error._tag, message: undefined, requestId: undefined }
  }
}

export const sdkErrorView = (error: unknown): ErrorView => {
  const metadata = Predicate.hasProperty(error, "$metadata") ? error.$metadata : undefined
  const rid = Predicate.hasProperty(metadata, "requestId") && typeof metadata.requestId === "string"
    ? metadata.requestId
    : undefined
  const message = error instanceof Error ? error.message : undefined
  return {
    name: error instanceof Error ? error.name : String(error),
    // The SDK fills a missing message with "UnknownError"; we leave it absent.
    message: message === "UnknownError" ? undefined : message,
    requestId: rid
  }
}
