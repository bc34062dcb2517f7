/**
 * Our client against botocore 1.43.107 (the fixture `fixtures/botocore-requests.json`, recorded by
 * `scripts/record-botocore.py`): for every recorded input of all 38 operations, the client (over a fake
 * HttpClient that records what it is given, at the fixture's signing time, with the fixture's keys) must send
 * what botocore sent: method, path, query parameters (each one percent-encoded byte for byte), the parsed JSON
 * body (members in the same order), and a signature botocore would have computed.
 *
 * Signatures: botocore signs `content-type;host;x-amz-date`; we also sign `x-amz-content-sha256`, the
 * invocation id, `amz-sdk-request`, `x-amz-user-agent` and `content-length`, as the JS SDK does, and botocore
 * writes JSON with `", "`/`": "` separators and `\u` escapes. So the signatures are compared by signing with
 * our signer (src/SigV4.ts):
 * - botocore's exact request (its request line, its signed headers, its body bytes) must give botocore's
 *   Authorization: our signer computes what botocore computes;
 * - our request line and our values of botocore's signed headers (with botocore's body bytes, when there is a
 *   body) must give it too: for GET and DELETE this is our request itself, signed as botocore signs;
 * - our exact request (every header we signed, our body bytes) must give our own Authorization.
 * And our body bytes are botocore's JSON written compactly (`JSON.stringify(JSON.parse(botocore))`).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import { Effect, Either, Layer, Ref, Schema, TestClock } from "effect"
import { readFileSync } from "node:fs"
import * as AwsCredentials from "../src/AwsCredentials.js"
import * as SigV4 from "../src/SigV4.js"
import * as SocialMessaging from "../src/SocialMessaging.js"
import { fixture, type Recorded } from "./support/BotocoreFixture.js"
import { wireCallOf } from "./support/WireCalls.js"

// =============================================================================
// Our client, as botocore was configured
// =============================================================================

const signingTime = Date.parse(fixture.signingDate)
const credentials = AwsCredentials.makeCredentials({
  accessKeyId: fixture.accessKeyId,
  secretAccessKey: fixture.secretAccessKey
})

/** What our client handed the transport. */
interface Sent {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

const bodyBytes = (body: HttpClientRequest.HttpClientRequest["body"]): Uint8Array | undefined =>
  body._tag === "Uint8Array" ? body.body : undefined

/** The service over a transport that records each request and answers `{}`. */
const recording = Effect.gen(function*() {
  const sent = yield* Ref.make<ReadonlyArray<Sent>>([])
  const transport = HttpClient.make((request, url) =>
    Ref.update(sent, (all) => [...all, {
      method: request.method,
      url,
      headers: { ...request.headers },
      body: bodyBytes(request.body)
    }]).pipe(
      Effect.as(HttpClientResponse.fromWeb(
        request,
        new Response("{}", { status: 200, headers: { "content-type": "application/json" } })
      ))
    )
  )
  const service = yield* Effect.provide(
    SocialMessaging.SocialMessaging,
    SocialMessaging.layer({ region: fixture.region, maxAttempts: 1 }).pipe(
      Layer.provide([AwsCredentials.layerStatic(credentials), Layer.succeed(HttpClient.HttpClient, transport)]),
      Layer.orDie
    )
  )
  return { service, sent }
})

// =============================================================================
// Comparing
// =============================================================================

/** `SignedHeaders=` of an Authorization header. */
const signedHeaders = (authorization: string | undefined): ReadonlyArray<string> =>
  /SignedHeaders=([^,]+)/.exec(authorization ?? "")?.[1]?.split(";") ?? []

/** The raw `name=value` parameters of a query string, sorted (botocore writes model order, we write name order). */
const rawParameters = (rawQuery: string): ReadonlyArray<string> => rawQuery === "" ? [] : rawQuery.split("&").sort()

const rawQueryOf = (url: URL): string => url.search.replace(/^\?/, "")

const JsonText = Schema.parseJson()
const utf8 = new TextDecoder()

/** Signs with our signer at the fixture's time, as botocore signs (no `x-amz-content-sha256`), or as we do. */
const signAt = (request: SigV4.SignableRequest, applyChecksum: boolean) =>
  Effect.zipRight(
    TestClock.setTime(signingTime),
    SigV4.sign(request, { credentials, region: fixture.region, applyChecksum })
  )

/** `names` of `headers` that are there (`host` left to the signer, which takes it from the URL). */
const pick = (headers: Readonly<Record<string, string>>, names: ReadonlyArray<string>): Record<string, string> =>
  Object.fromEntries(names.flatMap((name) => {
    const value = headers[name]
    return name === "host" || value === undefined ? [] : [[name, value] as const]
  }))

/**
 * AssociateWhatsAppBusinessAccount takes exactly one step (and in step 2 `waba` or `phoneNumberParent`): the
 * API docs' rule, which the model does not encode and our input schema adds (overrides). botocore's minimal
 * input has no step and its full one both (and both of step 2's alternatives): the client refuses them before
 * anything is sent. The operation's requests are compared with the JS SDK's in Differential.test.ts.
 */
const refusedByDesign = (operation: string) => operation === "AssociateWhatsAppBusinessAccount"

const compare = (record: (typeof fixture.requests)[number]) =>
  Effect.gen(function*() {
    const theirs: Recorded = record.request
    const { sent, service } = yield* recording
    yield* TestClock.setTime(signingTime)
    const call = wireCallOf(record.operation)
    if (refusedByDesign(record.operation)) {
      const refused = yield* Effect.flip(call.callUnchecked(service, record.input))
      assert.strictEqual(refused._tag, "RequestValidationError")
      assert.deepStrictEqual(yield* Ref.get(sent), [], "nothing sent")
      return
    }
    const result = yield* Effect.either(call.call(service, record.input))
    const requests = yield* Ref.get(sent)
    // The canned `{}` may not hold an operation's required output members; only the request matters here.
    if (Either.isLeft(result)) assert.notStrictEqual(result.left._tag, "RequestValidationError", String(result.left))
    assert.strictEqual(requests.length, 1, "one request")
    const ours = requests[0]
    if (ours === undefined) return

    // Request line.
    const theirUrl = new URL(theirs.url)
    assert.strictEqual(ours.method, theirs.method, "method")
    assert.strictEqual(ours.url.origin, theirUrl.origin, "endpoint")
    assert.strictEqual(ours.url.pathname, theirs.path, "path")
    assert.deepStrictEqual(rawParameters(rawQueryOf(ours.url)), rawParameters(theirs.rawQuery), "query, raw")
    assert.deepStrictEqual(
      [...ours.url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      [...theirs.query].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      "query, decoded"
    )

    // Headers botocore sets on its own (the dropped unstable ones aside).
    assert.strictEqual(ours.headers["content-type"], theirs.headers["content-type"], "content-type")
    assert.strictEqual(ours.headers["x-amz-date"], theirs.headers["x-amz-date"], "x-amz-date")

    // Body.
    if (theirs.body === null) {
      assert.isUndefined(ours.body, "no body")
    } else {
      if (ours.body === undefined) return assert.fail("expected a body")
      const ourText = utf8.decode(ours.body)
      const parsed = yield* Schema.decodeUnknown(JsonText)(theirs.body)
      expect(yield* Schema.decodeUnknown(JsonText)(ourText), "parsed body").toStrictEqual(parsed)
      // Member order included: same text once botocore's separators and escapes are undone.
      assert.strictEqual(ourText, JSON.stringify(parsed), "body, compact")
      assert.strictEqual(ours.headers["content-length"], String(ours.body.byteLength))
    }

    // Signatures.
    const botocoreSigned = signedHeaders(theirs.headers["authorization"])
    const resigned = yield* signAt({
      method: theirs.method,
      url: theirs.url,
      headers: pick(theirs.headers, botocoreSigned),
      body: theirs.body ?? undefined
    }, false)
    assert.strictEqual(resigned["authorization"], theirs.headers["authorization"], "botocore's request, re-signed")

    const ourLine = yield* signAt({
      method: ours.method,
      url: ours.url,
      headers: pick({ ...ours.headers, host: ours.url.host }, botocoreSigned),
      body: theirs.body ?? undefined
    }, false)
    assert.strictEqual(ourLine["authorization"], theirs.headers["authorization"], "our request, signed as botocore")

    const ourSigned = signedHeaders(ours.headers["authorization"])
    assert.includeMembers([...ourSigned], [...botocoreSigned], "we sign what botocore signs, and more")
    const own = yield* signAt({
      method: ours.method,
      url: ours.url,
      headers: pick(ours.headers, ourSigned),
      body: ours.body
    }, true)
    assert.strictEqual(own["authorization"], ours.headers["authorization"], "our own signature")
  })

// =============================================================================
// Invalid input: nothing is sent
// =============================================================================

const Model = Schema.Struct({
  operations: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ input: Schema.Struct({ shape: Schema.String }) })
  }),
  shapes: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ required: Schema.optional(Schema.Array(Schema.String)) })
  })
})

