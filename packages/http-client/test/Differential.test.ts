/**
 * Differential tests: our client and AWS's own SDK (`@aws-sdk/client-socialmessaging`) send the same calls to
 * a loopback capture server, with the same credentials (with and without a session token), signing time and
 * invocation id, and must put the same bytes on the wire: method, path, query (raw and decoded), body,
 * signed header set and signature. Then both read the same recorded error answers and must name them alike,
 * except where a difference is deliberate (listed in `fixtures/responses.ts` with the reason).
 *
 * What is normalised, and why (see `support/Clients.ts`): the SDK announces its own user agent; a middleware
 * that runs just before its signer makes it send ours (`x-amz-user-agent` is signed), and the invocation id
 * our client drew from its seeded `Random`. Nothing else of the SDK's request is touched.
 */
import {
  AssociateWhatsAppBusinessAccountCommand,
  type AssociateWhatsAppBusinessAccountCommandInput,
  DisassociateWhatsAppBusinessAccountCommand,
  type DisassociateWhatsAppBusinessAccountCommandInput,
  GetLinkedWhatsAppBusinessAccountCommand,
  type GetLinkedWhatsAppBusinessAccountCommandInput,
  GetLinkedWhatsAppBusinessAccountPhoneNumberCommand,
  type GetLinkedWhatsAppBusinessAccountPhoneNumberCommandInput,
  ListLinkedWhatsAppBusinessAccountsCommand,
  type ListLinkedWhatsAppBusinessAccountsCommandInput,
  ListTagsForResourceCommand,
  type ListTagsForResourceCommandInput,
  PutWhatsAppBusinessAccountEventDestinationsCommand,
  type PutWhatsAppBusinessAccountEventDestinationsCommandInput,
  type SocialMessagingClient,
  TagResourceCommand,
  type TagResourceCommandInput,
  UntagResourceCommand,
  type UntagResourceCommandInput
} from "@aws-sdk/client-socialmessaging"
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, layer } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"
import * as Operations from "@social-messaging/domain/Operations"
import { Chunk, Effect, Either, type Layer, Predicate, Redacted, Schema, Stream, Tracer } from "effect"
import type * as SocialMessaging from "../src/SocialMessaging.js"
import { type ErrorFixture, errorFixtures, phoneArn, requestId, successBodies, wabaArn } from "./fixtures/responses.js"
import * as CaptureServer from "./support/CaptureServer.js"
import { type TestCredentials, transports } from "./support/Clients.js"
import {
  assertSameRequest,
  credentialVariants,
  decodeQuery,
  longTerm,
  onlyRequest,
  ourErrorView,
  runOursWith,
  runSdk,
  sdkErrorView,
  temporary
} from "./support/Differential.js"

// =============================================================================
// Fixed inputs of both clients
// =============================================================================

const SEED = "differential"
const runOurs = runOursWith(SEED)

const wabaId = "waba-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
const phoneNumberId = "phone-number-id-45c1973a7577"
const topicArn = "arn:aws:sns:us-east-1:123456789012:whatsapp-events"
const roleArn = "arn:aws:iam::123456789012:role/SocialMessagingEvents"

// =============================================================================
// Cases: one wire-form input, sent by both clients
// =============================================================================

/** One call, as both clients make it. */
interface Case {
  readonly name: string
  readonly operation: Operations.OperationInfo
  /** Ours: the input decoded with our schema (Redacted secrets, brands), sent, the output encoded back. */
  readonly ours: (service: SocialMessaging.Service) => Effect.Effect<unknown, Errors.SocialMessagingError>
  readonly sdk: (client: SocialMessagingClient) => Promise<unknown>
  /** The query the input must put on the wire, decoded, sorted by name. */
  readonly expectedQuery: ReadonlyArray<readonly [string, string]>
}

/**
 * Cases of one operation. The input is written once, in wire form typed as the SDK's command input; our
 * side decodes it with the operation's own input schema (which also proves that the schemas accept what the
 * SDK accepts).
 */
