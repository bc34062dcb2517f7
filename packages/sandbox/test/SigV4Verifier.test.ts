import { assert, describe, it } from "@effect/vitest"
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as SigV4Verifier from "@social-messaging/sandbox/SigV4Verifier"
import { Clock, Effect, Redacted, TestClock } from "effect"

const encoder = new TextEncoder()

// AWS's SigV4 test suite (aws-sig-v4-test-suite): key pair, scope and the expected signatures.
const example = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: Redacted.make("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
}
const exampleVerifier = SigV4Verifier.make({
  credentials: [example],
  region: "us-east-1",
  service: "service",
  maxSkew: "1 hour"
})
const exampleRequest = (url: string, signature: string): SigV4Verifier.ReceivedRequest => ({
  method: "GET",
  url,
  headers: {
    host: "example.amazonaws.com",
    "x-amz-date": "20150830T123600Z",
    authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
      `SignedHeaders=host;x-amz-date, Signature=${signature}`
  },
  body: new Uint8Array()
})

/** Signs a request to the sandbox with AWS's signer at `Clock` time plus `offsetMillis`. */
const signed = (offsetMillis: number, body = "{}") =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: SigV4Verifier.defaultCredentials.accessKeyId,
        secretAccessKey: Redacted.value(SigV4Verifier.defaultCredentials.secretAccessKey)
      },
      region: "us-east-1",
      service: "social-messaging",
      sha256: Hash.bind(null, "sha256"),
      applyChecksum: false
    })
    const request = yield* Effect.orDie(Effect.tryPromise(() =>
      signer.sign({
        method: "POST",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: 8080,
        path: "/v1/tags/tag-resource",
        query: {},
        headers: { host: "127.0.0.1:8080", "content-type": "application/json" },
        body
      }, { signingDate: new Date(now + offsetMillis) })
    ))
    return {
      method: "POST",
      url: "/v1/tags/tag-resource",
      headers: request.headers,
      body: encoder.encode(body)
    } satisfies SigV4Verifier.ReceivedRequest
  })

const verifier = SigV4Verifier.make({ credentials: [SigV4Verifier.defaultCredentials], region: "us-east-1" })

describe("SigV4Verifier", () => {
  it.effect("verifies AWS's published test vectors (get-vanilla, get-vanilla-query-order-key-case)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2015, 7, 30, 12, 36, 0))
      const vanilla = yield* exampleVerifier(
        exampleRequest("/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
      )
      assert.deepStrictEqual(vanilla, { accessKeyId: "AKIDEXAMPLE" })
      yield* exampleVerifier(
        exampleRequest(
          "/?Param2=value2&Param1=value1",
          "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        )
      )
      const wrong = yield* Effect.flip(
        exampleVerifier(
          exampleRequest("/?Param2=value2", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        )
      )
      assert.strictEqual(wrong.errorType, "InvalidSignatureException")
    }))

  it.effect("accepts up to 5 minutes of skew either way", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1, 0, 10, 0))
      for (const offset of [-5 * 60_000, 0, 5 * 60_000]) {
        assert.deepStrictEqual(yield* verifier(yield* signed(offset)), {
          accessKeyId: SigV4Verifier.defaultCredentials.accessKeyId
        })
      }
    }))

  it.effect("words an expired signature as AWS does and reports the server's time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1, 0, 10, 0))
      const request = yield* signed(-6 * 60_000)
      const rejected = yield* Effect.flip(verifier(request))
      assert.strictEqual(rejected.errorType, "InvalidSignatureException")
      assert.strictEqual(rejected.status, 403)
      assert.strictEqual(
        rejected.message,
        "Signature expired: 20240101T000400Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)"
      )
      assert.strictEqual(rejected.serverDate, Date.UTC(2024, 0, 1, 0, 10, 0))
    }))

  it.effect("words a signature from the future as AWS does", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1, 0, 10, 0))
      const rejected = yield* Effect.flip(verifier(yield* signed(6 * 60_000)))
      assert.strictEqual(
        rejected.message,
        "Signature not yet current: 20240101T001600Z is still later than 20240101T001500Z (20240101T001000Z + 5 min.)"
      )
    }))

  it.effect("goes stale as the clock moves on (TestClock)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1))
      const request = yield* signed(0)
      yield* verifier(request)
      yield* TestClock.adjust("5 minutes")
      yield* verifier(request)
      yield* TestClock.adjust("1 second")
      assert.match((yield* Effect.flip(verifier(request))).message, /^Signature expired/)
    }))

  it.effect("honours a configured skew", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1, 0, 10, 0))
      const strict = SigV4Verifier.make({
        credentials: [SigV4Verifier.defaultCredentials],
        region: "us-east-1",
        maxSkew: "90 seconds"
      })
      const rejected = yield* Effect.flip(strict(yield* signed(-2 * 60_000)))
      assert.match(rejected.message, /\(20240101T001000Z - 90 sec\.\)$/)
    }))

  it.effect("classifies malformed headers as IncompleteSignatureException (400)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1))
      const request = yield* signed(0)
      const withAuthorization = (authorization: string) =>
        Effect.flip(verifier({ ...request, headers: { ...request.headers, authorization } }))
      const noSignature = yield* withAuthorization(
        "AWS4-HMAC-SHA256 Credential=AKIASANDBOX000000001/20240101/us-east-1/social-messaging/aws4_request, " +
          "SignedHeaders=host"
      )
      assert.strictEqual(noSignature.errorType, "IncompleteSignatureException")
      assert.strictEqual(noSignature.status, 400)
      assert.match(noSignature.message, /requires 'Signature' parameter/)
      const shortScope = yield* withAuthorization(
        "AWS4-HMAC-SHA256 Credential=AKIASANDBOX000000001/20240101, SignedHeaders=host, Signature=00"
      )
      assert.match(shortScope.message, /exactly 5 slash-delimited elements/)
      const { "x-amz-date": _date, ...withoutDate } = request.headers
      const noDate = yield* Effect.flip(verifier({ ...request, headers: withoutDate }))
      assert.strictEqual(noDate.errorType, "IncompleteSignatureException")
    }))

  it.effect("requires host among the signed headers and every signed header present", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1))
      const request = yield* signed(0)
      const authorization = request.headers["authorization"] ?? ""
      const noHost = yield* Effect.flip(verifier({
        ...request,
        headers: {
          ...request.headers,
          authorization: authorization.replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;")
        }
      }))
      assert.match(noHost.message, /'Host' or ':authority' must be a 'SignedHeader'/)
      const { "content-type": _type, ...withoutType } = request.headers
      const missing = yield* Effect.flip(verifier({ ...request, headers: withoutType }))
      assert.strictEqual(missing.errorType, "InvalidSignatureException")
    }))
})