/** The newest botocore model (the domain's generator input), as the oracle for required members. */
const model = Schema.decodeUnknownSync(Schema.parseJson(Model))(
  readFileSync(
    new URL("../../domain/model/botocore-1.43.107-socialmessaging-2024-01-01.service-2.json", import.meta.url),
    "utf8"
  )
)

const requiredMembers = (operation: string): ReadonlyArray<string> => {
  const input = model.operations[operation]?.input.shape
  return (input === undefined ? undefined : model.shapes[input]?.required) ?? []
}

/**
 * For each operation, botocore's full input with every required top-level member removed and, where the
 * operation has one, `maxResults` above its range (ListLinkedWhatsAppBusinessAccounts has no required member;
 * AssociateWhatsAppBusinessAccount none either, but its full input breaks the docs' one-step rule).
 */
const invalidInput = (operation: string): { readonly wire: unknown; readonly paths: ReadonlyArray<string> } => {
  const full = fixture.requests.find((r) => r.operation === operation && r.case === "full")?.input ?? {}
  const required = requiredMembers(operation)
  const wire: Record<string, unknown> = Object.fromEntries(
    Object.entries(full).filter(([member]) => !required.includes(member))
  )
  const paths = [...required]
  if ("maxResults" in full) {
    wire["maxResults"] = 101
    paths.push("maxResults")
  }
  return { wire, paths }
}

