import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Faults from "@social-messaging/sandbox/Faults"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Either, Ref } from "effect"
import { call, send, type WireResponse } from "./support/SignedClient.js"

const unknownWaba = { id: `waba-${"0".repeat(32)}` }

const statuses = (responses: ReadonlyArray<WireResponse>) => responses.map((r) => r.status)

describe("Faults: the plan", () => {
  it.effect("decodes a full plan", () =>
    Effect.gen(function*() {
      const plan = yield* Faults.decodeJson(JSON.stringify({
        seed: 7,
        rateLimits: { "*": { rate: 5 }, TagResource: { rate: 1, burst: 2 } },
        scripted: {
          GetLinkedWhatsAppBusinessAccount: [
            { kind: "error", errorType: "InternalServiceException" },
            { kind: "html", status: 503 },
            { kind: "reset", delayMillis: 10 },
            { kind: "delay", delayMillis: 100 }
          ]
        },
        random: { "*": { probability: 0.1 } }
      }))
      assert.strictEqual(plan.seed, 7)
      assert.deepStrictEqual(plan.scripted?.GetLinkedWhatsAppBusinessAccount?.[1], { kind: "html", status: 503 })
      assert.deepStrictEqual(yield* Faults.decode({ rateLimits: "aws" }), { rateLimits: "aws" })
    }))

  it.effect("rejects a bad plan with a typed FaultPlanError naming the problem", () =>
    Effect.gen(function*() {
      const bad = (input: unknown) => Effect.map(Effect.flip(Faults.decode(input)), (e) => `${e._tag}: ${e.message}`)
      assert.match(yield* bad({ scripted: { SendCarrierPigeon: [] } }), /^FaultPlanError: .*SendCarrierPigeon/s)
      assert.match(yield* bad({ rateLimits: { TagResource: { rate: -1 } } }), /positive/)
      assert.match(yield* bad({ scripted: { "*": [{ kind: "explode" }] } }), /kind/)
      assert.match(yield* bad({ random: { "*": { probability: 2 } } }), /between 0 and 1/)
      assert.match(yield* bad({ faults: [] }), /faults/)
      const json = yield* Effect.flip(Faults.decodeJson("{", "plan.json"))
      assert.match(json.message, /^fault plan \(plan\.json\): /)
    }))

  it.scoped("loads a JSON plan file", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* fs.makeTempFileScoped({ prefix: "fault-plan-" })
      yield* fs.writeFileString(path, JSON.stringify({ rateLimits: "aws" }))
      assert.deepStrictEqual(yield* Faults.load(path), { rateLimits: "aws" })
      const missing = yield* Effect.either(Faults.load(`${path}.missing`))
      assert.isTrue(Either.isLeft(missing) && missing.left._tag === "FaultPlanError")
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})

describe("Faults: injected by the server", () => {
  it.scopedLive("throttles a burst beyond the token bucket with 429 ThrottledRequestException", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({
        faults: { rateLimits: { ListLinkedWhatsAppBusinessAccounts: { rate: 0.5, burst: 3 } } }
      })
      const responses = yield* Effect.forEach(
        Array.from({ length: 6 }),
        () => call(server.url, "ListLinkedWhatsAppBusinessAccounts", {})
      )
      assert.deepStrictEqual(statuses(responses), [200, 200, 200, 429, 429, 429])
      const throttled = responses[3]!
      assert.strictEqual(throttled.headers.get("x-amzn-errortype"), "ThrottledRequestException")
      assert.strictEqual(throttled.text, JSON.stringify({ message: "Rate exceeded" }))
      // Other operations have their own (here: no) bucket.
      assert.strictEqual((yield* call(server.url, "GetLinkedWhatsAppBusinessAccount", unknownWaba)).status, 404)
      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(log.map((e) => e.fault), [
        undefined,
        undefined,
        undefined,
        "throttle",
        "throttle",
        "throttle",
        undefined
      ])
    }))

  it.scopedLive("applies AWS's quotas with rateLimits: \"aws\" (10 rps for the tag calls)", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve({ faults: { rateLimits: "aws" } })
      const resourceArn = "arn:aws:social-messaging:us-east-1:123456789012:waba/1"
      // 30 at once: the burst of 10 passes (400: the ARN is unknown), the rest mostly meets an empty bucket.
      const responses = yield* Effect.forEach(
        Array.from({ length: 30 }),
        () => call(url, "ListTagsForResource", { resourceArn }),
        { concurrency: "unbounded" }
      )
      const counts = (status: number) => statuses(responses).filter((s) => s === status).length
      assert.isAtLeast(counts(400), 10)
      assert.isAtLeast(counts(429), 1)
      assert.strictEqual(counts(400) + counts(429), 30)
      // GetLinkedWhatsAppBusinessAccount has no documented quota.
      const gets = yield* Effect.forEach(
        Array.from({ length: 15 }),
        () => call(url, "GetLinkedWhatsAppBusinessAccount", unknownWaba)
      )
      assert.notInclude(statuses(gets), 429)
    }))

  it.scopedLive("plays scripted faults in order: AWS error, proxy HTML page, connection reset, delay", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({
        faults: {
          scripted: {
            GetLinkedWhatsAppBusinessAccount: [
              { kind: "error", errorType: "InternalServiceException", message: "boom" },
              { kind: "html" },
              { kind: "reset" },
              { kind: "delay", delayMillis: 60 }
            ]
          }
        }
      })
      const get = () => Effect.either(call(server.url, "GetLinkedWhatsAppBusinessAccount", unknownWaba))

      const error = yield* get()
      assert.isTrue(Either.isRight(error))
      if (Either.isRight(error)) {
        assert.strictEqual(error.right.status, 500)
        assert.strictEqual(error.right.headers.get("x-amzn-errortype"), "InternalServiceException")
        assert.strictEqual(error.right.text, "{\"message\":\"boom\"}")
      }

      const html = yield* get()
      assert.isTrue(Either.isRight(html))
      if (Either.isRight(html)) {
        assert.strictEqual(html.right.status, 502)
        assert.strictEqual(html.right.headers.get("content-type"), "text/html")
        assert.isNull(html.right.headers.get("x-amzn-errortype"))
        assert.isNull(html.right.headers.get("x-amzn-requestid"))
        assert.include(html.right.text, "<title>502 Bad Gateway</title>")
      }

      const reset = yield* get()
      assert.isTrue(Either.isLeft(reset), "the connection is dropped without an answer")

      const delayed = yield* get()
      assert.isTrue(Either.isRight(delayed) && delayed.right.status === 404)

      const normal = yield* get()
      assert.isTrue(Either.isRight(normal) && normal.right.status === 404)

      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(log.map((e) => [e.status, e.errorType, e.fault]), [
        [500, "InternalServiceException", "scripted"],
        [502, undefined, "scripted"],
        [undefined, undefined, "scripted"],
        [404, "ResourceNotFoundException", undefined],
        [404, "ResourceNotFoundException", undefined]
      ])
      assert.isAtLeast(log[3]!.latencyMillis, 50)
    }))

  it.scopedLive("lets \"*\" script any operation; statuses default per error type", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve({
        faults: {
          scripted: {
            "*": [
              { kind: "error", errorType: "ThrottledRequestException" },
              { kind: "error", errorType: "ServiceUnavailableException" },
              { kind: "error", errorType: "DependencyException", status: 503 }
            ],
            TagResource: [{ kind: "error", errorType: "AccessDeniedException" }]
          }
        }
      })
      const arn = { resourceArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/1" }
      const tag = yield* call(url, "TagResource", { ...arn, tags: [] })
      assert.strictEqual(tag.status, 403)
      const results = [
        yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {}),
        yield* call(url, "TagResource", { ...arn, tags: [] }),
        yield* call(url, "ListTagsForResource", arn),
        yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {})
      ]
      assert.deepStrictEqual(results.map((r) => [r.status, r.headers.get("x-amzn-errortype")]), [
        [429, "ThrottledRequestException"],
        [500, "ServiceUnavailableException"],
        [503, "DependencyException"],
        [200, null]
      ])
    }))

  it.scopedLive("fails a seeded share of requests at random, reproducibly", () =>
    Effect.gen(function*() {
      const plan: Faults.FaultPlan = {
        seed: 1234,
        random: { ListLinkedWhatsAppBusinessAccounts: { probability: 0.5 } }
      }
      const run = Effect.gen(function*() {
        const { url } = yield* Server.serve({ faults: plan })
        const responses = yield* Effect.forEach(
          Array.from({ length: 24 }),
          () => call(url, "ListLinkedWhatsAppBusinessAccounts", {})
        )
        return statuses(responses)
      })
      const first = yield* run
      const second = yield* run
      assert.deepStrictEqual(first, second)
      assert.include(first, 500)
      assert.include(first, 200)
      const always = yield* Server.serve({
        faults: { random: { "*": { probability: 1, fault: { kind: "html", status: 504 } } } }
      })
      const r = yield* send(always.url, { method: "GET", path: "/v1/whatsapp/waba/list" })
      assert.strictEqual(r.status, 504)
      assert.include(r.text, "504 Gateway Time-out")
    }))
})
