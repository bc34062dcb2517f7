/**
 * The README's examples, compiled and run: substituting `Sandbox.layer` in a user's test, and the retry
 * policy knobs it shows.
 */
import { assert, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import * as RetryPolicy from "@social-messaging/http-client/RetryPolicy"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Sandbox from "@social-messaging/sandbox/Sandbox"
import { Effect, Redacted, Schedule } from "effect"

it.effect("my onboarding code links a WABA", () =>
  Effect.gen(function*() {
    const client = yield* SocialMessaging.SocialMessaging
    const step1 = yield* client.associateWhatsAppBusinessAccount({
      signupCallback: { accessToken: Redacted.make("sandbox-meta-token-one-waba") }
    })
    assert.isDefined(step1.signupCallbackResult?.associateInProgressToken)
  }).pipe(Effect.provide(Sandbox.layer)))

it.effect("per-call retry policies compose with any call", () =>
  Effect.gen(function*() {
    const client = yield* SocialMessaging.SocialMessaging
    const id = Ids.LinkedWhatsAppBusinessAccountId.make("waba-0123456789abcdef0123456789abcdef")
    const error = yield* Effect.flip(
      client.disassociateWhatsAppBusinessAccount({ id }).pipe(RetryPolicy.withRetryPolicy(RetryPolicy.none))
    )
    assert.strictEqual(error._tag, "ResourceNotFoundException")
    const tags = yield* Effect.flip(
      client.listTagsForResource({ resourceArn: Ids.Arn.make("arn:aws:social-messaging:us-east-1:1:waba/x1") }).pipe(
        RetryPolicy.withRetryPolicy(Schedule.spaced("2 seconds"))
      )
    )
    assert.strictEqual(tags._tag, "InvalidParametersException")
    assert.strictEqual(RetryPolicy.withMaxAttempts(RetryPolicy.standard, 5).maxAttempts, 5)
  }).pipe(Effect.provide(Sandbox.layer)))
