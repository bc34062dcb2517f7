import { assert, describe, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import { Effect, Fiber, Option, Schedule, TestClock } from "effect"
import * as RetryDriver from "../src/internal/retryDriver.js"
import * as RetryPolicy from "../src/RetryPolicy.js"

// The driver alone: an attempt is a function of its options, so each rule is seen without any HTTP.

/** A span that keeps its events and attributes (what the call's span records per attempt). */
const recordingSpan = () => {
  const events: Array<Record<string, unknown>> = []
  const attributes = new Map<string, unknown>()
  const span: RetryDriver.Options["span"] = {
    attribute: (key, value) => void attributes.set(key, value),
    event: (_name, _time, attrs) => void events.push(attrs ?? {})
  }
  return { span, events, attributes }
}

const operationName: Errors.OperationName = "GetLinkedWhatsAppBusinessAccount"

const operation = (safeToResend: boolean) => ({
  name: operationName,
  safeToResend,
  howToFindOut: "list the linked accounts"
})

const options = (overrides: Partial<RetryDriver.Options> = {}): RetryDriver.Options => ({
  operation: operation(true),
  policy: RetryPolicy.make({ schedule: Schedule.spaced("10 millis") }),
  quota: undefined,
  attemptTimeoutMillis: Infinity,
  deadlineMillis: Infinity,
  skew: { offsetMillis: 0 },
  span: recordingSpan().span,
  ...overrides
})

const throttled = (): Errors.SocialMessagingError => new Errors.ThrottledRequestException({ message: "slow down" })
const reset = () =>
  new Errors.TransportError({ operation: "GetLinkedWhatsAppBusinessAccount", reason: "ConnectionReset" })
const refused = () =>
  new Errors.TransportError({ operation: "GetLinkedWhatsAppBusinessAccount", reason: "ConnectionRefused" })

/** An attempt that fails with `errors` in turn, then succeeds; counts its calls and keeps their options. */
const scripted = (errors: ReadonlyArray<Errors.SocialMessagingError>, headers?: Record<string, string>) => {
  const seen: Array<RetryDriver.AttemptOptions> = []
  const attempt = (o: RetryDriver.AttemptOptions) =>
    Effect.suspend(() => {
      seen.push(o)
      const error = errors[seen.length - 1]
      return error === undefined ? Effect.succeed("ok") : Effect.fail({ error, headers })
    })
  return { seen, attempt }
}

describe("RetryDriver.run", () => {
  it.effect("retries a retryable failure, numbering the attempts and capping them", () =>
    Effect.gen(function*() {
      const { attempt, seen } = scripted([throttled(), throttled()])
      const fiber = yield* Effect.fork(RetryDriver.run(options(), attempt))
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* Fiber.join(fiber), "ok")
      assert.deepStrictEqual(seen.map((o) => [o.attempt, o.maxAttempts]), [[1, 3], [2, 3], [3, 3]])
    }))

  it.effect("stops at maxAttempts with the last error", () =>
    Effect.gen(function*() {
      const { attempt, seen } = scripted([throttled(), throttled(), throttled()])
      const recording = recordingSpan()
      const fiber = yield* Effect.fork(Effect.flip(RetryDriver.run(options({ span: recording.span }), attempt)))
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "ThrottledRequestException")
      assert.strictEqual(seen.length, 3)
      assert.deepStrictEqual(recording.events.map((e) => e["aws.retry.decision"]), ["retry", "retry", "max-attempts"])
      assert.strictEqual(recording.attributes.get("aws.attempts"), 3)
    }))

  it.effect("a call that is not safe to resend ends with OutcomeUnknown after a reset, and retries a refusal", () =>
    Effect.gen(function*() {
      const unsafe = scripted([reset()])
      const error = yield* Effect.flip(RetryDriver.run(options({ operation: operation(false) }), unsafe.attempt))
      assert.strictEqual(error._tag, "OutcomeUnknown")
      assert.strictEqual(unsafe.seen.length, 1)
      const notSent = scripted([refused()])
      const fiber = yield* Effect.fork(RetryDriver.run(options({ operation: operation(false) }), notSent.attempt))
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* Fiber.join(fiber), "ok")
      assert.strictEqual(notSent.seen.length, 2)
    }))

  it.effect("resendUnsafe resends after a reset", () =>
    Effect.gen(function*() {
      const { attempt, seen } = scripted([reset()])
      const policy = RetryPolicy.resendUnsafe(RetryPolicy.make({ schedule: Schedule.spaced("10 millis") }))
      const fiber = yield* Effect.fork(RetryDriver.run(options({ operation: operation(false), policy }), attempt))
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* Fiber.join(fiber), "ok")
      assert.strictEqual(seen.length, 2)
    }))

  it.effect("an empty quota stops retrying; a success refunds", () =>
    Effect.gen(function*() {
      const quota = yield* RetryPolicy.makeQuota({ capacity: 5, throttlingCost: 5 })
      const first = scripted([throttled()])
      const fiber = yield* Effect.fork(RetryDriver.run(options({ quota }), first.attempt))
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* Fiber.join(fiber), "ok")
      assert.strictEqual(yield* quota.available, 5)
      const drained = yield* RetryPolicy.makeQuota({ capacity: 4, throttlingCost: 5 })
      const second = scripted([throttled()])
      const recording = recordingSpan()
      const run = RetryDriver.run(options({ quota: drained, span: recording.span }), second.attempt)
      const error = yield* Effect.flip(run)
      assert.strictEqual(error._tag, "ThrottledRequestException")
      assert.deepStrictEqual(recording.events.map((e) => e["aws.retry.decision"]), ["quota-exhausted"])
    }))

  it.effect("a back-off that would end past the deadline is not waited for", () =>
    Effect.gen(function*() {
      const { attempt, seen } = scripted([throttled(), throttled()])
      const policy = RetryPolicy.make({ schedule: Schedule.spaced("10 seconds") })
      const recording = recordingSpan()
      const error = yield* Effect.flip(
        RetryDriver.run(options({ policy, deadlineMillis: 5_000, span: recording.span }), attempt)
      )
      assert.strictEqual(error._tag, "ThrottledRequestException")
      assert.strictEqual(seen.length, 1)
      assert.deepStrictEqual(recording.events.map((e) => e["aws.retry.decision"]), ["deadline"])
    }))

  it.effect("an attempt that hangs times out (AttemptTimeout), and the next attempt runs", () =>
    Effect.gen(function*() {
      let n = 0
      const attempt = () => Effect.suspend(() => (++n === 1 ? Effect.never : Effect.succeed("ok")))
      const fiber = yield* Effect.fork(RetryDriver.run(options({ attemptTimeoutMillis: 1_000 }), attempt))
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), "ok")
      assert.strictEqual(n, 2)
    }))

  it.effect("a hung attempt bound by the deadline fails with DeadlineExceeded", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        Effect.flip(
          RetryDriver.run(options({ attemptTimeoutMillis: 10_000, deadlineMillis: 1_000 }), () => Effect.never)
        )
      )
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual((yield* Fiber.join(fiber))._tag, "DeadlineExceeded")
    }))

  it.effect("a clock-skew error is re-signed once at AWS's time, with no back-off", () =>
    Effect.gen(function*() {
      const skewed = new Errors.UnknownServiceError({
        operation: "GetLinkedWhatsAppBusinessAccount",
        errorType: "InvalidSignatureException",
        status: 403,
        awsMessage: "Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z"
      })
      const { attempt, seen } = scripted([skewed], { date: "Mon, 01 Jan 2024 00:10:00 GMT" })
      const skew = { offsetMillis: 0 }
      assert.strictEqual(yield* RetryDriver.run(options({ skew }), attempt), "ok")
      assert.strictEqual(seen.length, 2)
      assert.strictEqual(seen[0]!.clockOffsetMillis, 0)
      assert.strictEqual(seen[1]!.clockOffsetMillis, Date.UTC(2024, 0, 1, 0, 10))
      assert.strictEqual(skew.offsetMillis, Date.UTC(2024, 0, 1, 0, 10))
    }))
})

