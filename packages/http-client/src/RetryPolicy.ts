/**
 * Retries as values: which errors are retried (classification as data, from each error's `classification`),
 * how long to wait (AWS standard mode: full-jitter exponential back-off as `Schedule`s over Effect's `Random`
 * and `Clock`), how server hints bend the wait, and the retry quota that stops a client from multiplying the
 * load on a failing endpoint. The client runs the policy; users read, compose or replace it, per layer
 * (`SocialMessaging.layer({ retryPolicy })`) or per call (`RetryPolicy.withRetryPolicy`).
 *
 * @example
 * ```ts
 * import { Duration, Schedule } from "effect"
 * import * as RetryPolicy from "@social-messaging/http-client/RetryPolicy"
 *
 * // Five attempts, the standard back-off, never sleeping more than 2 seconds between attempts.
 * const patient = RetryPolicy.make({
 *   maxAttempts: 5,
 *   schedule: RetryPolicy.standardSchedule.pipe(Schedule.modifyDelay((_, d) => Duration.min(d, Duration.seconds(2))))
 * })
 * // For one call (`client` is the SocialMessaging service):
 * const program = client.listLinkedWhatsAppBusinessAccounts({}).pipe(RetryPolicy.withRetryPolicy(patient))
 * // Or for every call of a layer: SocialMessaging.layer({ region, retryPolicy: patient })
 * ```
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"

// =============================================================================
// Classification
// =============================================================================

/** How a failure is retried: with the slow throttling back-off, the fast transient one, or not at all. */
export type Kind = "throttling" | "transient" | "never"

/**
 * Error types (`x-amzn-errortype`) that mean "slow down" when AWS sends them as an error this service does not
 * declare: AWS's list, less `LimitExceededException`, which in this service is a quota (25 WABAs per region)
 * that no retry can lift (the SDK retries it as throttling).
 */
export const throttlingErrorTypes: ReadonlySet<string> = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "ThrottledRequestException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException"
])

/** Undeclared error types that are transient whatever their status (AWS's list). */
export const transientErrorTypes: ReadonlySet<string> = new Set([
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError"
])

/**
 * Classifies an error from its `classification` (HTTP status, `@retryable`, throttling): throttling (429,
 * `ThrottledRequestException`), transient (`DependencyException`, `InternalServiceException`, HTTP 500/502/503/504
 * including a proxy's HTML page, connection reset/refused, socket time-out, `AttemptTimeout`), never (every other
 * 4xx, `LimitExceededException`, validation, a 2xx that cannot be read, other 5xx, `DeadlineExceeded`).
 */
export const classify = (error: Errors.SocialMessagingError): Kind => {
  if (error._tag === "UnknownServiceError") {
    if (throttlingErrorTypes.has(error.errorType)) return "throttling"
    if (transientErrorTypes.has(error.errorType)) return "transient"
  }
  const classification = error.classification
  return classification.retryable ? (classification.throttling ? "throttling" : "transient") : "never"
}

// =============================================================================
// What a schedule sees
// =============================================================================

/** One failed attempt, the input of a policy's `Schedule` and predicate. */
export interface FailedAttempt {
  readonly error: Errors.SocialMessagingError
  /** `classify(error)`. */
  readonly kind: Kind
  /** The number of the attempt that failed, from 1. */
  readonly attempt: number
  /**
   * The server's hint (`x-amz-retry-after` in milliseconds, else `Retry-After` in seconds or as an HTTP date),
   * read only on retryable errors.
   */
  readonly retryAfter: Option.Option<Duration.Duration>
}

/** The default predicate: retry throttling and transient failures, nothing else. */
export const isRetryable = (failure: FailedAttempt): boolean => failure.kind !== "never"

/**
 * Whether a failure proves AWS did not act on the request, so resending cannot repeat an action: the
 * request was never written (connection refused, DNS failure, host or network unreachable, connect
 * time-out), or AWS refused it before processing (429 throttling, which AWS answers before it acts), or AWS
 * rejected its signature (the clock-skew re-sign). Only these are retried for an operation that is neither
 * read-only nor idempotent.
 */
