/**
 * Events over loopback: `Server.serve({ deliverEventsTo })` POSTs each event as SNS POSTs a notification to an
 * HTTPS subscriber, to a test HTTP server on 127.0.0.1 (read back with `WhatsAppEvent.fromSnsHttp`); a
 * non-loopback target is refused; a target that does not answer is logged and counted, the server goes on;
 * `GET /_sandbox/events` lists what was delivered. Live clock, delays of milliseconds.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"
import type * as Engine from "@social-messaging/sandbox/Engine"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Either, Logger, Queue, Redacted, Schedule, Schema } from "effect"
import * as Http from "node:http"
import { jsonBytes, link } from "./support/Linked.js"

const topic = "arn:aws:sns:us-east-1:123456789012:whatsapp-events"
const fast: Server.Options = {
  eventDelays: { sent: "10 millis", delivered: "20 millis", read: "30 millis", reply: "40 millis" }
}

interface Received {
  readonly method: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/** A webhook on 127.0.0.1 recording what it receives; answers its URL and the queue of requests. */
const webhook = Effect.gen(function*() {
  const received = yield* Queue.unbounded<Received>()
  const server = yield* NodeHttpServer.make(() => Http.createServer(), { host: "127.0.0.1", port: 0 })
  yield* HttpServer.serveEffect(Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orDie(request.text)
    yield* Queue.offer(received, { method: request.method, headers: request.headers, body })
    return HttpServerResponse.empty({ status: 200 })
  })).pipe(Effect.provideService(HttpServer.HttpServer, server))
  const port = server.address._tag === "TcpAddress" ? server.address.port : 0
  return { url: `http://127.0.0.1:${port}/sns`, received }
})

/** Links "Example Retail Support" on the server's engine with `topic` as its event destination. */
const linkWithTopic = (engine: Engine.Service) =>
  Effect.gen(function*() {
    const linked = yield* link(engine)
    yield* engine.putWhatsAppBusinessAccountEventDestinations({
      id: linked.id,
      eventDestinations: [{ eventDestinationArn: Shapes.EventDestinationArn.make(topic) }]
    })
    return linked
  })

const sendText = (engine: Engine.Service, number: string, to: string) =>
  Effect.map(
    engine.sendWhatsAppMessage({
      originationPhoneNumberId: Shapes.WhatsAppPhoneNumberId.make(number),
      message: Redacted.make(jsonBytes({ messaging_product: "whatsapp", to, type: "text", text: { body: "Hi" } })),
      metaApiVersion: "v20.0"
    }),
    ({ messageId }) => {
      assert.isDefined(messageId)
      return messageId
    }
  )

/** The server's delivery counts once `done` holds (polled; the count follows the webhook's answer). */
const countsWhen = (
  server: Server.Service,
  done: (counts: { readonly posted: number; readonly failed: number }) => boolean
) =>
  server.eventDeliveries.pipe(
    Effect.repeat({ until: done, schedule: Schedule.spaced("10 millis") }),
    Effect.timeout("10 seconds"),
    Effect.zipRight(server.eventDeliveries)
  )

