/**
 * Retry safety beyond the fault matrix: the operations' botocore traits, the typed `OutcomeUnknown` (what it
 * names and says), the opt-in `RetryPolicy.resendUnsafe`, per-call `maxAttempts` validation, and the other
 * operations that are (TagResource, UntagResource) or are not (Disassociate, PutEventDestinations) at risk.
 * Over the scripted transport and `TestClock`, jitter pinned at 0.5 (transient back-off 25 ms, 50 ms, ...).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"
import * as Operations from "@social-messaging/domain/Operations"
import { Duration, Effect, Exit, Fiber, Option, Random, Redacted, Schedule, TestClock } from "effect"
import { readFileSync } from "node:fs"
import * as RetryPolicy from "../src/RetryPolicy.js"
import type * as SocialMessaging from "../src/SocialMessaging.js"
import {
  awsError,
  brokenBody,
  failureOf,
  failWith,
  hang,
  ok,
  recordingTracer,
  reset,
  type Script,
  service,
  timeline
} from "./support/RetryHarness.js"

type Call = (service: SocialMessaging.Service) => Effect.Effect<unknown, Errors.SocialMessagingError>

const wabaId = Ids.LinkedWhatsAppBusinessAccountId.make("waba-abc123")
const resourceArn = Ids.Arn.make("arn:aws:social-messaging:us-east-1:123456789012:waba/abc123")

/**
 * Step 1. The token is realistic in length: every secret of the request is scrubbed from error messages, so a
 * one-letter token would blank out every "t" of the messages these tests read.
 */
const step1: Call = (s) =>
  s.associateWhatsAppBusinessAccount({ signupCallback: { accessToken: Redacted.make("EAAG-meta-access-token-0123") } })
const getLinked: Call = (s) => s.getLinkedWhatsAppBusinessAccount({ id: wabaId })
const tag: Call = (s) => s.tagResource({ resourceArn, tags: [{ key: "k", value: "v" }] })
const untag: Call = (s) => s.untagResource({ resourceArn, tagKeys: ["k"] })
const disassociate: Call = (s) => s.disassociateWhatsAppBusinessAccount({ id: wabaId })
const putDestinations: Call = (s) =>
  s.putWhatsAppBusinessAccountEventDestinations({ id: wabaId, eventDestinations: [] })

/** Forks the call with jitter pinned at 0.5, runs the test clock far ahead, returns the exit. */
const runCall = <A, E>(effect: Effect.Effect<A, E>, advance: Duration.DurationInput = "10 minutes") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect.pipe(Effect.withRandom(Random.fixed([0.5]))))
    yield* TestClock.adjust(advance)
    return yield* Fiber.await(fiber)
  })

/** Runs `call` over `script`: its exit and the send times of its requests (ms from the first). */
const run = (
  script: Script,
  call: Call,
  options: {
    readonly service?: Partial<SocialMessaging.Options>
    readonly around?: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E | Errors.ConfigurationError>
  } = {}
) =>
  Effect.gen(function*() {
    const { sent, service: svc } = yield* service(script, options.service)
    const exit = yield* runCall(options.around === undefined ? call(svc) : options.around(call(svc)))
    return { exit, sent: timeline(yield* sent), requests: yield* sent }
  })

/** The typed failure of an exit (fails the test on success, a defect or an interruption). */
const typedFailure = <A, E>(exit: Exit.Exit<A, E>): E =>
  Option.getOrElse(failureOf(exit), () => assert.fail(`expected a typed failure, got ${String(exit)}`))

const outcomeUnknown = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): Errors.OutcomeUnknown => {
  const error = typedFailure(exit)
  if (!(error instanceof Errors.OutcomeUnknown)) return assert.fail(`expected OutcomeUnknown, got ${error._tag}`)
  return error
}

// =============================================================================
// The operations' traits
// =============================================================================

interface OperationFacts {
  readonly name: string
  readonly readonly: boolean
  readonly idempotent: boolean
}

/** botocore's traits, from the domain's model-facts fixture (generated from the saved models). */
const modelFacts: ReadonlyArray<OperationFacts> = (JSON.parse(
  readFileSync(new URL("../../domain/test/fixtures/model-facts.json", import.meta.url), "utf8")
) as { readonly operations: ReadonlyArray<OperationFacts> }).operations