// =============================================================================
// Tests
// =============================================================================

describe("our client sends what botocore 1.43.107 sends", () => {
  it("the fixture covers all 38 operations, a minimal and a full input each", () => {
    expect(fixture.botocore).toBe("1.43.107")
    expect(new Set(fixture.requests.map((r) => `${r.operation}/${r.case}`)).size).toBe(76)
    expect(new Set(fixture.requests.map((r) => r.operation))).toEqual(new Set(Operations.operationNames))
    // The client never sends what botocore's record drops before signing, except the three it does send.
    expect(fixture.droppedHeaders).toEqual(["amz-sdk-invocation-id", "amz-sdk-request", "user-agent"])
  })

  for (const record of fixture.requests) {
    it.effect(`${record.operation} (${record.case} input)`, () => compare(record))
  }
})

describe("an input outside the model is refused at its paths, nothing sent", () => {
  for (const operation of Operations.operationNames) {
    const { paths, wire } = invalidInput(operation)
    it.effect(`${operation}: ${paths.length === 0 ? "both steps at once" : paths.join(", ")}`, () =>
      Effect.gen(function*() {
        const { sent, service } = yield* recording
        const result = yield* Effect.either(wireCallOf(operation).callUnchecked(service, wire))
        assert.deepStrictEqual(yield* Ref.get(sent), [], "nothing reached the transport")
        if (Either.isRight(result)) return assert.fail("accepted")
        const error = result.left
        if (error._tag !== "RequestValidationError") return assert.fail(`expected a validation error: ${error._tag}`)
        assert.strictEqual(error.operation, operation)
        if (paths.length > 0) {
          expect(error.violations.map((v) => v.path).sort()).toEqual([...paths].sort())
          for (const violation of error.violations.filter((v) => requiredMembers(operation).includes(v.path))) {
            expect(violation.message).toBe("is missing")
          }
        } else {
          assert.isAbove(error.violations.length, 0)
        }
      }))
  }
})
