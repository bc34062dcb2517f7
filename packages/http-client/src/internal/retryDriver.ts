/**
 * The retry driver: runs one call's attempts under its `RetryPolicy` (predicate, attempt cap, schedule), the
 * service's retry quota, the per-attempt time-out and the call's deadline, with the idempotency rules (a call
 * that is not safe to resend is retried only after a failure that proves AWS did not act) and the clock-skew
 * re-sign. It knows nothing of HTTP: an attempt is a function of `AttemptOptions`, so it is tested alone.
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import type * as Tracer from "effect/Tracer"
import * as RetryPolicy from "../RetryPolicy.js"

/** What one attempt is told. */
export interface AttemptOptions {
  /** The attempt's number, from 1 (sent as `amz-sdk-request: attempt=`). */
  readonly attempt: number
  /** The call's cap on attempts (sent as `amz-sdk-request: max=`). */
  readonly maxAttempts: number
  /** AWS's clock minus ours, in milliseconds: sign at `now + clockOffsetMillis`. */
  readonly clockOffsetMillis: number
  /**
   * Set when the attempt times itself (`Options.selfTimed`, under the live clock, with a finite time-out):
   * it must end within `millis`, else fail with `onTimeout()` and abandon (abort) its request.
   */
  readonly timeout?: AttemptTimer | undefined
}

/** The time-out an attempt that times itself keeps. */
export interface AttemptTimer {
  readonly millis: number
  readonly onTimeout: () => TimedOut
}

/** An attempt that ran out of time: its own time-out, or what was left of the call's deadline. */
export type TimedOut = AttemptFailure<Errors.AttemptTimeout | Errors.DeadlineExceeded>

/** A failed attempt as the driver sees it: the typed error and, when an answer came, its headers (hints). */
export interface AttemptFailure<E> {
  readonly error: E
  readonly headers: Readonly<Record<string, string>> | undefined
}

/** What the driver needs of the call and of the service. */
export interface Options {
  /** The operation called (its name, whether it is safe to resend, how to find out its outcome). */
  readonly operation: {
    readonly name: Errors.OperationName
    readonly safeToResend: boolean
    readonly howToFindOut: string
  }
  /** The call's policy (the service's, or the one `withRetryPolicy` set). */
  readonly policy: RetryPolicy.RetryPolicy
  /** The service's retry quota, if any. */
  readonly quota: RetryPolicy.Quota | undefined
  /** Longest wait for one attempt, in milliseconds (may be `Infinity`). */
  readonly attemptTimeoutMillis: number
  /** Longest time for the whole call, in milliseconds (may be `Infinity`). */
  readonly deadlineMillis: number
  /** AWS's clock minus ours, shared by the service's calls; the driver updates it on a clock-skew error. */
  readonly skew: { offsetMillis: number }
  /** The call's span (what of it the driver uses): each attempt is an event of it. */
  readonly span: Pick<Tracer.Span, "event" | "attribute">
  /**
   * The attempt keeps its time-out itself (one timer and an abort signal, no fiber race): the driver then
   * passes `AttemptOptions.timeout` instead of racing it, under the live clock. Under another clock (`TestClock`)
   * the driver races as usual, so tests keep steering time.
   */
  readonly selfTimed?: boolean | undefined
}

const clockSkewThresholdMillis = Duration.toMillis(RetryPolicy.clockSkewThreshold)

/**
 * The `OutcomeUnknown` a failure stands for on a call that is not idempotent, when it may have come after the
 * request was written: a time-out during an attempt, a reset, a socket time-out or an answer that broke off.
 */
export const outcomeUnknown = (
  operation: Options["operation"],
  error: Errors.SocialMessagingError
): Errors.OutcomeUnknown | undefined => {
  const make = (reason: Errors.UnknownOutcomeReason, detail?: string) =>
    new Errors.OutcomeUnknown({
      operation: operation.name,
      reason,
      ...(detail === undefined ? {} : { detail }),
      howToFindOut: operation.howToFindOut
    })
  switch (error._tag) {
    case "AttemptTimeout":
      return make("AttemptTimeout", `no answer within ${error.timeoutMillis} ms`)
    case "DeadlineExceeded":
      return make("DeadlineExceeded", `no answer within the call's deadline of ${error.deadlineMillis} ms`)
    case "TransportError":
      switch (error.reason) {
        case "ConnectionReset":
        case "SocketTimeout":
        case "BodyReadFailed":
        case "Unknown":
          return make(error.reason, error.detail)
        default:
          return undefined
      }
    default:
      return undefined
  }
}

// The constructor of Effect's live clock: under it a time-out is a plain timer; under any other clock
// (`TestClock`, a user's) it is Effect's own race over that clock's `sleep`, so tests keep steering time.
const LiveClock = Clock.make().constructor

/**
 * `self` failing with `onTimeout()` when it has not ended within `millis`, and interrupted then (which aborts
 * its request and socket). Under the live clock: `self` in one child fiber and a timer, about half the cost of
 * `Effect.timeoutFail`'s race of two fibers over `Clock.sleep`; under another clock, `Effect.timeoutFail`.
 */
