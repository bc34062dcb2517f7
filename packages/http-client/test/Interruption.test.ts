/**
 * Interruption, time-outs and deadlines abort the request in flight and stop the retry loop (unlike the AWS
 * SDK, whose abort leaves its retry loop running: aws-sdk-js-v3#4871). Checked against a real loopback server
 * that never answers, counting its open sockets, over both Node transports and this package's undici client
 * (its direct lane); and over the scripted transport for interruption during a back-off. The test clock drives
 * every time-out there; only the direct lane's own timer, which runs under the live clock, is checked in real time.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer, Option, Queue, Random, type Scope, TestClock } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as SocialMessaging from "../src/SocialMessaging.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { awsError, credentials, failureOf, hang, ok, service } from "./support/RetryHarness.js"

/** A server on 127.0.0.1 that accepts requests and never answers; it reports requests and closed sockets. */
const hungServer: Effect.Effect<
  {
    readonly url: string
    /** Takes the next request's arrival. */
    readonly request: Effect.Effect<void>
    /** Takes the next socket's close. */
    readonly socketClosed: Effect.Effect<void>
    readonly received: Effect.Effect<number>
    readonly openConnections: Effect.Effect<number>
    /** Waits until no socket is open (socket by socket, as their closes arrive). */
    readonly allClosed: Effect.Effect<void>
  },
  never,
  Scope.Scope
