/**
 * The fault matrix: every failure mode a call can meet, over a scripted transport and `TestClock`, ends in a
 * success after bounded attempts or in the right typed error (never a defect), with the attempts and the
 * waits between them asserted. Jitter is pinned with `Random.fixed([0.5])`, so the transient back-off is
 * 25 ms, 50 ms, ... and the throttling one 500 ms, 1 s, ...
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"

import {
  ConfigProvider,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Random,
  Redacted,
  Ref,
  Schedule,
  TestClock
} from "effect"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as SocialMessaging from "../src/SocialMessaging.js"
import {
  awsError,
  brokenBody,
  credentials,
  failureOf,
  failWith,
  hang,
  ok,
  recordingTracer,
  reset,
  respond,
  type Script,
  service,
  slowBody,
  timeline,
  transport
} from "./support/RetryHarness.js"

type Call = (service: SocialMessaging.Service) => Effect.Effect<unknown, Errors.SocialMessagingError>

const list: Call = (s) => s.listLinkedWhatsAppBusinessAccounts({})
const getLinked: Call = (s) =>
  s.getLinkedWhatsAppBusinessAccount({ id: Ids.LinkedWhatsAppBusinessAccountId.make("waba-abc123") })
const associate: Call = (s) =>
  s.associateWhatsAppBusinessAccount({ signupCallback: { accessToken: Redacted.make("meta-token") } })

/** Forks the call with jitter pinned at 0.5, runs the test clock far ahead, returns the exit. */
const runCall = <A, E>(effect: Effect.Effect<A, E>, advance: Duration.DurationInput = "10 minutes") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect.pipe(Effect.withRandom(Random.fixed([0.5]))))
    yield* TestClock.adjust(advance)
    return yield* Fiber.await(fiber)
  })

const html503 = respond(503, {
  headers: { "content-type": "text/html" },
  body: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
})

interface Case {
  readonly name: string
  readonly script: Script
  readonly call?: Call
  readonly options?: Partial<SocialMessaging.Options>
  /** `"success"` or the expected error tag. */
  readonly outcome: string
  /** When each request was sent, in ms from the first. */
  readonly timeline: ReadonlyArray<number>
}