export const provesNotActedOn = (error: Errors.SocialMessagingError): boolean => {
  if (error._tag === "TransportError") return Errors.notSentTransportFailures.has(error.reason)
  const { httpStatus, throttling } = error.classification
  return throttling && httpStatus === 429
}

// =============================================================================
// Back-off schedules
// =============================================================================

/** The longest back-off AWS's SDKs wait between attempts. */
export const maxBackoff: Duration.Duration = Duration.seconds(20)
/** Base of the throttling back-off (AWS standard mode, 2026 numbers). */
export const throttlingBase: Duration.Duration = Duration.seconds(1)
/** Base of the transient back-off (AWS standard mode, 2026 numbers). */
export const transientBase: Duration.Duration = Duration.millis(50)

const fullJitter = (baseMillis: number, capMillis: number, n: number): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (r) => Duration.millis(r * Math.min(baseMillis * 2 ** n, capMillis)))

/**
 * Full-jitter exponential back-off: the n-th retry (from 0) waits `random × min(base × 2^n, cap)`, `random`
 * from Effect's `Random`. Recurs forever; bound it with a policy's `maxAttempts` or `Schedule.recurs`.
 */
export const exponentialBackoff = (options: {
  readonly base: Duration.DurationInput
  readonly cap?: Duration.DurationInput | undefined
}): Schedule.Schedule<number> => {
  const base = Duration.toMillis(options.base)
  const cap = Duration.toMillis(options.cap ?? maxBackoff)
  return Schedule.addDelayEffect(Schedule.forever, (n) => fullJitter(base, cap, n))
}

/** The throttling back-off: `random × min(1 s × 2^n, 20 s)`. */
export const throttling: Schedule.Schedule<number> = exponentialBackoff({ base: throttlingBase })

/** The transient back-off: `random × min(50 ms × 2^n, 20 s)`. */
export const transient: Schedule.Schedule<number> = exponentialBackoff({ base: transientBase })

/**
 * AWS standard back-off: the base of each wait follows the kind of the failure just seen (1 s for throttling,
 * 50 ms otherwise), the exponent counts the retries of the call, whatever their kind.
 */
export const backoff: Schedule.Schedule<number, FailedAttempt> = Schedule.intersect(
  Schedule.forever,
  Schedule.identity<FailedAttempt>()
).pipe(
  Schedule.addDelayEffect(([n, failure]) =>
    fullJitter(
      Duration.toMillis(failure.kind === "throttling" ? throttlingBase : transientBase),
      Duration.toMillis(maxBackoff),
      n
    )
  ),
  Schedule.map(([n]) => n)
)

/** How far a server hint may stretch the computed wait. */
export const retryAfterBound: Duration.Duration = Duration.seconds(5)

/**
 * Lets the server's hint set the wait, within bounds: `clamp(hint, computed, computed + bound)` (bound 5 s), as
 * AWS's SDKs do. A hint shorter than the back-off cannot shorten it, a long one cannot park the caller; a
 * hint on a non-retryable error changes nothing, since such an error never reaches the schedule.
 */
export const respectRetryAfter: {
  (options?: { readonly bound?: Duration.DurationInput | undefined }): <Out, R>(
    self: Schedule.Schedule<Out, FailedAttempt, R>
  ) => Schedule.Schedule<Out, FailedAttempt, R>
} = (options) => {
  const bound = Duration.toMillis(options?.bound ?? retryAfterBound)
  return <Out, R>(self: Schedule.Schedule<Out, FailedAttempt, R>) =>
    Schedule.intersect(self, Schedule.identity<FailedAttempt>()).pipe(
      Schedule.modifyDelay(([, failure], delay) =>
        Option.match(failure.retryAfter, {
          onNone: () => delay,
          onSome: (hint) => {
            const computed = Duration.toMillis(delay)
            return Duration.millis(Math.max(computed, Math.min(Duration.toMillis(hint), computed + bound)))
          }
        })
      ),
      Schedule.map(([out]) => out)
    )
}

/** The standard schedule: `backoff` with server hints respected. */
export const standardSchedule: Schedule.Schedule<number, FailedAttempt> = respectRetryAfter()(backoff)

// =============================================================================
// Policies
// =============================================================================