/** Never ends; tells `onInterrupt` when interrupted. */
const hangs = (onInterrupt: () => void) => Effect.onInterrupt(Effect.never, () => Effect.sync(onInterrupt))

describe("RetryDriver.timeoutFail", () => {
  it.live("under the live clock: a timer interrupts the effect and fails with the given error", () =>
    Effect.gen(function*() {
      let interrupted = false
      const error = yield* Effect.flip(
        RetryDriver.timeoutFail(hangs(() => (interrupted = true)), 20, () => "late")
      )
      assert.strictEqual(error, "late")
      assert.isTrue(interrupted)
      assert.strictEqual(yield* RetryDriver.timeoutFail(Effect.succeed(1), 1_000, () => "late"), 1)
      assert.strictEqual(yield* Effect.flip(RetryDriver.timeoutFail(Effect.fail("own"), 1_000, () => "late")), "own")
    }))

  it.live("interrupting the caller interrupts the effect", () =>
    Effect.gen(function*() {
      let interrupted = false
      const fiber = yield* Effect.fork(
        RetryDriver.timeoutFail(hangs(() => (interrupted = true)), 10_000, () => "late")
      )
      yield* Effect.sleep(10)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(interrupted)
    }))
})

describe("RetryDriver.outcomeUnknown", () => {
  it("a reset is an unknown outcome, a refusal is not", () => {
    assert.strictEqual(RetryDriver.outcomeUnknown(operation(false), reset())?.reason, "ConnectionReset")
    assert.isUndefined(RetryDriver.outcomeUnknown(operation(false), refused()))
    assert.isTrue(Option.isNone(Option.fromNullable(RetryDriver.outcomeUnknown(operation(false), throttled()))))
  })
})