const matrix: ReadonlyArray<Case> = [
  {
    name: "429 ×2, then 200",
    script: [awsError(429, "ThrottledRequestException"), awsError(429, "ThrottledRequestException"), ok()],
    outcome: "success",
    timeline: [0, 500, 1500]
  },
  {
    name: "502 DependencyException, then 200",
    script: [awsError(502, "DependencyException"), ok({})],
    call: getLinked,
    outcome: "success",
    timeline: [0, 25]
  },
  {
    name: "502 from a proxy (no error type), then 200",
    script: [respond(502, { headers: { "content-type": "text/html" }, body: "<html>Bad Gateway</html>" }), ok()],
    outcome: "success",
    timeline: [0, 25]
  },
  {
    name: "500 InternalServiceException ×3",
    script: [awsError(500, "InternalServiceException")],
    outcome: "InternalServiceException",
    timeline: [0, 25, 75]
  },
  {
    name: "503 HTML from a proxy, throughout",
    script: [html503],
    outcome: "MalformedResponse",
    timeline: [0, 25, 75]
  },
  {
    name: "503 HTML from a proxy, then 200",
    script: [html503, ok()],
    outcome: "success",
    timeline: [0, 25]
  },
  {
    name: "429, then 500, then 200 (the exponent counts every retry)",
    script: [awsError(429, "ThrottledRequestException"), awsError(500, "InternalServiceException"), ok()],
    outcome: "success",
    timeline: [0, 500, 550]
  },
  {
    name: "connection reset, then 200",
    script: [reset, ok()],
    outcome: "success",
    timeline: [0, 25]
  },
  {
    name: "connection reset, throughout",
    script: [reset],
    outcome: "TransportError",
    timeline: [0, 25, 75]
  },
  {
    name: "hung server: the attempt times out (15 s), then 200",
    script: [hang, ok()],
    outcome: "success",
    timeline: [0, 15025]
  },
  {
    name: "hung server, throughout",
    script: [hang],
    outcome: "AttemptTimeout",
    timeline: [0, 15025, 30075]
  },
  {
    name: "hung server past a 20 s deadline",
    script: [hang],
    options: { deadline: "20 seconds" },
    outcome: "DeadlineExceeded",
    timeline: [0, 15025]
  },
  {
    name: "slow body (headers, then a body that never ends), then 200",
    script: [slowBody(), ok()],
    outcome: "success",
    timeline: [0, 15025]
  },
  {
    name: "LimitExceededException (a quota: one attempt)",
    script: [awsError(400, "LimitExceededException"), ok()],
    call: associate,
    outcome: "LimitExceededException",
    timeline: [0]
  },
  {
    name: "ValidationException (one attempt)",
    script: [awsError(400, "ValidationException"), ok()],
    outcome: "ValidationException",
    timeline: [0]
  },
  {
    name: "Retry-After: 1 (seconds) honoured over a 500 ms back-off",
    script: [awsError(429, "ThrottledRequestException", { headers: { "retry-after": "1" } }), ok()],
    outcome: "success",
    timeline: [0, 1000]
  },
  {
    name: "x-amz-retry-after: 30000 capped at back-off + 5 s",
    script: [awsError(429, "ThrottledRequestException", { headers: { "x-amz-retry-after": "30000" } }), ok()],
    outcome: "success",
    timeline: [0, 5500]
  },
  {
    name: "Retry-After on a non-retryable error does not make it retryable",
    script: [awsError(400, "ValidationException", { headers: { "retry-after": "1" } }), ok()],
    outcome: "ValidationException",
    timeline: [0]
  },
  {
    name: "unknown 5xx (503 ServiceUnavailableException) ×3",
    script: [awsError(503, "ServiceUnavailableException")],
    outcome: "UnknownServiceError",
    timeline: [0, 25, 75]
  },
  {
    name: "unknown 5xx (501 NotImplemented): one attempt",
    script: [awsError(501, "NotImplemented"), ok()],
    outcome: "UnknownServiceError",
    timeline: [0]
  },
  {
    name: "an unreadable 200: one attempt",
    script: [respond(200, { body: "{\"linkedAccounts\": 42" }), ok()],
    outcome: "MalformedResponse",
    timeline: [0]
  },
  {
    name: "input that breaks the model: nothing sent",
    script: [ok()],
    call: (s) => s.listLinkedWhatsAppBusinessAccounts({ maxResults: 0 }),
    outcome: "RequestValidationError",
    timeline: []
  }
]

describe("fault matrix", () => {
  for (const c of matrix) {
    it.effect(c.name, () =>
      Effect.gen(function*() {
        const { sent, service: svc } = yield* service(c.script, c.options)
        const exit = yield* runCall((c.call ?? list)(svc))
        if (c.outcome === "success") {
          assert.isTrue(Exit.isSuccess(exit), `expected success, got ${String(exit)}`)
        } else {
          // A typed failure, never a defect or an interruption.
          const error = failureOf(exit)
          assert.isTrue(Option.isSome(error), `expected a typed failure, got ${String(exit)}`)
          assert.strictEqual(Option.getOrThrow(error)._tag, c.outcome)
        }
        assert.deepStrictEqual(timeline(yield* sent), c.timeline)
      }))
  }

  it.effect("skewed clock: re-signed with AWS's time and retried at once; later calls signed right", () =>
    Effect.gen(function*() {
      // The test clock reads 1970-01-01; AWS's Date header says 2024-01-01.
      const date = "Mon, 01 Jan 2024 00:00:00 GMT"
      const expired = awsError(403, "InvalidSignatureException", {
        message: "Signature expired: 19700101T000000Z is now earlier than 20231231T235500Z (20240101T000000Z - 5 min.)",
        headers: { date }
      })
      const { sent, service: svc } = yield* service([expired, ok(), ok()])
      const exit = yield* runCall(list(svc))
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      const [first, second] = yield* sent
      assert.strictEqual(first?.headers["x-amz-date"], "19700101T000000Z")
      assert.strictEqual(second?.headers["x-amz-date"], "20240101T000000Z")
      assert.strictEqual(second?.headers["amz-sdk-request"], "attempt=2; max=3")
      assert.deepStrictEqual(timeline(yield* sent), [0, 0])
      // The offset is the service's: the next call (10 minutes later by the test clock) is signed with AWS's time.
      yield* runCall(list(svc))
      const third = (yield* sent)[2]
      assert.strictEqual(third?.headers["x-amz-date"], "20240101T001000Z")
      assert.strictEqual(third?.headers["amz-sdk-request"], "attempt=1; max=3")
    }))

  it.effect("a signature error not about time, or a Date close to ours, is not retried", () =>
    Effect.gen(function*() {
      const mismatch = awsError(403, "InvalidSignatureException", {
        message: "The request signature we calculated does not match the signature you provided.",
        headers: { date: "Mon, 01 Jan 2024 00:00:00 GMT" }
      })
      const near = awsError(403, "InvalidSignatureException", {
        message: "Signature expired: 19700101T000000Z is now earlier than ...",
        headers: { date: "Thu, 01 Jan 1970 00:04:00 GMT" }
      })
      for (const answer of [mismatch, near]) {
        const { sent, service: svc } = yield* service([answer, ok()])
        // Not forked: nothing may wait, and the test clock stays at 1970-01-01T00:00:00Z.
        const error = failureOf(yield* Effect.exit(list(svc)))
        assert.strictEqual(Option.getOrThrow(error)._tag, "UnknownServiceError")
        assert.strictEqual((yield* sent).length, 1)
      }
    }))
})