/** A retry policy: a cap on attempts, a predicate (which failures are retried), a schedule (how long to wait). */
export interface RetryPolicy {
  /** Attempts per call, the first included (also sent as `amz-sdk-request: max=`). */
  readonly maxAttempts: number
  /** Whether a failure is retried at all; default `isRetryable`. */
  readonly while: (failure: FailedAttempt) => boolean
  /** The wait before each retry; a `Done` decision stops retrying. Stepped once per retry. */
  readonly schedule: Schedule.Schedule<unknown, FailedAttempt>
  /**
   * Resend operations that are neither read-only nor idempotent after failures that leave their outcome
   * unknown (a time-out or reset after the request was written, a 5xx). Default `false`: such a call is
   * retried only when the failure proves AWS did not act (`provesNotActedOn`), and otherwise fails with
   * `OutcomeUnknown` or its AWS error. Set it only with `resendUnsafe`, for calls where a duplicate is harmless.
   */
  readonly resendUnsafe: boolean
}

/** Builds a policy: 3 attempts and `isRetryable` unless told otherwise. */
export const make = (options: {
  readonly schedule: Schedule.Schedule<unknown, FailedAttempt>
  readonly maxAttempts?: number | undefined
  readonly while?: ((failure: FailedAttempt) => boolean) | undefined
}): RetryPolicy => ({
  maxAttempts: options.maxAttempts ?? 3,
  while: options.while ?? isRetryable,
  schedule: options.schedule,
  resendUnsafe: false
})

/** A policy, or a bare schedule (taken as `make({ schedule })`: 3 attempts, retryable failures only). */
export type Input = RetryPolicy | Schedule.Schedule<unknown, FailedAttempt>

/** The policy an `Input` stands for. */
export const fromInput = (input: Input): RetryPolicy => Schedule.isSchedule(input) ? make({ schedule: input }) : input

/** AWS standard mode as the SDKs ship it: 3 attempts, `standardSchedule`, retryable failures only. */
export const standard: RetryPolicy = make({ schedule: standardSchedule })

/** No retries: one attempt. */
export const none: RetryPolicy = { maxAttempts: 1, while: () => false, schedule: Schedule.stop, resendUnsafe: false }

/**
 * The policy, also resending calls that are not idempotent after failures that leave their outcome unknown.
 * A duplicate may follow (a second message to a customer, a spent Meta token sent again): opt in per call,
 * where that is acceptable.
 *
 * @example
 * ```ts
 * client.tagResource({ resourceArn, tags }).pipe(
 *   RetryPolicy.withRetryPolicy(RetryPolicy.resendUnsafe(RetryPolicy.standard))
 * )
 * ```
 */
export const resendUnsafe = (self: RetryPolicy): RetryPolicy => ({ ...self, resendUnsafe: true })

/** Whether `maxAttempts` is usable: an integer ≥ 1 (`Infinity` would retry forever without a quota). */
export const isValidMaxAttempts = (maxAttempts: number): boolean => Number.isInteger(maxAttempts) && maxAttempts >= 1

/** Checks a policy as the layer does: a `ConfigurationError` names a `maxAttempts` that is not an integer ≥ 1. */
export const validate = (policy: RetryPolicy): Effect.Effect<RetryPolicy, Errors.ConfigurationError> =>
  isValidMaxAttempts(policy.maxAttempts)
    ? Effect.succeed(policy)
    : Effect.fail(
      new Errors.ConfigurationError({
        setting: "maxAttempts",
        detail: `expected an integer ≥ 1, got ${policy.maxAttempts}`
      })
    )

/** The policy with another cap on attempts (what `maxAttempts` and `AWS_MAX_ATTEMPTS` set). */
export const withMaxAttempts: {
  (maxAttempts: number): (self: RetryPolicy) => RetryPolicy
  (self: RetryPolicy, maxAttempts: number): RetryPolicy
} = dual(2, (self: RetryPolicy, maxAttempts: number): RetryPolicy => ({ ...self, maxAttempts }))

/** The policy of calls that do not choose one: `None` means the service's own. */
export const currentRetryPolicy: FiberRef.FiberRef<Option.Option<RetryPolicy>> = globalValue(
  Symbol.for("@social-messaging/http-client/RetryPolicy/currentRetryPolicy"),
  () => FiberRef.unsafeMake(Option.none<RetryPolicy>())
)

