/**
 * The README's examples, compiled and run: substituting `Sandbox.layer` in a user's test, the retry
 * policy knobs it shows, and reading the sandbox's events.
 */
import { assert, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"
import * as RetryPolicy from "@social-messaging/http-client/RetryPolicy"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Sandbox from "@social-messaging/sandbox/Sandbox"
import { Chunk, Effect, Redacted, Schedule, Stream, TestClock } from "effect"
import { linkWithTopic, sendText } from "./support/Events.js"

/** The README's "your code": a WABA with an event destination, and a message to `to`. */
const sendOrderUpdate = (to: string) =>
  Effect.flatMap(linkWithTopic(), ({ number }) => sendText(number.phoneNumberId, to, "Your order A-1001 has shipped"))

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

it.effect("the customer reads the order update", () =>
  Effect.gen(function*() {
    const messageId = yield* sendOrderUpdate("+16505551234") // your code, over a WABA with an event destination
    yield* TestClock.adjust("5 seconds") // sent after 1 s, delivered 2 s, read 4 s
    const events = yield* Sandbox.events.pipe(
      Stream.mapEffect((delivery) => WhatsAppEvent.fromSnsHttp(delivery.body)), // what your SNS handler gets
      Stream.mapConcat(WhatsAppEvent.events),
      Stream.take(3),
      Stream.runCollect
    )
    const statuses = WhatsAppEvent.statusesOf(Chunk.toReadonlyArray(events), messageId)
    assert.deepStrictEqual(statuses.map((s) => s.status), ["sent", "delivered", "read"])
  }).pipe(Effect.provide(Sandbox.layer)))