describe("attempt headers and spans", () => {
  it.effect("the invocation id is stable across attempts; amz-sdk-request counts them", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([
        awsError(500, "InternalServiceException"),
        reset,
        ok()
      ])
      yield* runCall(list(svc))
      const requests = yield* sent
      assert.deepStrictEqual(requests.map((r) => r.headers["amz-sdk-request"]), [
        "attempt=1; max=3",
        "attempt=2; max=3",
        "attempt=3; max=3"
      ])
      const ids = new Set(requests.map((r) => r.headers["amz-sdk-invocation-id"]))
      assert.strictEqual(ids.size, 1)
      assert.match([...ids][0] ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      // Every attempt is signed afresh (amz-sdk-request is a signed header).
      assert.strictEqual(new Set(requests.map((r) => r.headers["authorization"])).size, 3)
    }))

  it.effect("a new call has a new invocation id", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([ok()])
      yield* list(svc)
      yield* list(svc)
      const [a, b] = yield* sent
      assert.notStrictEqual(a?.headers["amz-sdk-invocation-id"], b?.headers["amz-sdk-invocation-id"])
    }))

  it.effect("every attempt is an event of the call's span: number, outcome, error tag, decision, delay", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const { service: svc } = yield* service([
        awsError(429, "ThrottledRequestException"),
        reset,
        ok()
      ])
      yield* runCall(list(svc).pipe(Effect.withTracer(tracer)))
      const span = spans.find((s) => s.name === "SocialMessaging.ListLinkedWhatsAppBusinessAccounts")
      assert.isDefined(span)
      assert.deepStrictEqual(span?.events.map((e) => e.attributes), [
        {
          "aws.attempt": 1,
          "aws.attempt.outcome": "error",
          "error.tag": "ThrottledRequestException",
          "aws.retry.kind": "throttling",
          "aws.retry.decision": "retry",
          "aws.retry.delay_ms": 500
        },
        {
          "aws.attempt": 2,
          "aws.attempt.outcome": "error",
          "error.tag": "TransportError",
          "aws.retry.kind": "transient",
          "aws.retry.decision": "retry",
          "aws.retry.delay_ms": 50
        },
        { "aws.attempt": 3, "aws.attempt.outcome": "success" }
      ])
      assert.strictEqual(span?.attributes.get("aws.attempts"), 3)
    }))
})