describe("retry safety comes from the model", () => {
  it("every operation carries botocore's readonly and idempotent", () => {
    assert.strictEqual(modelFacts.length, 9)
    for (const fact of modelFacts) {
      const op = Operations.operations[fact.name as Errors.OperationName]
      assert.isDefined(op, fact.name)
      assert.strictEqual(op.readonly, fact.readonly, `${fact.name} readonly`)
      assert.strictEqual(op.idempotent, fact.idempotent, `${fact.name} idempotent`)
      assert.strictEqual(Operations.isSafeToResend(op), fact.readonly || fact.idempotent, fact.name)
    }
  })

  it("of the association, exactly Associate and the two tag writes are unsafe to resend; each says how to find out", () => {
    const unsafe = Object.values(Operations.association).filter((op) => !Operations.isSafeToResend(op))
    assert.deepStrictEqual(unsafe.map((op) => op.name).sort(), [
      "AssociateWhatsAppBusinessAccount",
      "TagResource",
      "UntagResource"
    ])
    // Of all 38: what botocore marks neither readonly nor idempotent (sends, creates, updates, POST reads).
    const all = Object.values(Operations.operations).filter((op) => !Operations.isSafeToResend(op))
    assert.deepStrictEqual(all.map((op) => op.name).sort(), [
      "AssociateWhatsAppBusinessAccount",
      "CreateWhatsAppFlow",
      "CreateWhatsAppMessageTemplate",
      "CreateWhatsAppMessageTemplateFromLibrary",
      "CreateWhatsAppMessageTemplateMedia",
      "DeprecateWhatsAppFlow",
      "GetWhatsAppCallPermission",
      "GetWhatsAppMessageMedia",
      "PostWhatsAppMessageMedia",
      "PublishWhatsAppFlow",
      "SendWhatsAppCallEvent",
      "SendWhatsAppConversionEvent",
      "SendWhatsAppMessage",
      "TagResource",
      "UntagResource",
      "UpdateWhatsAppFlow",
      "UpdateWhatsAppFlowAssets",
      "UpdateWhatsAppMessageTemplate"
    ])
    for (const op of all) assert.match(op.howToFindOut, /^To find out: /, op.name)
    assert.match(Operations.SendWhatsAppMessage.howToFindOut, /event destination/)
    assert.match(Operations.AssociateWhatsAppBusinessAccount.howToFindOut, /ListLinkedWhatsAppBusinessAccounts/)
    assert.match(Operations.TagResource.howToFindOut, /ListTagsForResource/)
    assert.match(Operations.UntagResource.howToFindOut, /ListTagsForResource/)
  })
})

describe("RetryPolicy.provesNotActedOn", () => {
  const operation = "AssociateWhatsAppBusinessAccount"
  const transport = (reason: Errors.TransportFailure) => new Errors.TransportError({ operation, reason })
  const cases: ReadonlyArray<readonly [string, Errors.SocialMessagingError, boolean]> = [
    ["connection refused", transport("ConnectionRefused"), true],
    ["DNS failure", transport("DnsFailure"), true],
    ["host unreachable", transport("HostUnreachable"), true],
    ["connect time-out", transport("ConnectTimeout"), true],
    ["429 ThrottledRequestException", new Errors.ThrottledRequestException({}), true],
    [
      "an undeclared 429",
      new Errors.UnknownServiceError({ operation, status: 429, errorType: "TooManyRequests" }),
      true
    ],
    ["a proxy's 429 page", new Errors.MalformedResponse({ operation, status: 429, bodyExcerpt: "<html>" }), true],
    ["connection reset", transport("ConnectionReset"), false],
    ["socket time-out", transport("SocketTimeout"), false],
    ["body read failed", transport("BodyReadFailed"), false],
    ["TLS failure", transport("TlsFailure"), false],
    ["unknown transport failure", transport("Unknown"), false],
    ["attempt time-out", new Errors.AttemptTimeout({ operation, timeoutMillis: 15000 }), false],
    ["deadline", new Errors.DeadlineExceeded({ operation, deadlineMillis: 60000 }), false],
    ["500 InternalServiceException", new Errors.InternalServiceException({}), false],
    ["502 DependencyException", new Errors.DependencyException({}), false],
    ["a proxy's 503 page", new Errors.MalformedResponse({ operation, status: 503, bodyExcerpt: "<html>" }), false],
    // Throttling by error type at another status is not proof: only a 429 is refused before processing.
    [
      "ThrottlingException at 400",
      new Errors.UnknownServiceError({ operation, status: 400, errorType: "ThrottlingException" }),
      false
    ]
  ]
  for (const [name, error, proves] of cases) {
    it(`${name}: ${proves}`, () => assert.strictEqual(RetryPolicy.provesNotActedOn(error), proves))
  }
})

