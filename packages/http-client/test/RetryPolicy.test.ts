import { assert, describe, expect, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import { Duration, Effect, FiberRef, Option, Random, Schedule, ScheduleDecision, ScheduleIntervals } from "effect"
import * as RetryPolicy from "../src/RetryPolicy.js"

const operation = "ListLinkedWhatsAppBusinessAccounts"
const unknown = (status: number, errorType: string, awsMessage?: string) =>
  new Errors.UnknownServiceError({
    operation,
    status,
    errorType,
    ...(awsMessage === undefined ? {} : { awsMessage })
  })
const transport = (reason: Errors.TransportFailure) => new Errors.TransportError({ operation, reason })
const malformed = (status: number) => new Errors.MalformedResponse({ operation, status, bodyExcerpt: "<html>" })

const failed = (
  error: Errors.SocialMessagingError,
  retryAfter: Option.Option<Duration.Duration> = Option.none()
): RetryPolicy.FailedAttempt => ({ error, kind: RetryPolicy.classify(error), attempt: 1, retryAfter })

const throttled = failed(new Errors.ThrottledRequestException({}))
const internal = failed(new Errors.InternalServiceException({}))

/** The delays (ms) a schedule gives for these inputs, stepped at time 0, until it is done. */
const delays = <In>(schedule: Schedule.Schedule<unknown, In>, inputs: ReadonlyArray<In>) =>
  Effect.gen(function*() {
    let state: unknown = schedule.initial
    const out: Array<number> = []
    for (const input of inputs) {
      const [next, , decision] = yield* schedule.step(0, input, state)
      if (ScheduleDecision.isDone(decision)) break
      out.push(ScheduleIntervals.start(decision.intervals))
      state = next
    }
    return out
  })

describe("RetryPolicy.classify", () => {
  const cases: ReadonlyArray<readonly [string, Errors.SocialMessagingError, RetryPolicy.Kind]> = [
    ["ThrottledRequestException", new Errors.ThrottledRequestException({}), "throttling"],
    ["an undeclared 429", unknown(429, "SomethingNew"), "throttling"],
    ["ThrottlingException at 400", unknown(400, "ThrottlingException"), "throttling"],
    ["TooManyRequestsException", unknown(400, "TooManyRequestsException"), "throttling"],
    ["DependencyException", new Errors.DependencyException({}), "transient"],
    ["InternalServiceException", new Errors.InternalServiceException({}), "transient"],
    ["an undeclared 500", unknown(500, "InternalFailure"), "transient"],
    ["an undeclared 502", unknown(502, "BadGateway"), "transient"],
    ["an undeclared 503", unknown(503, "ServiceUnavailable"), "transient"],
    ["an undeclared 504", unknown(504, "GatewayTimeout"), "transient"],
    ["RequestTimeoutException at 408", unknown(408, "RequestTimeoutException"), "transient"],
    ["a proxy's HTML 503", malformed(503), "transient"],
    ["connection reset", transport("ConnectionReset"), "transient"],
    ["connection refused", transport("ConnectionRefused"), "transient"],
    ["socket time-out", transport("SocketTimeout"), "transient"],
    ["AttemptTimeout", new Errors.AttemptTimeout({ operation, timeoutMillis: 15000 }), "transient"],
    ["LimitExceededException (a quota)", new Errors.LimitExceededException({}), "never"],
    ["an undeclared LimitExceededException", unknown(400, "LimitExceededException"), "never"],
    ["ValidationException", new Errors.ValidationException({}), "never"],
    ["InvalidParametersException", new Errors.InvalidParametersException({}), "never"],
    ["AccessDeniedException", new Errors.AccessDeniedException({}), "never"],
    ["ResourceNotFoundException", new Errors.ResourceNotFoundException({}), "never"],
    ["an undeclared 501", unknown(501, "NotImplemented"), "never"],
    ["an undeclared 599", unknown(599, "Weird"), "never"],
    ["an unreadable 2xx", malformed(200), "never"],
    ["DNS failure (nothing was sent)", transport("DnsFailure"), "transient"],
    ["host unreachable (nothing was sent)", transport("HostUnreachable"), "transient"],
    ["connect time-out (nothing was sent)", transport("ConnectTimeout"), "transient"],
    ["TLS failure", transport("TlsFailure"), "never"],
    ["DeadlineExceeded", new Errors.DeadlineExceeded({ operation, deadlineMillis: 60000 }), "never"],
    ["RequestValidationError", new Errors.RequestValidationError({ operation, violations: [] }), "never"],
    ["CredentialsError", new Errors.CredentialsError({ provider: "env", detail: "none" }), "never"],
    ["ConfigurationError", new Errors.ConfigurationError({ setting: "region", detail: "none" }), "never"]
  ]
  for (const [name, error, kind] of cases) {
    it(`${name} → ${kind}`, () => assert.strictEqual(RetryPolicy.classify(error), kind))
  }
})

describe("RetryPolicy back-off schedules", () => {
  it.effect("transient: random × min(50 ms × 2^n, 20 s)", () =>
    Effect.gen(function*() {
      const inputs = Array.from({ length: 12 }, () => internal)
      assert.deepStrictEqual(
        yield* delays(RetryPolicy.transient, inputs).pipe(Effect.withRandom(Random.fixed([1]))),
        [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000, 20000]
      )
      assert.deepStrictEqual(
        yield* delays(RetryPolicy.transient, inputs.slice(0, 3)).pipe(Effect.withRandom(Random.fixed([0.5]))),
        [25, 50, 100]
      )
    }))

  it.effect("throttling: random × min(1 s × 2^n, 20 s)", () =>
    Effect.gen(function*() {
      const inputs = Array.from({ length: 7 }, () => throttled)
      assert.deepStrictEqual(
        yield* delays(RetryPolicy.throttling, inputs).pipe(Effect.withRandom(Random.fixed([1]))),
        [1000, 2000, 4000, 8000, 16000, 20000, 20000]
      )
      assert.deepStrictEqual(
        yield* delays(RetryPolicy.throttling, inputs.slice(0, 2)).pipe(Effect.withRandom(Random.fixed([0.25, 0.75]))),
        [250, 1500]
      )
    }))

  it.effect("backoff: the base follows each failure's kind, the exponent counts every retry", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* delays(RetryPolicy.backoff, [throttled, internal, throttled, internal]).pipe(
          Effect.withRandom(Random.fixed([1]))
        ),
        [1000, 100, 4000, 400]
      )
    }))

  it.effect("a server hint sets the wait within [computed, computed + 5 s]", () =>
    Effect.gen(function*() {
      const hinted = (ms: number) => failed(new Errors.InternalServiceException({}), Option.some(Duration.millis(ms)))
      const run = (input: RetryPolicy.FailedAttempt) =>
        delays(RetryPolicy.standardSchedule, [input]).pipe(Effect.withRandom(Random.fixed([0.5])))
      assert.deepStrictEqual(yield* run(hinted(1000)), [1000]) // honoured
      assert.deepStrictEqual(yield* run(hinted(30000)), [5025]) // capped: 25 ms computed + 5 s
      assert.deepStrictEqual(yield* run(hinted(5)), [25]) // cannot shorten the back-off
      assert.deepStrictEqual(yield* run(internal), [25]) // no hint
    }))

  it.effect("respectRetryAfter composes with any schedule", () =>
    Effect.gen(function*() {
      const spaced = Schedule.spaced("2 seconds").pipe(RetryPolicy.respectRetryAfter({ bound: "1 second" }))
      const hinted = failed(new Errors.ThrottledRequestException({}), Option.some(Duration.seconds(10)))
      assert.deepStrictEqual(yield* delays(spaced, [hinted, throttled]), [3000, 2000])
    }))
})