describe("policies per layer and per call", () => {
  it.effect("RetryPolicy.withRetryPolicy(RetryPolicy.none) disables retries for that call", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([awsError(500, "InternalServiceException"), ok()])
      const exit = yield* runCall(list(svc).pipe(RetryPolicy.withRetryPolicy(RetryPolicy.none)))
      assert.strictEqual(Option.getOrThrow(failureOf(exit))._tag, "InternalServiceException")
      assert.strictEqual((yield* sent)[0]?.headers["amz-sdk-request"], "attempt=1; max=1")
      assert.strictEqual((yield* sent).length, 1)
    }))

  it.effect("a layer's own schedule and attempt cap", () =>
    Effect.gen(function*() {
      const retryPolicy = RetryPolicy.make({ schedule: Schedule.spaced("1 second"), maxAttempts: 5 })
      const { sent, service: svc } = yield* service([awsError(429, "ThrottledRequestException")], { retryPolicy })
      const exit = yield* runCall(list(svc))
      assert.strictEqual(Option.getOrThrow(failureOf(exit))._tag, "ThrottledRequestException")
      const requests = yield* sent
      assert.deepStrictEqual(timeline(requests), [0, 1000, 2000, 3000, 4000])
      assert.strictEqual(requests[4]?.headers["amz-sdk-request"], "attempt=5; max=5")
    }))

  it.effect("a bare Schedule per layer or per call (3 attempts, retryable failures only)", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([reset], { retryPolicy: Schedule.spaced("2 seconds") })
      yield* runCall(list(svc))
      assert.deepStrictEqual(timeline(yield* sent), [0, 2000, 4000])
      const perCall = yield* service([reset])
      yield* runCall(list(perCall.service).pipe(RetryPolicy.withRetryPolicy(Schedule.spaced("1 second"))))
      assert.deepStrictEqual(timeline(yield* perCall.sent), [0, 1000, 2000])
      const notRetried = yield* service([awsError(400, "ValidationException")], {
        retryPolicy: Schedule.spaced("1 second")
      })
      yield* runCall(list(notRetried.service))
      assert.strictEqual((yield* notRetried.sent).length, 1)
    }))

  it.effect("a schedule that stops ends the retries; a predicate can retry what the default would not", () =>
    Effect.gen(function*() {
      const retryPolicy = RetryPolicy.make({
        schedule: Schedule.recurs(1),
        maxAttempts: 10,
        while: (failure) => failure.kind !== "never" || failure.error._tag === "ResourceNotFoundException"
      })
      const { sent, service: svc } = yield* service([awsError(404, "ResourceNotFoundException")], { retryPolicy })
      yield* runCall(list(svc))
      assert.strictEqual((yield* sent).length, 2)
    }))

  it.effect("maxAttempts caps the default policy; an invalid one is a ConfigurationError", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([reset], { maxAttempts: 5 })
      yield* runCall(list(svc))
      assert.deepStrictEqual(timeline(yield* sent), [0, 25, 75, 175, 375])
      const bad = yield* Effect.flip(service([ok()], { maxAttempts: 0 }))
      assert.strictEqual(bad._tag, "ConfigurationError")
    }))

  it.effect("layerConfig reads AWS_MAX_ATTEMPTS", () =>
    Effect.gen(function*() {
      const { client, sent } = yield* transport([awsError(500, "InternalServiceException")])
      const svc = yield* SocialMessaging.SocialMessaging.pipe(
        Effect.provide(
          SocialMessaging.layerConfig().pipe(
            Layer.provide(Layer.merge(credentials, Layer.succeed(HttpClient.HttpClient, client)))
          )
        ),
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([["AWS_REGION", "us-east-1"], ["AWS_MAX_ATTEMPTS", "4"]]))
        )
      )
      yield* runCall(list(svc))
      const requests = yield* sent
      assert.strictEqual(requests.length, 4)
      assert.strictEqual(requests[3]?.headers["amz-sdk-request"], "attempt=4; max=4")
    }))
})