const caseOf = <I, IE, O, OE, K extends Errors.AwsErrorName, SdkInput>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  method: (service: SocialMessaging.Service) => (input: I) => Effect.Effect<O, Errors.SocialMessagingError>,
  send: (client: SocialMessagingClient, input: SdkInput) => Promise<unknown>
) =>
(name: string, input: SdkInput): Case => ({
  name: `${operation.name}: ${name}`,
  operation,
  ours: (service) =>
    Schema.decodeUnknown(operation.input, Operations.validationOptions)(input).pipe(
      Effect.orDie,
      Effect.flatMap(method(service)),
      Effect.flatMap((output) => Effect.orDie(Schema.encode(operation.output)(output)))
    ),
  sdk: (client) => send(client, input),
  expectedQuery: operation.query.flatMap(({ member, name }) =>
    Predicate.hasProperty(input, member) && input[member] !== undefined ? [[name, String(input[member])] as const] : []
  ).sort(([a], [b]) => (a < b ? -1 : 1))
})

const associate = caseOf(
  Operations.AssociateWhatsAppBusinessAccount,
  (s) => s.associateWhatsAppBusinessAccount,
  (c, input: AssociateWhatsAppBusinessAccountCommandInput) => c.send(new AssociateWhatsAppBusinessAccountCommand(input))
)
const disassociate = caseOf(
  Operations.DisassociateWhatsAppBusinessAccount,
  (s) => s.disassociateWhatsAppBusinessAccount,
  (c, input: DisassociateWhatsAppBusinessAccountCommandInput) =>
    c.send(new DisassociateWhatsAppBusinessAccountCommand(input))
)
const getAccount = caseOf(
  Operations.GetLinkedWhatsAppBusinessAccount,
  (s) => s.getLinkedWhatsAppBusinessAccount,
  (c, input: GetLinkedWhatsAppBusinessAccountCommandInput) => c.send(new GetLinkedWhatsAppBusinessAccountCommand(input))
)
const listAccounts = caseOf(
  Operations.ListLinkedWhatsAppBusinessAccounts,
  (s) => s.listLinkedWhatsAppBusinessAccounts,
  (c, input: ListLinkedWhatsAppBusinessAccountsCommandInput) =>
    c.send(new ListLinkedWhatsAppBusinessAccountsCommand(input))
)
const getPhoneNumber = caseOf(
  Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber,
  (s) => s.getLinkedWhatsAppBusinessAccountPhoneNumber,
  (c, input: GetLinkedWhatsAppBusinessAccountPhoneNumberCommandInput) =>
    c.send(new GetLinkedWhatsAppBusinessAccountPhoneNumberCommand(input))
)
const putDestinations = caseOf(
  Operations.PutWhatsAppBusinessAccountEventDestinations,
  (s) => s.putWhatsAppBusinessAccountEventDestinations,
  (c, input: PutWhatsAppBusinessAccountEventDestinationsCommandInput) =>
    c.send(new PutWhatsAppBusinessAccountEventDestinationsCommand(input))
)
const tag = caseOf(
  Operations.TagResource,
  (s) => s.tagResource,
  (c, input: TagResourceCommandInput) => c.send(new TagResourceCommand(input))
)
const untag = caseOf(
  Operations.UntagResource,
  (s) => s.untagResource,
  (c, input: UntagResourceCommandInput) => c.send(new UntagResourceCommand(input))
)
const listTags = caseOf(
  Operations.ListTagsForResource,
  (s) => s.listTagsForResource,
  (c, input: ListTagsForResourceCommandInput) => c.send(new ListTagsForResourceCommand(input))
)

const punctuation = "a value with !'()* and spaces"
const unicodeTags = [
  { key: "café", value: "crème brûlée" },
  { key: "emoji 🎉", value: "🚀👩‍💻 naïve Ångström" },
  { key: "日本語", value: "値" }
]