describe("RetryPolicy server hints", () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0)
  it("x-amz-retry-after is milliseconds and wins over Retry-After", () => {
    expect(RetryPolicy.retryAfter({ "x-amz-retry-after": "1500", "retry-after": "9" }, now)).toStrictEqual(
      Option.some(Duration.millis(1500))
    )
  })
  it("Retry-After in seconds", () => {
    expect(RetryPolicy.retryAfter({ "retry-after": "2" }, now)).toStrictEqual(Option.some(Duration.seconds(2)))
  })
  it("Retry-After as an HTTP date, against the given clock; a past date is no wait", () => {
    expect(RetryPolicy.retryAfter({ "retry-after": "Wed, 21 Oct 2015 07:28:03 GMT" }, now)).toStrictEqual(
      Option.some(Duration.millis(3000))
    )
    expect(RetryPolicy.retryAfter({ "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" }, now)).toStrictEqual(
      Option.some(Duration.zero)
    )
  })
  it("malformed or absent hints are ignored", () => {
    expect(RetryPolicy.retryAfter({ "x-amz-retry-after": "soon" }, now)).toStrictEqual(Option.none())
    expect(RetryPolicy.retryAfter({ "retry-after": "-1" }, now)).toStrictEqual(Option.none())
    expect(RetryPolicy.retryAfter({}, now)).toStrictEqual(Option.none())
  })
  it("parseHttpDate: IMF-fixdate, RFC 850, asctime", () => {
    expect(RetryPolicy.parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")).toStrictEqual(
      Option.some(Date.UTC(1994, 10, 6, 8, 49, 37))
    )
    expect(RetryPolicy.parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT")).toStrictEqual(
      Option.some(Date.UTC(1994, 10, 6, 8, 49, 37))
    )
    expect(RetryPolicy.parseHttpDate("Sun Nov  6 08:49:37 1994")).toStrictEqual(
      Option.some(Date.UTC(1994, 10, 6, 8, 49, 37))
    )
    expect(RetryPolicy.parseHttpDate("Mon, 01 Jan 2024 00:00:00 GMT")).toStrictEqual(Option.some(1704067200000))
    expect(RetryPolicy.parseHttpDate("Mon, 01 Foo 2024 00:00:00 GMT")).toStrictEqual(Option.none())
    expect(RetryPolicy.parseHttpDate("2024-01-01T00:00:00Z")).toStrictEqual(Option.none())
  })
  it("serverTime reads the Date header", () => {
    expect(RetryPolicy.serverTime({ date: "Wed, 21 Oct 2015 07:28:00 GMT" })).toStrictEqual(Option.some(now))
    expect(RetryPolicy.serverTime({ date: "yesterday-ish" })).toStrictEqual(Option.none())
  })
  it("isClockSkewError: time errors, and signature errors whose message is about time", () => {
    const skew = (type: string, message?: string) => RetryPolicy.isClockSkewError(unknown(403, type, message))
    assert.isTrue(skew("RequestTimeTooSkewed"))
    assert.isTrue(skew("RequestExpired"))
    assert.isTrue(
      skew(
        "InvalidSignatureException",
        "Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T001500Z - 5 min.)"
      )
    )
    assert.isTrue(
      skew("InvalidSignatureException", "Signature not yet current: 20240101T001000Z is still later than ...")
    )
    assert.isTrue(skew("SignatureDoesNotMatch", "Signature expired: ..."))
    assert.isFalse(skew("InvalidSignatureException", "The request signature we calculated does not match"))
    assert.isFalse(skew("SignatureDoesNotMatch"))
    assert.isFalse(RetryPolicy.isClockSkewError(new Errors.ThrottledRequestException({})))
  })
})