describe("retry quota", () => {
  const throttled = awsError(429, "ThrottledRequestException")

  it.effect("1,000 calls against an always-429 endpoint make 100 retries in all (500 tokens / 5)", () =>
    Effect.gen(function*() {
      const quota = yield* RetryPolicy.makeQuota()
      const { sent, service: svc } = yield* service([throttled], { retryQuota: quota })
      // Jitter 0: no waits, so the calls run back to back without advancing the clock.
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 1000 }),
        () => Effect.exit(list(svc)),
        { concurrency: 8 }
      ).pipe(Effect.withRandom(Random.fixed([0])))
      assert.isTrue(outcomes.every((exit) => Option.getOrThrow(failureOf(exit))._tag === "ThrottledRequestException"))
      assert.strictEqual((yield* sent).length - 1000, 100)
      assert.strictEqual(yield* quota.available, 0)
    }))

  it.effect("without a quota the same load would make 2,000 retries (checked on 100 calls)", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([throttled], { retryQuota: false })
      yield* Effect.forEach(Array.from({ length: 100 }), () => Effect.exit(list(svc)), { discard: true }).pipe(
        Effect.withRandom(Random.fixed([0]))
      )
      assert.strictEqual((yield* sent).length, 300)
    }))

  it.effect("an exhausted quota recovers as successes return", () =>
    Effect.gen(function*() {
      const quota = yield* RetryPolicy.makeQuota()
      const mode = yield* Ref.make<ReadonlyArray<typeof throttled>>([throttled])
      let served = 0
      const script = () =>
        Ref.get(mode).pipe(Effect.map((answers) => answers[Math.min(served++, answers.length - 1)] ?? throttled))
      const { sent, service: svc } = yield* service(script, { retryQuota: quota })
      const calls = (n: number) =>
        Effect.forEach(Array.from({ length: n }), () => Effect.exit(list(svc)), { discard: true }).pipe(
          Effect.withRandom(Random.fixed([0]))
        )
      const useScript = (answers: ReadonlyArray<typeof throttled>) =>
        Effect.zipRight(Ref.set(mode, answers), Effect.sync(() => (served = 0)))

      yield* calls(60) // exhausts it: 50 calls × 2 retries
      assert.strictEqual(yield* quota.available, 0)
      const before = (yield* sent).length
      yield* calls(1) // no tokens: no retry
      assert.strictEqual((yield* sent).length - before, 1)

      yield* useScript([ok()])
      yield* calls(5) // five successes without retries: +1 each
      assert.strictEqual(yield* quota.available, 5)

      yield* useScript([throttled])
      const beforeRetry = (yield* sent).length
      yield* calls(1) // one retry affordable again
      assert.strictEqual((yield* sent).length - beforeRetry, 2)
      assert.strictEqual(yield* quota.available, 0)

      yield* useScript([ok()])
      yield* calls(10)
      yield* useScript([throttled, ok()])
      yield* calls(1) // a retry that succeeds refunds its cost
      assert.strictEqual(yield* quota.available, 10)
    }))
})

// =============================================================================
// Retry safety: step 1 of the association (not idempotent) beside a read-only call
// =============================================================================

/** Step 1 of the association: spends Meta's one-time access token, so it must never be sent twice by accident. */
const step1: Call = (s) => s.associateWhatsAppBusinessAccount({ signupCallback: { accessToken: Redacted.make("t") } })

/** What a call ended in: its request count and a one-line outcome (tag, and the reason or the outcome note). */
interface Measured {
  readonly requests: number
  readonly outcome: string
  /** When each request was sent, in ms from the first. */
  readonly timeline: ReadonlyArray<number>
}

/** The outcome of an exit in one line: `success`, `Tag`, `Tag (reason)` or `Tag + outcome note`. */
const describeExit = (exit: Exit.Exit<unknown, Errors.SocialMessagingError>): string => {
  if (Exit.isSuccess(exit)) return "success"
  const error = Option.getOrUndefined(failureOf(exit))
  if (error === undefined) return `not a typed failure: ${String(exit)}`
  switch (error._tag) {
    case "OutcomeUnknown":
    case "TransportError":
      return `${error._tag} (${error.reason})`
    case "MalformedResponse":
      return `${error._tag}${/\(outcome unknown: /.test(error.detail ?? "") ? " + outcome note" : ""}`
    case "UnknownServiceError":
      return `${error._tag} (${error.errorType}, HTTP ${error.status})${
        /\(outcome unknown: /.test(error.awsMessage ?? "") ? " + outcome note" : ""
      }`
    default:
      return `${error._tag}${/\(outcome unknown: /.test(error.message) ? " + outcome note" : ""}`
  }
}

