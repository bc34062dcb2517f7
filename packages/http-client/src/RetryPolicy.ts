/**
 * Retries as values: which errors are retried (from each error's classification) and how long to wait
 * (AWS standard mode: full-jitter exponential back-off), as a `Schedule`.
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"

/** A retry policy: how many attempts in all, and the schedule between them. */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly schedule: Schedule.Schedule<unknown, Errors.SocialMessagingError>
}

const cap = Duration.seconds(20)

/** Full-jitter back-off: `random × min(base × 2^n, 20 s)`, with base 1 s for throttling and 50 ms otherwise. */
export const backoff: Schedule.Schedule<unknown, Errors.SocialMessagingError> = Schedule.identity<
  Errors.SocialMessagingError
>().pipe(
  Schedule.zipWith(Schedule.count, (error, n) => ({ error, n })),
  Schedule.addDelayEffect(({ error, n }) =>
    Effect.map(Random.next, (r) => {
      const base = error.classification.throttling ? 1000 : 50
      return Duration.millis(r * Math.min(base * 2 ** n, Duration.toMillis(cap)))
    })
  ),
  Schedule.whileInput((error: Errors.SocialMessagingError) => error.classification.retryable)
)

/** AWS standard mode: `maxAttempts` attempts in all (default 3). */
export const standard = (options: { readonly maxAttempts?: number | undefined } = {}): RetryPolicy => {
  const maxAttempts = options.maxAttempts ?? 3
  return { maxAttempts, schedule: Schedule.intersect(backoff, Schedule.recurs(maxAttempts - 1)) }
}

/** Runs an attempt under a policy. */
export const retry = (policy: RetryPolicy) =>
<A, E extends Errors.SocialMessagingError, R>(attempt: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.retry(attempt, policy.schedule)