// =============================================================================
// OutcomeUnknown: what it says
// =============================================================================

describe("OutcomeUnknown", () => {
  it.effect("a reset of step 1 names the operation, the reason, how to find out; nothing is resent", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* run([reset, ok({})], step1)
      const error = outcomeUnknown(exit)
      assert.strictEqual(error.operation, "AssociateWhatsAppBusinessAccount")
      assert.strictEqual(error.reason, "ConnectionReset")
      assert.strictEqual(error.howToFindOut, Operations.AssociateWhatsAppBusinessAccount.howToFindOut)
      assert.match(error.message, /^AssociateWhatsAppBusinessAccount: outcome unknown/)
      assert.match(error.message, /not sent again/)
      assert.match(error.message, /ListLinkedWhatsAppBusinessAccounts/)
      assert.isFalse(error.classification.retryable)
      assert.deepStrictEqual(sent, [0])
    }))

  it.effect("the time-out of step 1 says how long it waited", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* run([hang, ok({})], step1)
      const error = outcomeUnknown(exit)
      assert.strictEqual(error.reason, "AttemptTimeout")
      assert.match(error.detail ?? "", /15000 ms/)
      assert.deepStrictEqual(sent, [0])
    }))

  it.effect("a deadline shorter than the attempt time-out: step 1 ends OutcomeUnknown (DeadlineExceeded)", () =>
    Effect.gen(function*() {
      const options = { service: { deadline: Duration.seconds(10) } }
      const unsafe = yield* run([hang, ok({})], step1, options)
      const error = outcomeUnknown(unsafe.exit)
      assert.strictEqual(error.reason, "DeadlineExceeded")
      assert.match(error.detail ?? "", /10000 ms/)
      assert.deepStrictEqual(unsafe.sent, [0])
      // The read-only call: the plain DeadlineExceeded, after the one attempt the deadline allowed.
      const safe = yield* run([hang, ok({})], getLinked, options)
      assert.strictEqual(typedFailure(safe.exit)._tag, "DeadlineExceeded")
      assert.deepStrictEqual(safe.sent, [0])
    }))

  it.effect("a body that breaks off, an unknown transport failure: OutcomeUnknown with the transport's detail", () =>
    Effect.gen(function*() {
      const broken = outcomeUnknown((yield* run([brokenBody(), ok({})], step1)).exit)
      assert.strictEqual(broken.reason, "BodyReadFailed")
      const unknown = yield* run([failWith("ERR_SOMETHING_NEW"), ok({})], step1)
      const error = outcomeUnknown(unknown.exit)
      assert.strictEqual(error.reason, "Unknown")
      assert.match(error.detail ?? "", /ERR_SOMETHING_NEW/)
      assert.deepStrictEqual(unknown.sent, [0])
    }))

  it.effect("after a 429 (retried), a reset ends the call: 2 requests, OutcomeUnknown", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* run([awsError(429, "ThrottledRequestException"), reset, ok({})], step1)
      assert.strictEqual(outcomeUnknown(exit).reason, "ConnectionReset")
      assert.deepStrictEqual(sent, [0, 500])
    }))

  it.effect("after DNS failures (retried), a time-out ends the call: 3 requests, OutcomeUnknown", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* run([failWith("ENOTFOUND"), failWith("ECONNREFUSED"), hang, ok({})], step1)
      assert.strictEqual(outcomeUnknown(exit).reason, "AttemptTimeout")
      assert.deepStrictEqual(sent, [0, 25, 75])
    }))

  it.effect("a TLS failure is not retried for any call (not transient); step 1 keeps the TransportError", () =>
    Effect.gen(function*() {
      for (const call of [step1, getLinked]) {
        const { exit, sent } = yield* run([failWith("CERT_HAS_EXPIRED"), ok({})], call)
        const error = typedFailure(exit)
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual(error._tag === "TransportError" ? error.reason : undefined, "TlsFailure")
        assert.deepStrictEqual(sent, [0])
      }
    }))

  it.effect("a 5xx of step 1 keeps its AWS error; its message says the outcome is unknown and how to find out", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* run(
        [awsError(502, "DependencyException", { message: "Meta failed" }), ok({})],
        step1
      )
      const error = typedFailure(exit)
      assert.strictEqual(error._tag, "DependencyException")
      assert.match(error.message, /^Meta failed \(outcome unknown: /)
      assert.include(error.message, Operations.AssociateWhatsAppBusinessAccount.howToFindOut)
      assert.deepStrictEqual(sent, [0])
    }))

  it.effect("step 1 whose signature AWS rejected for the clock is re-signed and sent again (AWS did not act)", () =>
    Effect.gen(function*() {
      const expired = awsError(403, "InvalidSignatureException", {
        message: "Signature expired: 19700101T000000Z is now earlier than 20231231T235500Z (20240101T000000Z - 5 min.)",
        headers: { date: "Mon, 01 Jan 2024 00:00:00 GMT" }
      })
      const { exit, sent } = yield* run([expired, ok({})], step1)
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.deepStrictEqual(sent, [0, 0])
    }))

  it.effect("the call's span records the decision: outcome-unknown, error tag OutcomeUnknown", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const { service: svc } = yield* service([reset, ok({})])
      yield* runCall(step1(svc).pipe(Effect.withTracer(tracer)))
      const span = spans.find((s) => s.name === "SocialMessaging.AssociateWhatsAppBusinessAccount")
      assert.deepStrictEqual(span?.events.map((e) => e.attributes), [
        {
          "aws.attempt": 1,
          "aws.attempt.outcome": "error",
          "error.tag": "OutcomeUnknown",
          "aws.retry.kind": "transient",
          "aws.retry.decision": "outcome-unknown"
        }
      ])
      assert.strictEqual(span?.attributes.get("error.tag"), "OutcomeUnknown")
    }))
})