> = Effect.gen(function*() {
  const requests = yield* Queue.unbounded<void>()
  const closes = yield* Queue.unbounded<void>()
  // Node calls these outside Effect; the queues hand the events to the test.
  let received = 0
  const server = Http.createServer(() => {
    received++
    Queue.unsafeOffer(requests, undefined)
  })
  server.on("connection", (socket) => socket.on("close", () => Queue.unsafeOffer(closes, undefined)))
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address: AddressInfo | string | null = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  const openConnections = Effect.async<number>((resume) => {
    server.getConnections((error, count) => resume(error ? Effect.die(error) : Effect.succeed(count)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    request: Queue.take(requests),
    socketClosed: Queue.take(closes),
    received: Effect.sync(() => received),
    openConnections,
    allClosed: Effect.gen(function*() {
      while ((yield* openConnections) > 0) yield* Queue.take(closes)
    })
  }
})

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["undici", NodeHttpClient.layerUndici],
  ["undici, direct lane (UndiciHttpClient)", UndiciHttpClient.layer],
  ["node:http", NodeHttpClient.layer]
]

/** The service over a real transport, alive for the test's scope (undici's dispatcher closes with its layer). */
const serviceAgainst = (
  url: string,
  client: Layer.Layer<HttpClient.HttpClient>,
  options: Partial<SocialMessaging.Options> = {}
) =>
  Layer.build(
    SocialMessaging.layer({ region: "us-east-1", endpoint: url, ...options }).pipe(
      Layer.provide(Layer.merge(credentials, client))
    )
  ).pipe(Effect.map(Context.get(SocialMessaging.SocialMessaging)), Effect.orDie)

describe("interruption against a real loopback server", () => {
  for (const [name, client] of transports) {
    it.scoped(`${name}: interrupting the caller closes the socket and sends no further attempt`, () =>
      Effect.gen(function*() {
        const server = yield* hungServer
        const svc = yield* serviceAgainst(server.url, client)
        const fiber = yield* Effect.fork(svc.listLinkedWhatsAppBusinessAccounts({}))
        yield* server.request
        yield* Fiber.interrupt(fiber)
        yield* server.socketClosed
        // undici may open (and at once close) a spare connection after the abort; it carries no request.
        yield* server.allClosed
        assert.strictEqual(yield* server.openConnections, 0)
        // Any retry would be due long before this.
        yield* TestClock.adjust("5 minutes")
        assert.strictEqual(yield* server.received, 1)
      }))

    it.scoped(`${name}: the deadline aborts the attempt in flight (DeadlineExceeded)`, () =>
      Effect.gen(function*() {
        const server = yield* hungServer
        const svc = yield* serviceAgainst(server.url, client, { deadline: "2 seconds" })
        const fiber = yield* Effect.fork(svc.listLinkedWhatsAppBusinessAccounts({}))
        yield* server.request
        yield* TestClock.adjust("2 seconds")
        const exit = yield* Fiber.await(fiber)
        assert.strictEqual(Option.getOrThrow(failureOf(exit))._tag, "DeadlineExceeded")
        yield* server.socketClosed
        yield* server.allClosed
        assert.strictEqual(yield* server.openConnections, 0)
        yield* TestClock.adjust("5 minutes")
        assert.strictEqual(yield* server.received, 1)
      }))

    it.scoped(`${name}: each attempt time-out closes its socket before the next attempt`, () =>
      Effect.gen(function*() {
        const server = yield* hungServer
        const svc = yield* serviceAgainst(server.url, client, { attemptTimeout: "1 second", maxAttempts: 2 })
        const fiber = yield* Effect.fork(
          svc.listLinkedWhatsAppBusinessAccounts({}).pipe(Effect.withRandom(Random.fixed([0.5])))
        )
        yield* server.request
        yield* TestClock.adjust("1 second")
        yield* server.socketClosed
        yield* TestClock.adjust("25 millis") // the back-off
        yield* server.request
        yield* TestClock.adjust("1 second")
        const exit = yield* Fiber.await(fiber)
        assert.strictEqual(Option.getOrThrow(failureOf(exit))._tag, "AttemptTimeout")
        yield* server.socketClosed
        yield* server.allClosed
        assert.strictEqual(yield* server.openConnections, 0)
        assert.strictEqual(yield* server.received, 2)
      }))
  }
})

// Under the live clock the direct lane keeps the attempt's time-out itself (one timer, the request's abort
// signal) instead of the driver's race: checked in real time, with short time-outs.
describe("the direct lane's own timer (live clock)", () => {
  it.scopedLive("an attempt time-out aborts the request, closes its socket, and the next attempt is sent", () =>
    Effect.gen(function*() {
      const server = yield* hungServer
      const svc = yield* serviceAgainst(server.url, UndiciHttpClient.layer, {
        attemptTimeout: "150 millis",
        maxAttempts: 2
      })
      const exit = yield* Effect.exit(svc.listLinkedWhatsAppBusinessAccounts({}))
      const error = Option.getOrThrow(failureOf(exit))
      assert.strictEqual(error._tag, "AttemptTimeout")
      yield* server.allClosed
      assert.strictEqual(yield* server.openConnections, 0)
      assert.strictEqual(yield* server.received, 2)
    }))

  it.scopedLive("the deadline cuts the attempt in flight (DeadlineExceeded), with no further attempt", () =>
    Effect.gen(function*() {
      const server = yield* hungServer
      const svc = yield* serviceAgainst(server.url, UndiciHttpClient.layer, { deadline: "150 millis" })
      const exit = yield* Effect.exit(svc.listLinkedWhatsAppBusinessAccounts({}))
      assert.strictEqual(Option.getOrThrow(failureOf(exit))._tag, "DeadlineExceeded")
      yield* server.allClosed
      assert.strictEqual(yield* server.openConnections, 0)
      assert.strictEqual(yield* server.received, 1)
    }))

  it.scopedLive("interrupting the caller aborts the request before its timer fires", () =>
    Effect.gen(function*() {
      const server = yield* hungServer
      const svc = yield* serviceAgainst(server.url, UndiciHttpClient.layer)
      const fiber = yield* Effect.fork(svc.listLinkedWhatsAppBusinessAccounts({}))
      yield* server.request
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      yield* server.socketClosed
      yield* server.allClosed
      assert.strictEqual(yield* server.openConnections, 0)
      assert.strictEqual(yield* server.received, 1)
    }))
})

describe("interruption over the scripted transport", () => {
  it.effect("interrupting during an attempt aborts its request signal", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([hang])
      const fiber = yield* Effect.fork(svc.listLinkedWhatsAppBusinessAccounts({}))
      yield* TestClock.adjust("1 second")
      const [first] = yield* sent
      assert.isFalse(first?.aborted())
      yield* Fiber.interrupt(fiber)
      assert.isTrue(first?.aborted())
      yield* TestClock.adjust("5 minutes")
      assert.strictEqual((yield* sent).length, 1)
    }))

  it.effect("interrupting during a back-off sends no further attempt", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([awsError(500, "InternalServiceException"), ok()])
      const fiber = yield* Effect.fork(
        svc.listLinkedWhatsAppBusinessAccounts({}).pipe(Effect.withRandom(Random.fixed([0.5])))
      )
      yield* TestClock.adjust("10 millis") // inside the 25 ms back-off
      assert.strictEqual((yield* sent).length, 1)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      yield* TestClock.adjust("5 minutes")
      assert.strictEqual((yield* sent).length, 1)
    }))

  it.effect("a back-off that would end past the deadline is not waited for", () =>
    Effect.gen(function*() {
      // 429 with a 3 s hint; the deadline is 2 s: fail at once with the throttling error, not after 2 s.
      const { sent, service: svc } = yield* service(
        [awsError(429, "ThrottledRequestException", { headers: { "retry-after": "3" } }), ok()],
        { deadline: "2 seconds" }
      )
      const exit = yield* Effect.exit(
        svc.listLinkedWhatsAppBusinessAccounts({}).pipe(Effect.withRandom(Random.fixed([0.5])))
      )
      assert.strictEqual(Option.getOrThrow(failureOf(exit))._tag, "ThrottledRequestException")
      assert.strictEqual((yield* sent).length, 1)
    }))
})