describe("RetryPolicy policies", () => {
  it("standard: 3 attempts, retryable failures only, the standard schedule", () => {
    assert.strictEqual(RetryPolicy.standard.maxAttempts, 3)
    assert.strictEqual(RetryPolicy.standard.schedule, RetryPolicy.standardSchedule)
    assert.isTrue(RetryPolicy.standard.while(throttled))
    assert.isFalse(RetryPolicy.standard.while(failed(new Errors.LimitExceededException({}))))
  })
  it("none: one attempt, nothing retried", () => {
    assert.strictEqual(RetryPolicy.none.maxAttempts, 1)
    assert.isFalse(RetryPolicy.none.while(throttled))
  })
  it("withMaxAttempts and make build new values", () => {
    assert.strictEqual(RetryPolicy.withMaxAttempts(RetryPolicy.standard, 5).maxAttempts, 5)
    assert.strictEqual(RetryPolicy.standard.maxAttempts, 3)
    const custom = RetryPolicy.make({ schedule: Schedule.spaced("1 second") })
    assert.strictEqual(custom.maxAttempts, 3)
    assert.strictEqual(custom.while, RetryPolicy.isRetryable)
  })
  it.effect("withRetryPolicy sets the policy for the effect only", () =>
    Effect.gen(function*() {
      const inside = yield* FiberRef.get(RetryPolicy.currentRetryPolicy).pipe(
        RetryPolicy.withRetryPolicy(RetryPolicy.none)
      )
      expect(inside).toStrictEqual(Option.some(RetryPolicy.none))
      expect(yield* FiberRef.get(RetryPolicy.currentRetryPolicy)).toStrictEqual(Option.none())
    }))
})

describe("RetryPolicy quota", () => {
  it.effect("500 tokens: 100 throttling retries or 35 transient ones", () =>
    Effect.gen(function*() {
      const quota = yield* RetryPolicy.makeQuota()
      let granted = 0
      while (Option.isSome(yield* quota.acquire("throttling"))) granted++
      assert.strictEqual(granted, 100)
      assert.strictEqual(yield* quota.available, 0)
      const other = yield* RetryPolicy.makeQuota()
      granted = 0
      while (Option.isSome(yield* other.acquire("transient"))) granted++
      assert.strictEqual(granted, 35)
      assert.strictEqual(yield* other.available, 500 - 35 * 14)
    }))

  it.effect("successes refill it: +1 without retry, the retry's cost with one; capped at capacity", () =>
    Effect.gen(function*() {
      const quota = yield* RetryPolicy.makeQuota({ capacity: 20 })
      expect(yield* quota.acquire("transient")).toStrictEqual(Option.some(14))
      expect(yield* quota.acquire("transient")).toStrictEqual(Option.none())
      yield* quota.release(Option.none())
      assert.strictEqual(yield* quota.available, 7)
      yield* quota.release(Option.some(14))
      assert.strictEqual(yield* quota.available, 20)
      yield* quota.release(Option.none())
      assert.strictEqual(yield* quota.available, 20)
    }))
})