const cases: ReadonlyArray<Case> = [
  // --- AssociateWhatsAppBusinessAccount: step 1 -------------------------------------------------
  associate("step 1, access token only", { signupCallback: { accessToken: "EAAGm0PX4ZCpsBAMetaAccessToken" } }),
  associate("step 1, with callbackUrl", {
    signupCallback: { callbackUrl: "https://example.com/whatsapp/callback?x=1&y=é", accessToken: "EAAG+/=token" }
  }),
  // --- step 2, waba variant ----------------------------------------------------------------------
  associate("step 2 (waba), full, members given out of model order", {
    setupFinalization: {
      waba: {
        tags: [{ value: "Équipe", key: "team" }],
        eventDestinations: [{ roleArn, eventDestinationArn: topicArn }],
        id: "123456789012345"
      },
      phoneNumbers: [{
        tags: unicodeTags,
        dataLocalizationRegion: "DE",
        twoFactorPin: "123456",
        id: "109876543210987"
      }],
      associateInProgressToken: "in-progress-token-1"
    }
  }),
  associate("step 2 (waba), empty tag and destination lists", {
    setupFinalization: {
      associateInProgressToken: "in-progress-token-2",
      phoneNumbers: [{ id: "109876543210987", twoFactorPin: "000000", tags: [] }],
      waba: { id: "123456789012345", eventDestinations: [], tags: [] }
    }
  }),
  associate("step 2 (waba omitted), two numbers", {
    setupFinalization: {
      associateInProgressToken: "in-progress-token-3",
      phoneNumbers: [
        { id: "109876543210987", twoFactorPin: "1" },
        { id: "209876543210987", twoFactorPin: "654321", dataLocalizationRegion: "IN", tags: [{ key: punctuation }] }
      ]
    }
  }),
  // --- step 2, phoneNumberParent variant --------------------------------------------------------
  associate("step 2 (phoneNumberParent as waba id)", {
    setupFinalization: {
      associateInProgressToken: "in-progress-token-4",
      phoneNumbers: [{ id: "309876543210987", twoFactorPin: "112233" }],
      phoneNumberParent: wabaId
    }
  }),
  associate("step 2 (phoneNumberParent as ARN), tagged number", {
    setupFinalization: {
      phoneNumberParent: wabaArn,
      phoneNumbers: [{ id: "409876543210987", twoFactorPin: "445566", tags: [{ key: "k", value: punctuation }] }],
      associateInProgressToken: "in-progress-token-5"
    }
  }),
  // --- DisassociateWhatsAppBusinessAccount --------------------------------------------------------
  disassociate("waba id", { id: wabaId }),
  disassociate("ARN in the query (`:` and `/`)", { id: wabaArn }),
  // --- GetLinkedWhatsAppBusinessAccount -----------------------------------------------------------
  getAccount("waba id", { id: wabaId }),
  getAccount("ARN in the query", { id: wabaArn }),
  // --- ListLinkedWhatsAppBusinessAccounts ---------------------------------------------------------
  listAccounts("no parameters", {}),
  listAccounts("maxResults only", { maxResults: 25 }),
  listAccounts("nextToken only, with + / =", { nextToken: "eyJvZmZzZXQiOjJ9+/==" }),
  listAccounts("nextToken and maxResults", { maxResults: 100, nextToken: "a+b/c=d e%f&g=h?i#j" }),
  listAccounts("a 600-character token", { nextToken: "Zm9v+/=".repeat(85) + "abcde", maxResults: 1 }),
  // --- GetLinkedWhatsAppBusinessAccountPhoneNumber ------------------------------------------------
  getPhoneNumber("phone number id", { id: phoneNumberId }),
  getPhoneNumber("phone number ARN", { id: phoneArn }),
  // --- PutWhatsAppBusinessAccountEventDestinations ------------------------------------------------
  putDestinations("destination with role", {
    id: wabaId,
    eventDestinations: [{ eventDestinationArn: topicArn, roleArn }]
  }),
  putDestinations("destination without role, id as ARN", {
    eventDestinations: [{ eventDestinationArn: "arn:aws:connect:us-east-1:123456789012:instance/abc-123" }],
    id: wabaArn
  }),
  putDestinations("no destinations (clears them)", { id: wabaId, eventDestinations: [] }),
  // --- TagResource ------------------------------------------------------------------------------
  tag("unicode tags (emoji, accents, CJK)", { resourceArn: wabaArn, tags: unicodeTags }),
  tag("!'()* and spaces, keys with = & ? #", {
    resourceArn: phoneArn,
    tags: [{ key: "a=b&c?d#e", value: punctuation }, { value: "x", key: "   " }]
  }),
  tag("empty tag list", { resourceArn: wabaArn, tags: [] }),
  tag("tag without a value", { resourceArn: wabaArn, tags: [{ key: "flag" }] }),
  tag("JSON escapes: quotes, backslash, control characters, U+2028", {
    resourceArn: wabaArn,
    tags: [{ key: "q\"uote\\back", value: "line\nbreak\ttab\u0001\u2028</script>" }]
  }),
  // --- UntagResource ----------------------------------------------------------------------------
  untag("unicode keys", { resourceArn: wabaArn, tagKeys: ["café", "emoji 🎉", "日本語"] }),
  untag("empty key list", { resourceArn: phoneArn, tagKeys: [] }),
  untag("keys with !'()* and spaces", { tagKeys: [punctuation, ""], resourceArn: wabaArn }),
  // --- ListTagsForResource ----------------------------------------------------------------------
  listTags("waba ARN", { resourceArn: wabaArn }),
  listTags("phone number ARN", { resourceArn: phoneArn }),
  listTags("ARN with !'()*, spaces and unicode", {
    resourceArn: `arn:aws:social-messaging:us-east-1:1:waba/x ${punctuation} é🎉~._-`
  }),
  listTags("ARN with % + = & ?", { resourceArn: "arn:aws:social-messaging:us-east-1:1:waba/100%+a=b&c?d" })
]