// =============================================================================
// Other operations
// =============================================================================

describe("the other operations", () => {
  for (const [name, call] of [["TagResource", tag], ["UntagResource", untag]] as const) {
    it.effect(`${name} (not idempotent) after a time-out: 1 request, OutcomeUnknown naming ListTagsForResource`, () =>
      Effect.gen(function*() {
        const { exit, sent } = yield* run([hang, ok({})], call)
        const error = outcomeUnknown(exit)
        assert.strictEqual(error.operation, name)
        assert.strictEqual(error.reason, "AttemptTimeout")
        assert.match(error.howToFindOut, /ListTagsForResource/)
        assert.match(error.message, /ListTagsForResource/)
        assert.deepStrictEqual(sent, [0])
      }))
  }

  for (
    const [name, call] of [
      ["DisassociateWhatsAppBusinessAccount", disassociate],
      ["PutWhatsAppBusinessAccountEventDestinations", putDestinations]
    ] as const
  ) {
    it.effect(`${name} (idempotent) after a time-out, a reset or a 500: retried`, () =>
      Effect.gen(function*() {
        for (const fault of [hang, reset, awsError(500, "InternalServiceException")]) {
          const { exit, requests } = yield* run([fault, ok({})], call)
          assert.isTrue(Exit.isSuccess(exit), `${name}: ${String(exit)}`)
          assert.strictEqual(requests.length, 2)
        }
      }))
  }

  it.effect("TagResource: a 500's message carries the outcome note; ListTagsForResource's does not", () =>
    Effect.gen(function*() {
      const tagged = typedFailure((yield* run([awsError(500, "InternalServiceException", { message: "m" })], tag)).exit)
      assert.match(tagged.message, /^m \(outcome unknown: .*ListTagsForResource/)
      const listed = yield* run(
        [awsError(500, "InternalServiceException", { message: "m" })],
        (s) => s.listTagsForResource({ resourceArn })
      )
      assert.strictEqual(typedFailure(listed.exit).message, "m")
      assert.strictEqual(listed.requests.length, 3)
    }))
})

// =============================================================================
// Opting in, and per-call attempt caps
// =============================================================================

describe("RetryPolicy.resendUnsafe", () => {
  const unsafe = RetryPolicy.withRetryPolicy(RetryPolicy.resendUnsafe(RetryPolicy.standard))

  it.effect("makes step 1 retry a reset, a time-out and a 500, as a read-only call is", () =>
    Effect.gen(function*() {
      for (const fault of [reset, hang, brokenBody(), awsError(500, "InternalServiceException")]) {
        const { exit, requests } = yield* run([fault, ok({})], step1, { around: unsafe })
        assert.isTrue(Exit.isSuccess(exit), String(exit))
        assert.strictEqual(requests.length, 2)
      }
      const throughout = yield* run([reset], step1, { around: unsafe })
      const error = typedFailure(throughout.exit)
      assert.strictEqual(error._tag, "TransportError")
      assert.deepStrictEqual(throughout.sent, [0, 25, 75])
    }))

  it.effect("only for the call it wraps: the next call of the same service is safe again", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([reset, ok({}), reset, ok({})])
      assert.isTrue(Exit.isSuccess(yield* runCall(unsafe(step1(svc)))))
      assert.strictEqual(outcomeUnknown(yield* runCall(step1(svc))).reason, "ConnectionReset")
      assert.strictEqual((yield* sent).length, 3)
    }))

  it.effect("keeps the policy's schedule and cap, and does not retry what is not retryable", () =>
    Effect.gen(function*() {
      const patient = RetryPolicy.resendUnsafe(
        RetryPolicy.make({ schedule: Schedule.spaced("1 second"), maxAttempts: 4 })
      )
      assert.isTrue(patient.resendUnsafe)
      assert.isFalse(RetryPolicy.standard.resendUnsafe)
      const capped = yield* run([reset], step1, { around: RetryPolicy.withRetryPolicy(patient) })
      assert.deepStrictEqual(capped.sent, [0, 1000, 2000, 3000])
      const refused = yield* run([awsError(400, "ValidationException"), ok({})], step1, { around: unsafe })
      assert.strictEqual(typedFailure(refused.exit)._tag, "ValidationException")
      assert.strictEqual(refused.requests.length, 1)
    }))

  it.effect("a layer's policy can opt in too (every unsafe call of that service)", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([reset, ok({})], step1, {
        service: { retryPolicy: RetryPolicy.resendUnsafe(RetryPolicy.standard) }
      })
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.strictEqual(requests.length, 2)
    }))
})