const measure = (script: Script, call: Call) =>
  Effect.gen(function*() {
    const { sent, service: svc } = yield* service(script)
    const exit = yield* runCall(call(svc))
    const requests = yield* sent
    return { requests: requests.length, outcome: describeExit(exit), timeline: timeline(requests) } satisfies Measured
  })

interface SafetyCase {
  readonly fault: string
  readonly script: Script
  readonly step1: Measured
  readonly readOnly: Measured
}

const THEN_OK = ok({})

/**
 * The table. Step 1 is resent only after a failure that proves AWS did not act (the request was never
 * written: refused, DNS, unreachable, connect time-out; or AWS refused it before acting: 429); after a failure
 * where AWS may have acted it ends at once, in `OutcomeUnknown` or in its 5xx error with the outcome note. The
 * read-only call is retried as before.
 */
const safetyMatrix: ReadonlyArray<SafetyCase> = [
  {
    fault: "connection reset after write (ECONNRESET), then 200",
    script: [reset, THEN_OK],
    step1: { requests: 1, outcome: "OutcomeUnknown (ConnectionReset)", timeline: [0] },
    readOnly: { requests: 2, outcome: "success", timeline: [0, 25] }
  },
  {
    fault: "connection reset after write (ECONNRESET), throughout",
    script: [reset],
    step1: { requests: 1, outcome: "OutcomeUnknown (ConnectionReset)", timeline: [0] },
    readOnly: { requests: 3, outcome: "TransportError (ConnectionReset)", timeline: [0, 25, 75] }
  },
  {
    fault: "attempt time-out (hung answer, 15 s), then 200",
    script: [hang, THEN_OK],
    step1: { requests: 1, outcome: "OutcomeUnknown (AttemptTimeout)", timeline: [0] },
    readOnly: { requests: 2, outcome: "success", timeline: [0, 15025] }
  },
  {
    fault: "attempt time-out (hung answer, 15 s), throughout",
    script: [hang],
    step1: { requests: 1, outcome: "OutcomeUnknown (AttemptTimeout)", timeline: [0] },
    readOnly: { requests: 3, outcome: "AttemptTimeout", timeline: [0, 15025, 30075] }
  },
  {
    fault: "body breaks off after the status line, then 200",
    script: [brokenBody(), THEN_OK],
    step1: { requests: 1, outcome: "OutcomeUnknown (BodyReadFailed)", timeline: [0] },
    readOnly: { requests: 2, outcome: "success", timeline: [0, 25] }
  },
  {
    fault: "500 InternalServiceException, then 200",
    script: [awsError(500, "InternalServiceException"), THEN_OK],
    // The model does not declare InternalServiceException for AssociateWhatsAppBusinessAccount: it arrives as
    // the undeclared error it is (as AWS's SDK names it), its message carrying the note.
    step1: {
      requests: 1,
      outcome: "UnknownServiceError (InternalServiceException, HTTP 500) + outcome note",
      timeline: [0]
    },
    readOnly: { requests: 2, outcome: "success", timeline: [0, 25] }
  },
  {
    fault: "500 InternalServiceException, throughout",
    script: [awsError(500, "InternalServiceException")],
    // The model does not declare InternalServiceException for AssociateWhatsAppBusinessAccount: it arrives as
    // the undeclared error it is (as AWS's SDK names it), its message carrying the note.
    step1: {
      requests: 1,
      outcome: "UnknownServiceError (InternalServiceException, HTTP 500) + outcome note",
      timeline: [0]
    },
    readOnly: { requests: 3, outcome: "InternalServiceException", timeline: [0, 25, 75] }
  },
  {
    fault: "502 DependencyException, then 200",
    script: [awsError(502, "DependencyException"), THEN_OK],
    step1: { requests: 1, outcome: "DependencyException + outcome note", timeline: [0] },
    readOnly: { requests: 2, outcome: "success", timeline: [0, 25] }
  },
  {
    fault: "503 HTML page from a proxy, then 200",
    script: [html503, THEN_OK],
    step1: { requests: 1, outcome: "MalformedResponse + outcome note", timeline: [0] },
    readOnly: { requests: 2, outcome: "success", timeline: [0, 25] }
  },
  {
    fault: "429 ThrottledRequestException ×2, then 200",
    script: [awsError(429, "ThrottledRequestException"), awsError(429, "ThrottledRequestException"), THEN_OK],
    step1: { requests: 3, outcome: "success", timeline: [0, 500, 1500] },
    readOnly: { requests: 3, outcome: "success", timeline: [0, 500, 1500] }
  },
  {
    fault: "429 ThrottledRequestException, throughout",
    script: [awsError(429, "ThrottledRequestException")],
    step1: { requests: 3, outcome: "ThrottledRequestException", timeline: [0, 500, 1500] },
    readOnly: { requests: 3, outcome: "ThrottledRequestException", timeline: [0, 500, 1500] }
  },
  ...([
    ["DNS failure (ENOTFOUND)", "ENOTFOUND", "DnsFailure"],
    ["DNS failure (EAI_AGAIN)", "EAI_AGAIN", "DnsFailure"],
    ["connection refused (ECONNREFUSED)", "ECONNREFUSED", "ConnectionRefused"],
    ["host unreachable (EHOSTUNREACH)", "EHOSTUNREACH", "HostUnreachable"],
    ["network unreachable (ENETUNREACH)", "ENETUNREACH", "HostUnreachable"],
    ["connect time-out (UND_ERR_CONNECT_TIMEOUT)", "UND_ERR_CONNECT_TIMEOUT", "ConnectTimeout"]
  ] as const).flatMap(([fault, code, reason]): ReadonlyArray<SafetyCase> => [
    {
      fault: `${fault}, then 200`,
      script: [failWith(code), THEN_OK],
      step1: { requests: 2, outcome: "success", timeline: [0, 25] },
      readOnly: { requests: 2, outcome: "success", timeline: [0, 25] }
    },
    {
      fault: `${fault}, throughout`,
      script: [failWith(code)],
      step1: { requests: 3, outcome: `TransportError (${reason})`, timeline: [0, 25, 75] },
      readOnly: { requests: 3, outcome: `TransportError (${reason})`, timeline: [0, 25, 75] }
    }
  ])
]