// =============================================================================
// Running one call through each client
// =============================================================================

/** The canned 200 for whichever operation a captured request is. */
const successResponder: CaptureServer.Responder = (request) => {
  const operation = Object.values(Operations.association).find((op) =>
    op.method === request.method && op.path === request.path
  )
  return {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
    body: JSON.stringify(operation === undefined ? {} : successBodies[operation.name])
  }
}

/** Both clients make the same call; returns what each sent and got. */
const runBoth = (
  server: CaptureServer.Service,
  credentials: TestCredentials,
  responder: CaptureServer.Responder,
  ours: Case["ours"],
  sdk: Case["sdk"],
  transport?: Layer.Layer<HttpClient.HttpClient>
) =>
  Effect.gen(function*() {
    yield* server.reset(responder)
    const ourResult = yield* runOurs(server.url, credentials, ours, transport)
    const ourRequest = yield* onlyRequest(server)
    const invocationId = ourRequest.headers["amz-sdk-invocation-id"] ?? ""
    yield* server.reset(responder)
    const sdkResult = yield* runSdk(server.url, credentials, invocationId, sdk)
    const sdkRequest = yield* onlyRequest(server)
    return { ourRequest, ourResult, sdkRequest, sdkResult }
  })

// =============================================================================
// Comparing
// =============================================================================

/** An SDK output as plain JSON data: `$metadata` dropped, `Date`s as epoch seconds, `undefined`s dropped. */
const normaliseSdkOutput = (u: unknown): unknown => {
  if (u instanceof Date) return u.getTime() / 1000
  if (Array.isArray(u)) return u.map((item: unknown) => normaliseSdkOutput(item))
  if (Predicate.isRecord(u)) {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(u)) {
      if (key !== "$metadata" && value !== undefined) out[key] = normaliseSdkOutput(value)
    }
    return out
  }
  return u
}

// =============================================================================
// The suite
// =============================================================================