describe("per-call maxAttempts is validated like the layer's", () => {
  for (const maxAttempts of [Infinity, 0, -1, 1.5, Number.NaN]) {
    it.effect(`withRetryPolicy(withMaxAttempts(standard, ${maxAttempts})): ConfigurationError, nothing sent`, () =>
      Effect.gen(function*() {
        const around = RetryPolicy.withRetryPolicy(RetryPolicy.withMaxAttempts(RetryPolicy.standard, maxAttempts))
        for (const call of [step1, getLinked]) {
          const { exit, requests } = yield* run([reset, ok({})], call, { around })
          const error = typedFailure(exit)
          assert.strictEqual(error._tag, "ConfigurationError")
          assert.strictEqual(error._tag === "ConfigurationError" ? error.setting : undefined, "maxAttempts")
          assert.match(error.message, /integer ≥ 1/)
          assert.strictEqual(requests.length, 0)
        }
      }))
  }

  it.effect("a valid per-call cap is used: 5 attempts, announced in amz-sdk-request", () =>
    Effect.gen(function*() {
      const around = RetryPolicy.withRetryPolicy(RetryPolicy.withMaxAttempts(RetryPolicy.standard, 5))
      const { requests, sent } = yield* run([reset], getLinked, { around })
      assert.deepStrictEqual(sent, [0, 25, 75, 175, 375])
      assert.strictEqual(requests[4]?.headers["amz-sdk-request"], "attempt=5; max=5")
    }))

  it.effect("RetryPolicy.validate refuses what the layer refuses", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* RetryPolicy.validate(RetryPolicy.standard)).maxAttempts, 3)
      const error = yield* Effect.flip(RetryPolicy.validate(RetryPolicy.withMaxAttempts(RetryPolicy.none, Infinity)))
      assert.strictEqual(error.setting, "maxAttempts")
      assert.isFalse(RetryPolicy.isValidMaxAttempts(Infinity))
      assert.isTrue(RetryPolicy.isValidMaxAttempts(1))
    }))
})