describe("retry safety: step 1 (signupCallback) beside a read-only call (GetLinkedWhatsAppBusinessAccount)", () => {
  for (const c of safetyMatrix) {
    it.effect(`${c.fault}: step 1 ${c.step1.requests} × ${c.step1.outcome}; read-only ${c.readOnly.requests} × ${c.readOnly.outcome}`, () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* measure(c.script, step1), c.step1, "step 1")
        assert.deepStrictEqual(yield* measure(c.script, getLinked), c.readOnly, "read-only")
      }))
  }

  it.effect("the closing-note table (fault × {step 1, read-only}: requests sent, outcome), as measured", () =>
    Effect.gen(function*() {
      const rows: Array<string> = [
        "| fault | step 1: requests | step 1: outcome | read-only: requests | read-only: outcome |",
        "|---|---|---|---|---|"
      ]
      for (const c of safetyMatrix) {
        const s = yield* measure(c.script, step1)
        const r = yield* measure(c.script, getLinked)
        assert.deepStrictEqual([s, r], [c.step1, c.readOnly], c.fault)
        rows.push(`| ${c.fault} | ${s.requests} | ${s.outcome} | ${r.requests} | ${r.outcome} |`)
      }
      // Printed once, for the closing note.
      console.log(`\n${rows.join("\n")}\n`)
    }))
})

describe("time-outs a Node timer cannot keep", () => {
  it.effect("over 2^31 − 1 ms: ConfigurationError at make, nothing sent; Duration.infinity is no time-out", () =>
    Effect.gen(function*() {
      for (const options of [{ attemptTimeout: "30 days" }, { deadline: "25 days" }] as const) {
        const error = yield* Effect.flip(service([ok()], options))
        assert.strictEqual(error._tag, "ConfigurationError")
        assert.include(error.message, "about 24.8 days")
      }
      const { sent, service: svc } = yield* service([ok()], {
        attemptTimeout: Duration.infinity,
        deadline: Duration.infinity
      })
      yield* runCall(list(svc))
      assert.strictEqual((yield* sent).length, 1)
    }))
})