layer(CaptureServer.layer)("differential: our client vs @aws-sdk/client-socialmessaging", (it) => {
  it.effect("has at least 30 success cases covering all nine operations", () =>
    Effect.sync(() => {
      assert.isAtLeast(cases.length, 30)
      assert.deepStrictEqual(
        new Set(cases.map((c) => c.operation.name)),
        new Set(Object.keys(Operations.association))
      )
      assert.deepStrictEqual(
        new Set(errorFixtures.map((f) => f.operation)).size >= 8,
        true,
        "error fixtures spread over the operations"
      )
    }))

  describe("requests: identical bytes, headers and signature", () => {
    for (const c of cases) {
      for (const variant of credentialVariants) {
        for (const [transportName, transport] of transports) {
          it.effect(`${c.name} [${variant.label}, ${transportName}]`, () =>
            Effect.gen(function*() {
              const server = yield* CaptureServer.CaptureServer
              const run = yield* runBoth(server, variant.credentials, successResponder, c.ours, c.sdk, transport)
              assertSameRequest(run.ourRequest, run.sdkRequest)
              assert.strictEqual(run.ourRequest.method, c.operation.method)
              assert.strictEqual(run.ourRequest.path, c.operation.path)
              assert.deepStrictEqual(decodeQuery(run.ourRequest.rawQuery), c.expectedQuery, "the input, decoded")
              assert.strictEqual(run.ourRequest.headers["x-amz-date"], "20250314T150926Z", "the fixed signing time")
              assert.strictEqual(
                run.ourRequest.headers["x-amz-security-token"],
                variant.credentials.sessionToken,
                "the session token, only when there is one"
              )
              const bodiless = c.operation.method === "GET" || c.operation.method === "DELETE"
              assert.strictEqual(run.ourRequest.body.byteLength === 0, bodiless, "a body exactly on POST/PUT")
              // Both decode the canned answer to the same data (ours encoded back to the wire form).
              if (Either.isLeft(run.ourResult)) assert.fail(`ours failed: ${run.ourResult.left.message}`)
              if (Either.isLeft(run.sdkResult)) assert.fail(`SDK failed: ${String(run.sdkResult.left)}`)
              assert.deepStrictEqual(run.ourResult.right, normaliseSdkOutput(run.sdkResult.right))
            }))
        }
      }
    }
  })

  it.effect("the invocation id is a v4 UUID drawn from Random: fixed by the seed, fresh per call", () =>
    Effect.gen(function*() {
      const server = yield* CaptureServer.CaptureServer
      yield* server.reset(successResponder)
      const id = { id: Ids.LinkedWhatsAppBusinessAccountId.make(wabaId) }
      yield* runOurs(
        server.url,
        longTerm,
        (s) => Effect.zipRight(s.getLinkedWhatsAppBusinessAccount(id), s.getLinkedWhatsAppBusinessAccount(id))
      )
      yield* runOurs(server.url, longTerm, (s) => s.getLinkedWhatsAppBusinessAccount(id))
      const ids = (yield* server.requests).map((r) => r.headers["amz-sdk-invocation-id"] ?? "")
      assert.strictEqual(ids.length, 3)
      for (const invocationId of ids) {
        assert.match(invocationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      }
      assert.notStrictEqual(ids[0], ids[1], "a fresh id per call")
      assert.strictEqual(ids[0], ids[2], "the same seed, the same id")
    }))

  describe("errors: the same recorded answers, the same names", () => {
    const operationCall: {
      readonly [K in keyof typeof Operations.association]: Pick<Case, "ours" | "sdk">
    } = {
      AssociateWhatsAppBusinessAccount: associate("", { signupCallback: { accessToken: "token" } }),
      DisassociateWhatsAppBusinessAccount: disassociate("", { id: wabaId }),
      GetLinkedWhatsAppBusinessAccount: getAccount("", { id: wabaId }),
      ListLinkedWhatsAppBusinessAccounts: listAccounts("", {}),
      GetLinkedWhatsAppBusinessAccountPhoneNumber: getPhoneNumber("", { id: phoneNumberId }),
      PutWhatsAppBusinessAccountEventDestinations: putDestinations("", { id: wabaId, eventDestinations: [] }),
      TagResource: tag("", { resourceArn: wabaArn, tags: [] }),
      UntagResource: untag("", { resourceArn: wabaArn, tagKeys: ["k"] }),
      ListTagsForResource: listTags("", { resourceArn: wabaArn })
    }

    const check = (fixture: ErrorFixture) =>
      Effect.gen(function*() {
        const server = yield* CaptureServer.CaptureServer
        const call = operationCall[fixture.operation]
        const run = yield* runBoth(
          server,
          longTerm,
          () => ({ status: fixture.status, headers: fixture.headers, body: fixture.body }),
          call.ours,
          call.sdk
        )
        if (Either.isRight(run.ourResult)) return assert.fail("ours succeeded on an error answer")
        if (Either.isRight(run.sdkResult)) return assert.fail("the SDK succeeded on an error answer")
        const ours = ourErrorView(run.ourResult.left)
        const sdk = sdkErrorView(run.sdkResult.left)
        const expected = fixture.expected
        if (expected._tag === "Same") {
          assert.strictEqual(ours.name, expected.name, "our name")
          assert.strictEqual(sdk.name, expected.name, "SDK name")
          assert.strictEqual(run.ourResult.left._tag, expected.ourTag)
        } else {
          assert.strictEqual(sdk.name, expected.sdkName, `SDK name (${expected.why})`)
          assert.strictEqual(run.ourResult.left._tag, expected.ourTag, `our tag (${expected.why})`)
        }
        // A 5xx of an operation that is neither read-only nor idempotent: ours appends that the outcome is
        // unknown (the call is not resent); AWS's message comes first, unchanged.
        // (A malformed answer's view carries no message: its note is in `detail`, tested in RestJson.test.ts.)
        const unsafe = fixture.status >= 500 && !Operations.isSafeToResend(Operations.operations[fixture.operation]) &&
          run.ourResult.left._tag !== "MalformedResponse"
        const note = /\s?\(outcome unknown: the request may have been acted on, so it was not sent again\. [^]*\)$/
        assert.strictEqual(note.test(ours.message ?? ""), unsafe, "outcome note iff a 5xx of a non-idempotent call")
        const ourOwn = ours.message?.replace(note, "")
        assert.strictEqual(ourOwn === "" ? undefined : ourOwn, fixture.message, "our message")
        // The SDK reads no message from a body it cannot parse (its SyntaxError has its own).
        if (sdk.name !== "SyntaxError") assert.strictEqual(sdk.message, fixture.message, "SDK message")
        // Every fixture carries x-amzn-requestid; ours keeps it on every error, even a malformed answer.
        assert.strictEqual(ours.requestId, requestId, "our request id")
        assert.strictEqual(sdk.requestId, requestId, "SDK request id")
        const error = run.ourResult.left
        if (error._tag === "MalformedResponse") {
          assert.strictEqual(error.status, fixture.status)
          assert.strictEqual(error.bodyExcerpt, fixture.body.slice(0, 256))
        }
        if (error._tag === "UnknownServiceError") assert.strictEqual(error.status, fixture.status)
      })

    for (const fixture of errorFixtures) {
      it.effect(`${fixture.operation}: ${fixture.name}`, () => check(fixture))
    }

    it.effect("a truncated 200 body: our MalformedResponse, the SDK's SyntaxError", () =>
      Effect.gen(function*() {
        const server = yield* CaptureServer.CaptureServer
        const call = operationCall.GetLinkedWhatsAppBusinessAccount
        const run = yield* runBoth(
          server,
          longTerm,
          () => ({
            status: 200,
            headers: { "x-amzn-requestid": requestId },
            body: "{\"account\":{\"arn\":\"arn:aws:soc"
          }),
          call.ours,
          call.sdk
        )
        if (Either.isRight(run.ourResult) || Either.isRight(run.sdkResult)) return assert.fail("both must fail")
        const error = run.ourResult.left
        assert.strictEqual(error._tag, "MalformedResponse")
        if (error._tag === "MalformedResponse") {
          assert.strictEqual(error.status, 200)
          assert.strictEqual(error.requestId, requestId)
        }
        assert.strictEqual(sdkErrorView(run.sdkResult.left).name, "SyntaxError")
      }))
  })

  describe("transport failures: classified alike", () => {
    const sdkCode = (error: unknown) =>
      Predicate.hasProperty(error, "code") && typeof error.code === "string" ? error.code : undefined
    const call = getAccount("", { id: wabaId })

    for (const [transportName, transport] of transports) {
      it.effect(`${transportName}: the server resets the connection: our ConnectionReset, the SDK's ECONNRESET`, () =>
        Effect.gen(function*() {
          const server = yield* CaptureServer.CaptureServer
          const run = yield* runBoth(
            server,
            longTerm,
            () => ({ status: 0, reset: true }),
            call.ours,
            call.sdk,
            transport
          )
          if (Either.isRight(run.ourResult) || Either.isRight(run.sdkResult)) return assert.fail("both must fail")
          const error = run.ourResult.left
          if (error._tag !== "TransportError") return assert.fail(`expected a TransportError, got ${error._tag}`)
          assert.strictEqual(error.reason, "ConnectionReset")
          assert.isTrue(error.classification.retryable)
          assert.strictEqual(sdkCode(run.sdkResult.left), "ECONNRESET")
        }))

      it.effect(`${transportName}: nobody listens: our ConnectionRefused, the SDK's ECONNREFUSED`, () =>
        Effect.gen(function*() {
          const endpoint = yield* CaptureServer.refusedUrl
          const ours = yield* runOurs(endpoint, longTerm, call.ours, transport)
          const sdk = yield* runSdk(endpoint, longTerm, "00000000-0000-4000-8000-000000000000", call.sdk)
          if (Either.isRight(ours) || Either.isRight(sdk)) return assert.fail("both must fail")
          const error = ours.left
          if (error._tag !== "TransportError") return assert.fail(`expected a TransportError, got ${error._tag}`)
          assert.strictEqual(error.reason, "ConnectionRefused")
          assert.isTrue(error.classification.retryable)
          assert.strictEqual(sdkCode(sdk.left), "ECONNREFUSED")
        }))
    }
  })

  // ===========================================================================
  // End to end, our client only
  // ===========================================================================

  it.effect("invalid input: every violation listed, not one byte sent", () =>
    Effect.gen(function*() {
      const server = yield* CaptureServer.CaptureServer
      yield* server.reset(successResponder)
      const result = yield* runOurs(server.url, longTerm, (s) =>
        s.tagResource({
          // Brands validate on make; switched off here to build a value the type allows but the model does not.
          resourceArn: Ids.Arn.make("not-an-arn", true),
          tags: [{ key: "" }, { key: "ok", value: "v".repeat(257) }, { key: "k".repeat(129) }]
        }))
      const pinResult = yield* runOurs(server.url, longTerm, (s) =>
        s.associateWhatsAppBusinessAccount({
          setupFinalization: {
            associateInProgressToken: Redacted.make("token"),
            phoneNumbers: [{
              id: Ids.WhatsAppPhoneNumber.make("109876543210987"),
              twoFactorPin: Redacted.make("98765432"),
              dataLocalizationRegion: "de"
            }],
            waba: {
              eventDestinations: [
                { eventDestinationArn: Ids.EventDestinationArn.make(topicArn) },
                { eventDestinationArn: Ids.EventDestinationArn.make(topicArn) }
              ]
            }
          }
        }))
      assert.deepStrictEqual(yield* server.requests, [], "the capture server saw no request")

      if (Either.isRight(result)) return assert.fail("expected a RequestValidationError")
      const error = result.left
      if (error._tag !== "RequestValidationError") return assert.fail(`expected a validation error, got ${error._tag}`)
      assert.strictEqual(error.operation, "TagResource")
      assert.deepStrictEqual(error.violations.map((v) => v.path), [
        "resourceArn",
        "tags[0].key",
        "tags[1].value",
        "tags[2].key"
      ])

      if (Either.isRight(pinResult)) return assert.fail("expected a RequestValidationError")
      const pinError = pinResult.left
      if (pinError._tag !== "RequestValidationError") {
        return assert.fail(`expected a validation error, got ${pinError._tag}`)
      }
      assert.deepStrictEqual(pinError.violations.map((v) => v.path), [
        "setupFinalization.phoneNumbers[0].twoFactorPin",
        "setupFinalization.phoneNumbers[0].dataLocalizationRegion",
        "setupFinalization.waba.eventDestinations"
      ])
      assert.notInclude(pinError.message, "98765432", "the PIN is never echoed")
    }))

  // @effect/platform's HttpClient would record every request header as a span attribute
  // (`http.request.header.*`, the session token included); the service turns that span off and keeps its own.
  it.effect("spans carry no secret: the session token and the signature are redacted", () =>
    Effect.gen(function*() {
      const server = yield* CaptureServer.CaptureServer
      yield* server.reset(successResponder)
      const spans: Array<Tracer.Span> = []
      const base = yield* Effect.tracer
      const recording = Tracer.make({
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        },
        context: (f, fiber) => base.context(f, fiber)
      })
      const result = yield* runOurs(server.url, temporary, (s) =>
        s.getLinkedWhatsAppBusinessAccount({ id: Ids.LinkedWhatsAppBusinessAccountId.make(wabaId) })).pipe(
          Effect.withTracer(recording)
        )
      assert.isTrue(Either.isRight(result))
      const [request] = yield* server.requests
      const signature = /Signature=([0-9a-f]+)/.exec(request?.headers["authorization"] ?? "")?.[1] ?? "missing"
      const attributes = spans.flatMap((span) =>
        [...span.attributes].map(([key, value]) =>
          [key, String(value)] as const
        )
      )
      assert.isTrue(
        spans.some((span) => span.name === "SocialMessaging.GetLinkedWhatsAppBusinessAccount"),
        "the call's span was recorded"
      )
      // The transport's own span is off: request headers are not recorded anywhere.
      assert.isFalse(attributes.some(([key]) => key.startsWith("http.request.header.")))
      for (const [key, value] of attributes) {
        assert.notInclude(value, temporary.sessionToken ?? "missing", `session token in span attribute ${key}`)
        assert.notInclude(value, signature, `signature in span attribute ${key}`)
      }
    }))

  it.effect("listLinkedWhatsAppBusinessAccountsStream follows nextToken across 3 pages", () =>
    Effect.gen(function*() {
      const server = yield* CaptureServer.CaptureServer
      const summary = (n: number) => ({
        arn: `arn:aws:social-messaging:us-east-1:123456789012:waba/page${n}`,
        id: `waba-page${n}`,
        wabaId: `${n}`,
        registrationStatus: "COMPLETE",
        linkDate: 1717000000 + n,
        wabaName: `WABA ${n}`,
        eventDestinations: []
      })
      const pages: Readonly<Record<string, unknown>> = {
        "": { linkedAccounts: [summary(1), summary(2)], nextToken: "page+2/==" },
        "page+2/==": { linkedAccounts: [summary(3)], nextToken: "page 3!" },
        "page 3!": { linkedAccounts: [summary(4), summary(5)] }
      }
      yield* server.reset((request) => {
        const token = decodeQuery(request.rawQuery).find(([name]) => name === "nextToken")?.[1] ?? ""
        return {
          status: 200,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(pages[token] ?? {})
        }
      })
      const result = yield* runOurs(server.url, longTerm, (s) =>
        Stream.runCollect(s.listLinkedWhatsAppBusinessAccountsStream({ maxResults: 2 })))
      if (Either.isLeft(result)) {
        return assert.fail(result.left.message)
      }
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(result.right).map((a) =>
          a.id
        ),
        [
          "waba-page1",
          "waba-page2",
          "waba-page3",
          "waba-page4",
          "waba-page5"
        ]
      )
      const requests = yield* server.requests
      assert.deepStrictEqual(requests.map((r) => r.rawQuery), [
        "maxResults=2",
        "maxResults=2&nextToken=page%2B2%2F%3D%3D",
        "maxResults=2&nextToken=page%203%21"
      ])
    }))
})