/**
 * Runs `self` with every call it makes under `policy` instead of the service's. A policy whose `maxAttempts`
 * is not an integer ≥ 1 fails with a `ConfigurationError` before `self` runs (as the layer refuses it).
 *
 * @example
 * ```ts
 * client.disassociateWhatsAppBusinessAccount({ id }).pipe(RetryPolicy.withRetryPolicy(RetryPolicy.none))
 * ```
 */
export const withRetryPolicy: {
  (policy: Input): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | Errors.ConfigurationError, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Input): Effect.Effect<A, E | Errors.ConfigurationError, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Input): Effect.Effect<A, E | Errors.ConfigurationError, R> =>
    Effect.flatMap(
      validate(fromInput(policy)),
      (valid) => Effect.locally(self, currentRetryPolicy, Option.some(valid))
    )
)

// =============================================================================
// The retry quota
// =============================================================================

/** The token bucket's numbers. */
export interface QuotaOptions {
  /** Tokens when full (and at start); default 500. */
  readonly capacity?: number | undefined
  /** Cost of a retry after throttling; default 5. */
  readonly throttlingCost?: number | undefined
  /** Cost of any other retry; default 14. */
  readonly transientCost?: number | undefined
  /** Tokens a success that needed no retry adds; default 1. */
  readonly successIncrement?: number | undefined
}

/** AWS standard mode's numbers (2026). */
export const defaultQuotaOptions: Required<{ readonly [K in keyof QuotaOptions]: number }> = {
  capacity: 500,
  throttlingCost: 5,
  transientCost: 14,
  successIncrement: 1
}

const QuotaTypeId: unique symbol = Symbol.for("@social-messaging/http-client/RetryPolicy/Quota")

/**
 * A retry quota shared by all calls of a service: a retry takes tokens, a success gives back the cost of its
 * last retry (or adds `successIncrement` when it needed none), up to `capacity`. With no tokens left calls
 * stop retrying instead of multiplying the load on a failing endpoint; unlike the AWS SDK's, the bucket
 * refills as successes return (aws-sdk-js-v3#4754).
 */
export interface Quota {
  readonly [QuotaTypeId]: typeof QuotaTypeId
  readonly options: Required<{ readonly [K in keyof QuotaOptions]: number }>
  /** Tokens left. */
  readonly available: Effect.Effect<number>
  /** Takes the cost of a retry after a failure of `kind`: the cost taken, or `None` (do not retry). */
  readonly acquire: (kind: Kind) => Effect.Effect<Option.Option<number>>
  /** Records a success: refunds the cost of its last retry, or adds `successIncrement` if it had none. */
  readonly release: (retryCost: Option.Option<number>) => Effect.Effect<void>
}

class QuotaImpl implements Quota {
  readonly [QuotaTypeId]: typeof QuotaTypeId = QuotaTypeId
  private tokens: number
  constructor(readonly options: Required<{ readonly [K in keyof QuotaOptions]: number }>) {
    this.tokens = options.capacity
  }
  get available(): Effect.Effect<number> {
    return Effect.sync(() => this.tokens)
  }
  acquire(kind: Kind): Effect.Effect<Option.Option<number>> {
    return Effect.sync(() => {
      const cost = kind === "throttling" ? this.options.throttlingCost : this.options.transientCost
      if (this.tokens < cost) return Option.none()
      this.tokens -= cost
      return Option.some(cost)
    })
  }
  release(retryCost: Option.Option<number>): Effect.Effect<void> {
    return Effect.sync(() => {
      const refund = Option.isSome(retryCost) ? retryCost.value : this.options.successIncrement
      this.tokens = Math.min(this.options.capacity, this.tokens + refund)
    })
  }
}

/** Is this a `Quota` (rather than its options)? */
export const isQuota = (u: unknown): u is Quota => typeof u === "object" && u !== null && QuotaTypeId in u

/** A fresh, full quota. */
export const makeQuota = (options: QuotaOptions = {}): Effect.Effect<Quota> =>
  Effect.sync(() =>
    new QuotaImpl({
      capacity: options.capacity ?? defaultQuotaOptions.capacity,
      throttlingCost: options.throttlingCost ?? defaultQuotaOptions.throttlingCost,
      transientCost: options.transientCost ?? defaultQuotaOptions.transientCost,
      successIncrement: options.successIncrement ?? defaultQuotaOptions.successIncrement
    })
  )