export const timeoutFail = <A, E, E2, R>(
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> =>
  Effect.clockWith((clock) =>
    clock.constructor !== LiveClock
      ? Effect.timeoutFail(self, { duration: millis, onTimeout })
      : Effect.flatMap(Effect.fork(self), (fiber) => awaitWithin(fiber, millis, onTimeout))
  )

const awaitWithin = <A, E, E2>(
  fiber: Fiber.RuntimeFiber<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.async<A, E | E2>((resume) => {
    let settled = false
    const timer = setTimeout(() => {
      if (settled) return
      settled = true
      fiber.removeObserver(observer)
      resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
    }, millis)
    const observer = (exit: Exit.Exit<A, E>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resume(exit)
    }
    fiber.addObserver(observer)
    return Effect.suspend(() => {
      settled = true
      clearTimeout(timer)
      fiber.removeObserver(observer)
      return Effect.asVoid(Fiber.interrupt(fiber))
    })
  })

/** Records attempt `n` as an event of the call's span. */
const recordAttempt = (
  span: Pick<Tracer.Span, "event">,
  clock: Clock.Clock,
  n: number,
  attributes: Record<string, unknown>
) => span.event("SocialMessaging.attempt", clock.unsafeCurrentTimeNanos(), { "aws.attempt": n, ...attributes })

/** What the driver decides after a failed attempt: stop with an error, or retry after a delay. */
type Decision<E> =
  | { readonly _tag: "Stop"; readonly decision: string; readonly error: E | Errors.OutcomeUnknown }
  | { readonly _tag: "Retry"; readonly delayMillis: number; readonly attributes: Record<string, unknown> }

/** What a call run by the driver fails with: an attempt's error, or what the driver concluded. */
export type RunError<E> = E | Errors.OutcomeUnknown | Errors.AttemptTimeout | Errors.DeadlineExceeded

/** One call's loop: what it was given, and its mutable state. */
interface CallState {
  readonly options: Options
  readonly clock: Clock.Clock
  readonly maxAttempts: number
  readonly deadlineAt: number
  /** The schedule's state, stepped once per retry. */
  schedule: unknown
  /** The quota tokens the last retry took (refunded on success). */
  retryCost: Option.Option<number>
  skewCorrected: boolean
}

/**
 * Runs `attempt` until it succeeds or the rules say stop: each attempt under the attempt time-out (or what is
 * left of the deadline), then the clock-skew re-sign (once, no back-off, no quota), the idempotency rules, the
 * policy's predicate and cap, its schedule, the deadline and the quota, in that order. Each attempt is an
 * event of `options.span` (number, outcome, error tag, decision, delay); `aws.attempts` is set at the end.
 */
export const run = <A, E extends Errors.SocialMessagingError>(
  options: Options,
  attempt: (attempt: AttemptOptions) => Effect.Effect<A, AttemptFailure<E> | TimedOut>
): Effect.Effect<A, RunError<E>> =>
  Effect.clockWith((clock) => {
    const { operation, policy, quota, span } = options
    // `withRetryPolicy` and the layer refuse other values; a policy set on the FiberRef directly gets one attempt.
    const maxAttempts = RetryPolicy.isValidMaxAttempts(policy.maxAttempts) ? policy.maxAttempts : 1
    const deadlineAt = clock.unsafeCurrentTimeMillis() + options.deadlineMillis
    const state: CallState = {
      options,
      clock,
      maxAttempts,
      deadlineAt,
      schedule: policy.schedule.initial,
      retryCost: Option.none(),
      skewCorrected: false
    }
    type Failure = AttemptFailure<E | Errors.AttemptTimeout | Errors.DeadlineExceeded>
    const once = (n: number): Effect.Effect<Either.Either<A, Failure>> => {
      const remaining = deadlineAt - clock.unsafeCurrentTimeMillis()
      if (remaining <= 0) {
        const error = new Errors.DeadlineExceeded({ operation: operation.name, deadlineMillis: options.deadlineMillis })
        return Effect.succeed(Either.left({ error, headers: undefined }))
      }
      const attemptOptions = { attempt: n, maxAttempts, clockOffsetMillis: options.skew.offsetMillis }
      const timeoutMillis = Math.min(remaining, options.attemptTimeoutMillis)
      // With both time-outs infinite (as the AWS SDK's defaults are) there is no time-out to pay for.
      if (!Number.isFinite(timeoutMillis)) return Effect.either(attempt(attemptOptions))
      const deadlineBound = remaining < options.attemptTimeoutMillis
      const onTimeout = (): TimedOut => ({
        error: deadlineBound
          ? new Errors.DeadlineExceeded({ operation: operation.name, deadlineMillis: options.deadlineMillis })
          : new Errors.AttemptTimeout({ operation: operation.name, timeoutMillis: options.attemptTimeoutMillis }),
        headers: undefined
      })
      if (options.selfTimed === true && clock.constructor === LiveClock) {
        return Effect.either(attempt({ ...attemptOptions, timeout: { millis: timeoutMillis, onTimeout } }))
      }
      return Effect.either(timeoutFail(attempt(attemptOptions), timeoutMillis, onTimeout))
    }
    const loop = (n: number): Effect.Effect<A, RunError<E>> =>
      Effect.flatMap(once(n), (result) => {
        if (Either.isRight(result)) {
          recordAttempt(span, clock, n, { "aws.attempt.outcome": "success" })
          span.attribute("aws.attempts", n)
          return quota === undefined
            ? Effect.succeed(result.right)
            : Effect.as(quota.release(state.retryCost), result.right)
        }
        return Effect.flatMap(decide(state, n, result.left), (decision) => {
          const kind = RetryPolicy.classify(result.left.error)
          if (decision._tag === "Stop") {
            recordAttempt(span, clock, n, {
              "aws.attempt.outcome": "error",
              "error.tag": decision.error._tag,
              "aws.retry.kind": kind,
              "aws.retry.decision": decision.decision
            })
            span.attribute("aws.attempts", n)
            return Effect.fail(decision.error)
          }
          recordAttempt(span, clock, n, {
            "aws.attempt.outcome": "error",
            "error.tag": result.left.error._tag,
            "aws.retry.kind": kind,
            ...decision.attributes
          })
          return decision.delayMillis > 0
            ? Effect.zipRight(Effect.sleep(decision.delayMillis), loop(n + 1))
            : loop(n + 1)
        })
      })
    return loop(1)
  })

/**
 * After attempt `n` failed: the clock-skew re-sign, then the idempotency rules, the predicate, the cap, the
 * schedule (stepped with the `FailedAttempt`), the deadline and the quota decide between stop and retry.
 */
const decide = <E extends Errors.SocialMessagingError>(
  state: CallState,
  n: number,
  { error, headers }: AttemptFailure<E>
): Effect.Effect<Decision<E>> => {
  const { clock, deadlineAt, maxAttempts, options } = state
  const { operation, policy, quota, skew } = options
  const now = clock.unsafeCurrentTimeMillis()
  const kind = RetryPolicy.classify(error)
  const stop = (decision: string, reported: E | Errors.OutcomeUnknown = error): Effect.Effect<Decision<E>> =>
    Effect.succeed({ _tag: "Stop", decision, error: reported })
  // AWS rejected our signing time: learn its clock from `Date`, re-sign, retry once (no back-off, no quota).
  // A stale offset (another call corrected it meanwhile) counts as skew too.
  if (!state.skewCorrected && headers !== undefined && RetryPolicy.isClockSkewError(error)) {
    const server = RetryPolicy.serverTime(headers)
    if (Option.isSome(server) && Math.abs(server.value - (now + skew.offsetMillis)) > clockSkewThresholdMillis) {
      skew.offsetMillis = server.value - now
      state.skewCorrected = true
      if (n < maxAttempts) {
        return Effect.succeed({
          _tag: "Retry",
          delayMillis: 0,
          attributes: {
            "aws.retry.decision": "clock-skew",
            "aws.retry.delay_ms": 0,
            "aws.clock_offset_ms": skew.offsetMillis
          }
        })
      }
    }
  }
  const failure: RetryPolicy.FailedAttempt = {
    error,
    kind,
    attempt: n,
    retryAfter: headers === undefined || kind === "never"
      ? Option.none()
      : RetryPolicy.retryAfter(headers, now + skew.offsetMillis)
  }
  // Not idempotent: resend only what proves AWS did not act; a failure after the request may have been
  // delivered ends the call with its outcome unknown (a 5xx keeps its own error, its message says so).
  if (!(operation.safeToResend || policy.resendUnsafe) && !RetryPolicy.provesNotActedOn(error)) {
    const unknown = outcomeUnknown(operation, error)
    if (unknown !== undefined) return stop("outcome-unknown", unknown)
    if (kind !== "never") return stop("not-idempotent")
  }
  if (!policy.while(failure)) return stop("not-retryable")
  if (n >= maxAttempts) return stop("max-attempts")
  return Effect.flatMap(policy.schedule.step(now, failure, state.schedule), ([next, , decision]) => {
    if (ScheduleDecision.isDone(decision)) return stop("schedule-done")
    state.schedule = next
    const delayMillis = Math.max(0, ScheduleIntervals.start(decision.intervals) - now)
    if (now + delayMillis >= deadlineAt) return stop("deadline")
    const retry: Decision<E> = {
      _tag: "Retry",
      delayMillis,
      attributes: { "aws.retry.decision": "retry", "aws.retry.delay_ms": delayMillis }
    }
    if (quota === undefined) return Effect.succeed(retry)
    return Effect.map(quota.acquire(kind), (cost): Decision<E> => {
      if (Option.isNone(cost)) return { _tag: "Stop", decision: "quota-exhausted", error }
      state.retryCost = cost
      return retry
    })
  })
}