describe("events POSTed to a loopback URL (Server.serve deliverEventsTo)", () => {
  it.scopedLive("sent, delivered, read (and the customer's reply) arrive as SNS notifications", () =>
    Effect.gen(function*() {
      const hook = yield* webhook
      const server = yield* Server.serve({ ...fast, deliverEventsTo: hook.url })
      assert.strictEqual(server.deliverEventsTo, hook.url)
      const { number } = yield* linkWithTopic(server.engine)
      const messageId = yield* sendText(server.engine, number, "+16505551234")

      const posts = [
        yield* Queue.take(hook.received),
        yield* Queue.take(hook.received),
        yield* Queue.take(hook.received)
      ]
      const events = yield* Effect.forEach(
        posts,
        (post) => Effect.map(WhatsAppEvent.fromSnsHttp(post.body), WhatsAppEvent.events)
      )
      assert.deepStrictEqual(
        events.flat().filter(WhatsAppEvent.isStatusOf(messageId)).map((s) => s.status),
        ["sent", "delivered", "read"]
      )
      for (const post of posts) {
        assert.strictEqual(post.method, "POST")
        assert.strictEqual(post.headers["x-amz-sns-message-type"], "Notification")
        assert.strictEqual(post.headers["x-amz-sns-topic-arn"], topic)
        assert.match(post.headers["content-type"] ?? "", /^text\/plain/)
        const envelope = yield* Schema.decode(Schema.parseJson(WhatsAppEvent.SnsSignedNotification))(post.body)
        assert.strictEqual(post.headers["x-amz-sns-message-id"] ?? "", envelope.MessageId)
        assert.strictEqual(envelope.TopicArn, topic)
      }

      // The customer's three statuses, then its reply.
      yield* sendText(server.engine, number, Fixtures.recipients.replyingCustomer)
      const more = yield* Effect.forEach(
        [1, 2, 3, 4],
        () =>
          Effect.flatMap(
            Queue.take(hook.received),
            (post) => Effect.map(WhatsAppEvent.fromSnsHttp(post.body), WhatsAppEvent.events)
          )
      )
      const reply = more.flat().find((e) => e._tag === "InboundMessage")
      assert.strictEqual(reply?._tag === "InboundMessage" ? reply.from : undefined, "14255550177")
      assert.deepStrictEqual(yield* countsWhen(server, (c) => c.posted + c.failed === 7), { posted: 7, failed: 0 })

      // The same deliveries over GET /_sandbox/events, and only the newer ones after a sequence.
      const listed = yield* Effect.promise(async () => (await fetch(`${server.url}${Server.eventsPath}`)).json())
      const ListedEvents = Schema.Struct({
        events: Schema.Array(Schema.Struct({ sequence: Schema.Number, kind: Schema.String, body: Schema.String }))
      })
      const all = yield* Schema.decodeUnknown(ListedEvents)(listed)
      assert.strictEqual(all.events.length, 7)
      assert.deepStrictEqual(all.events.map((e) => e.body), [
        ...posts.map((p) => p.body),
        ...all.events.slice(3).map((e) => e.body)
      ])
      const after = yield* Effect.promise(async () =>
        (await fetch(`${server.url}${Server.eventsPath}?after=${all.events[5]?.sequence}`)).json()
      )
      assert.deepStrictEqual((yield* Schema.decodeUnknown(ListedEvents)(after)).events.map((e) => e.kind), [
        "message:text"
      ])
    }))

  it.scopedLive("refuses a URL that is not loopback http(s), before starting", () =>
    Effect.gen(function*() {
      for (const url of ["http://example.com/sns", "https://10.0.0.5/sns", "ftp://127.0.0.1/x", "not a url"]) {
        const error = yield* Effect.flip(Server.serve({ deliverEventsTo: url }))
        assert.strictEqual(error._tag, "EventDeliveryTargetError", url)
        assert.include(error.message, "cannot deliver events to")
      }
      const nonLoopback = yield* Effect.flip(Server.serve({ deliverEventsTo: "http://example.com/sns" }))
      assert.include(nonLoopback.message, "example.com is not a loopback host")
      for (const url of ["http://localhost:9/x", "http://127.0.0.2:9/", "https://[::1]:9/"]) {
        assert.isTrue(Either.isRight(Server.eventDeliveryTarget(url)), url)
      }
    }))

  it.scopedLive("a redirect is not followed: a 303 from the webhook is a failed delivery, nothing reaches its target", () =>
    Effect.gen(function*() {
      const target = yield* webhook
      const redirecting = yield* NodeHttpServer.make(() => Http.createServer(), { host: "127.0.0.1", port: 0 })
      yield* HttpServer.serveEffect(
        Effect.succeed(HttpServerResponse.empty({ status: 303, headers: { location: target.url } }))
      ).pipe(Effect.provideService(HttpServer.HttpServer, redirecting))
      const port = redirecting.address._tag === "TcpAddress" ? redirecting.address.port : 0
      const server = yield* Server.serve({ ...fast, deliverEventsTo: `http://127.0.0.1:${port}/sns` })
      const { number } = yield* linkWithTopic(server.engine)
      yield* sendText(server.engine, number, "+16505551234")
      assert.deepStrictEqual(yield* countsWhen(server, (c) => c.failed === 3), { posted: 0, failed: 3 })
      assert.strictEqual(yield* Queue.size(target.received), 0)
    }))

  it.scopedLive("a target that does not answer: each failure is logged and counted, the server goes on", () => {
    const logged: Array<string> = []
    const recorder = Logger.make(({ logLevel, message }) => {
      logged.push(`${logLevel.label} ${Array.isArray(message) ? String(message[0]) : String(message)}`)
    })
    return Effect.gen(function*() {
      // A port that was just free: nothing listens there.
      const closed = yield* Effect.scoped(Effect.map(webhook, (hook) => hook.url))
      const server = yield* Server.serve({ ...fast, deliverEventsTo: closed })
      const { number } = yield* linkWithTopic(server.engine)
      yield* sendText(server.engine, number, "+16505551234")
      assert.deepStrictEqual(yield* countsWhen(server, (c) => c.failed === 3), { posted: 0, failed: 3 })
      assert.deepStrictEqual(logged.map((line) => line.replace(/ \(.*/, "")), [
        "WARN sandbox: event 1",
        "WARN sandbox: event 2",
        "WARN sandbox: event 3"
      ])
      assert.include(logged[0] ?? "", `not delivered to ${closed}`)
      // Still serving.
      yield* sendText(server.engine, number, Fixtures.recipients.notOnWhatsApp)
      const status = yield* Effect.promise(async () => (await fetch(`${server.url}${Server.eventsPath}`)).status)
      assert.strictEqual(status, 200)
    }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, recorder)))
  })
})