// =============================================================================
// Server hints: Retry-After and the clock
// =============================================================================

type Headers = Readonly<Record<string, string | undefined>>

const decimal = /^\s*\d+(\.\d+)?\s*$/

const months: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11
}
// RFC 9110 §5.6.7: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994").
const imfFixdate = /^[A-Za-z]{3}, (\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/
const rfc850 = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/
const asctime = /^[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/

const utc = (year: number, month: string, day: string, h: string, m: string, s: string): Option.Option<number> => {
  const monthIndex = months[month.toLowerCase()]
  if (monthIndex === undefined) return Option.none()
  return Option.map(
    DateTime.make({
      year,
      month: monthIndex + 1,
      day: Number(day),
      hours: Number(h),
      minutes: Number(m),
      seconds: Number(s)
    }),
    DateTime.toEpochMillis
  )
}

/** An HTTP date (`Date`, `Retry-After`) in epoch milliseconds. */
export const parseHttpDate = (value: string): Option.Option<number> => {
  const text = value.trim()
  let m = imfFixdate.exec(text)
  if (m !== null) return utc(Number(m[3]), m[2] ?? "", m[1] ?? "", m[4] ?? "", m[5] ?? "", m[6] ?? "")
  m = rfc850.exec(text)
  if (m !== null) {
    // Two-digit years: RFC 9110 says to read them as the nearest past century; AWS never sends this form.
    const yy = Number(m[3])
    return utc(yy < 70 ? 2000 + yy : 1900 + yy, m[2] ?? "", m[1] ?? "", m[4] ?? "", m[5] ?? "", m[6] ?? "")
  }
  m = asctime.exec(text)
  if (m !== null) return utc(Number(m[6]), m[1] ?? "", m[2] ?? "", m[3] ?? "", m[4] ?? "", m[5] ?? "")
  return Option.none()
}

const httpDateMillis = parseHttpDate

/**
 * The server's hint, from response headers (lower-case names): `x-amz-retry-after` (milliseconds), else
 * `Retry-After` (seconds, or an HTTP date, measured against `now`). Malformed hints are ignored; a date in
 * the past is a zero wait.
 */
export const retryAfter = (headers: Headers, now: number): Option.Option<Duration.Duration> => {
  const amz = headers["x-amz-retry-after"]
  if (amz !== undefined && decimal.test(amz)) return Option.some(Duration.millis(Number(amz)))
  const standard = headers["retry-after"]
  if (standard === undefined) return Option.none()
  if (decimal.test(standard)) return Option.some(Duration.seconds(Number(standard)))
  return Option.map(httpDateMillis(standard), (at) => Duration.millis(Math.max(0, at - now)))
}

/** The server's clock, from the `Date` header, in epoch milliseconds. */
export const serverTime = (headers: Headers): Option.Option<number> => {
  const date = headers["date"]
  return date === undefined ? Option.none() : httpDateMillis(date)
}

/** How far the local clock may drift from AWS's before the client corrects its signing time (AWS: 300 s). */
export const clockSkewThreshold: Duration.Duration = Duration.minutes(5)

/** Error types that always mean "your signing time is off". */
const timeErrorTypes: ReadonlySet<string> = new Set(["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"])
/** Error types that mean it only when their message is about time. */
const signatureErrorTypes: ReadonlySet<string> = new Set([
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
  "AccessDeniedException"
])
const timeMessage = /signature expired|not yet current|too skewed|skew|request has expired|in the future/i

/**
 * AWS rejected the signing time: `RequestTimeTooSkewed` and kin, or a signature error whose message is about
 * time ("Signature expired: 20240101T000000Z is now earlier than ...", "Signature not yet current: ...").
 */
export const isClockSkewError = (error: Errors.SocialMessagingError): boolean => {
  switch (error._tag) {
    case "UnknownServiceError":
      return timeErrorTypes.has(error.errorType) ||
        (signatureErrorTypes.has(error.errorType) && timeMessage.test(error.awsMessage ?? ""))
    case "AccessDeniedException":
      return timeMessage.test(error.message)
    default:
      return false
  }
}
