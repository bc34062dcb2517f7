/**
 * Events end to end: a WABA linked with an event destination, a message sent through `Sandbox.layer`, and
 * what AWS would deliver to the destination read back from the feed with `WhatsAppEvent` (sent, delivered,
 * read by messageId; failed for the recipient not on WhatsApp; the seeded customer's reply), on `TestClock`.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Sandbox from "@social-messaging/sandbox/Sandbox"
import { Chunk, DateTime, Effect, Fiber, Stream, TestClock } from "effect"
import { linkWithTopic, sendText, topic } from "./support/Events.js"

/** The feed's first `n` events, decoded as a user's SNS HTTPS handler would (`fromSnsHttp`, `events`). */
const firstEvents = (n: number) =>
  Sandbox.events.pipe(
    Stream.mapEffect((delivery) => WhatsAppEvent.fromSnsHttp(delivery.body)),
    Stream.mapConcat(WhatsAppEvent.events),
    Stream.take(n),
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray)
  )

describe("events of a send, through Sandbox.layer", () => {
  it.effect("sent → delivered → read for the messageId, at the configured delays, as SNS notifications", () =>
    Effect.gen(function*() {
      const { number } = yield* linkWithTopic()
      const start = yield* TestClock.currentTimeMillis
      const reader = yield* Effect.fork(firstEvents(3))
      const messageId = yield* sendText(number.phoneNumberId, "+16505551234")
      const wamid = (yield* Effect.flatMap(Sandbox.Engine, (e) => e.outbox(number.phoneNumberId)))[0]?.metaMessageId

      yield* TestClock.adjust("1500 millis") // only `sent` is due
      const engine = yield* Sandbox.Engine
      assert.deepStrictEqual((yield* engine.deliveredEvents).map((d) => d.kind), ["status:sent"])
      yield* TestClock.adjust("5 seconds")
      const events = yield* Fiber.join(reader)

      const statuses = WhatsAppEvent.statusesOf(events, messageId)
      assert.deepStrictEqual(statuses.map((s) => s.status), ["sent", "delivered", "read"])
      assert.deepStrictEqual(
        statuses.map((s) => DateTime.toEpochMillis(s.at) - Math.floor(start / 1000) * 1000),
        [1000, 2000, 4000]
      )
      for (const status of statuses) {
        assert.strictEqual(status.wamid, wamid)
        assert.strictEqual(status.recipientId, "16505551234")
        assert.strictEqual(status.origin.originationPhoneNumberId, number.phoneNumberId)
        assert.strictEqual(status.origin.phoneNumberArn, number.arn)
        assert.strictEqual(status.origin.wabaId, Fixtures.retailSupport.wabaId)
        assert.strictEqual(status.origin.displayPhoneNumber, "14255550111")
        assert.strictEqual(status.origin.awsAccountId, "123456789012")
      }
      assert.strictEqual(statuses[0]?.pricing?.category, "service")

      // Exactly what SNS POSTs: a signed-shape Notification from the destination topic, with SNS's headers.
      const [delivery] = yield* engine.deliveredEvents
      assert.isDefined(delivery)
      assert.strictEqual(delivery.eventDestinationArn, topic)
      assert.strictEqual(delivery.headers["x-amz-sns-message-type"], "Notification")
      const notification = yield* WhatsAppEvent.fromSnsHttp(delivery.body)
      assert.strictEqual(notification.sns?.TopicArn, topic)
      assert.strictEqual(delivery.headers["x-amz-sns-message-id"], notification.sns?.MessageId)
      assert.strictEqual(notification.record.messageId, messageId)
      assert.match(notification.record.message_timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("polling with `after=next` misses nothing, though a later send's `sent` comes before a `read`", () =>
    Effect.gen(function*() {
      const { number } = yield* linkWithTopic()
      const engine = yield* Sandbox.Engine
      const first = yield* sendText(number.phoneNumberId, "+16505551234") // sent 1 s, delivered 2 s, read 4 s
      yield* TestClock.adjust("2500 millis")
      yield* sendText(number.phoneNumberId, "+16505551234")
      yield* TestClock.adjust("1200 millis") // the second's `sent` is due (sequence 4), the first's `read` (3) not
      const seen = new Map<number, string>()
      const poll = (after: number) =>
        Effect.map(engine.pollEvents(after), (polled) => {
          for (const d of polled.deliveries) seen.set(d.sequence, `${d.messageId === first ? 1 : 2}:${d.kind}`)
          return polled.next
        })
      const next = yield* poll(0)
      assert.deepStrictEqual([...seen.values()], ["1:status:sent", "1:status:delivered", "2:status:sent"])
      // Resuming after the largest sequence seen (4) would skip the first's `read` (3): `next` stops before it.
      assert.strictEqual(next, 2)
      yield* TestClock.adjust("10 seconds")
      const last = yield* poll(next)
      assert.deepStrictEqual([...seen.keys()].sort(), [1, 2, 3, 4, 5, 6])
      assert.strictEqual(last, 6)
      assert.deepStrictEqual(yield* engine.pollEvents(last), { deliveries: [], next: 6 })
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("failed with Meta's 131026 for the seeded recipient without WhatsApp, and nothing else", () =>
    Effect.gen(function*() {
      const { number } = yield* linkWithTopic()
      const reader = yield* Effect.fork(firstEvents(1))
      const messageId = yield* sendText(number.phoneNumberId, Fixtures.recipients.notOnWhatsApp)
      yield* TestClock.adjust("1 minute")
      const [failed] = WhatsAppEvent.statusesOf(yield* Fiber.join(reader), messageId)
      assert.strictEqual(failed?.status, "failed")
      assert.strictEqual(failed?.error?.code, 131026)
      assert.strictEqual(failed?.error?.title, "Message undeliverable")
      assert.deepStrictEqual((yield* Effect.flatMap(Sandbox.Engine, (e) => e.deliveredEvents)).map((d) => d.kind), [
        "status:failed"
      ])
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("the seeded customer reads the message and replies with a text naming its wamid", () =>
    Effect.gen(function*() {
      const { number } = yield* linkWithTopic()
      const reader = yield* Effect.fork(firstEvents(4))
      const messageId = yield* sendText(number.phoneNumberId, Fixtures.recipients.replyingCustomer)
      yield* TestClock.adjust("10 seconds")
      const events = yield* Fiber.join(reader)
      assert.deepStrictEqual(WhatsAppEvent.statusesOf(events, messageId).map((s) => s.status), [
        "sent",
        "delivered",
        "read"
      ])
      const reply = events[3]
      assert.strictEqual(reply?._tag, "InboundMessage")
      if (reply?._tag !== "InboundMessage" || reply.message.type !== "text") return assert.fail("not a text reply")
      assert.strictEqual(reply.message.text.body, Fixtures.customerReply)
      assert.strictEqual(reply.from, "14255550177")
      assert.strictEqual(reply.profile?.profile.name, Fixtures.customerName)
      assert.strictEqual(reply.message.context?.id, events[0]?._tag === "StatusUpdate" ? events[0].wamid : "")
      // Replying goes from the number the event names.
      assert.strictEqual(reply.origin.originationPhoneNumberId, number.phoneNumberId)
      assert.notStrictEqual(reply.origin.messageId, messageId)
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("no event destination, no events; PutWhatsAppBusinessAccountEventDestinations turns them on", () =>
    Effect.gen(function*() {
      const { client, id, number } = yield* linkWithTopic(false)
      yield* sendText(number.phoneNumberId, "+16505551234")
      yield* TestClock.adjust("1 minute")
      const engine = yield* Sandbox.Engine
      assert.deepStrictEqual(yield* engine.deliveredEvents, [])
      yield* client.putWhatsAppBusinessAccountEventDestinations({
        id,
        eventDestinations: [{ eventDestinationArn: Ids.EventDestinationArn.make(topic) }]
      })
      const messageId = yield* sendText(number.phoneNumberId, "+16505551234")
      yield* TestClock.adjust("1 minute")
      const delivered = yield* engine.deliveredEvents
      assert.deepStrictEqual(delivered.map((d) => [d.kind, d.messageId]), [
        ["status:sent", messageId],
        ["status:delivered", messageId],
        ["status:read", messageId]
      ])
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("delays are options; a late subscriber gets the due events replayed, in time order", () =>
    Effect.gen(function*() {
      const { number } = yield* linkWithTopic()
      const first = yield* sendText(number.phoneNumberId, "+16505551234")
      yield* TestClock.adjust("50 millis")
      const second = yield* sendText(number.phoneNumberId, "+447700900123")
      yield* TestClock.adjust("1 second")
      const events = yield* firstEvents(6)
      assert.deepStrictEqual(
        events.map((e) =>
          e._tag === "StatusUpdate"
            ? [e.origin.messageId === first ? 1 : e.origin.messageId === second ? 2 : 0, e.status]
            : []
        ),
        [[1, "sent"], [1, "delivered"], [2, "sent"], [2, "delivered"], [1, "read"], [2, "read"]]
      )
    }).pipe(
      Effect.provide(
        Sandbox.layerWith({ eventDelays: { sent: "10 millis", delivered: "20 millis", read: "500 millis" } })
      )
    ))

  it("the seed lists the recipients", () => {
    const seed = Fixtures.describeSeed().join("\n")
    assert.include(seed, `${Fixtures.recipients.notOnWhatsApp}: not on WhatsApp: failed, Meta error 131026`)
    assert.include(seed, Fixtures.recipients.replyingCustomer)
  })
})
