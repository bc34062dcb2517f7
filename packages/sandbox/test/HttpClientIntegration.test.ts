/**
 * The http-client's integration tests: the real `SocialMessaging` HTTP service (SigV4, restJson1, retries)
 * against the sandbox server over loopback, under the live clock (real signatures carry real time).
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import type { AssociateWhatsAppBusinessAccountOutput } from "@social-messaging/domain/WhatsAppSignup"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as RetryPolicy from "@social-messaging/http-client/RetryPolicy"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as SocialMessagingNode from "@social-messaging/http-client/SocialMessagingNode"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Chunk, Clock, ConfigProvider, Context, Effect, Either, Layer, Redacted, Ref, Schedule, Stream } from "effect"

const sandboxKeys = AwsCredentials.makeCredentials({
  accessKeyId: "AKIASANDBOX000000001",
  secretAccessKey: "sandbox-secret-access-key-do-not-use-in-aws"
})

/** Options of one test's world: the server's fault plan, the client's attempts, a transport tamperer. */
interface World {
  readonly server?: Server.Options
  readonly client?: Partial<SocialMessaging.Options>
  readonly credentials?: AwsCredentials.Credentials
  readonly tamper?: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest
}

/** Starts a sandbox server on 127.0.0.1:0 and builds the real HTTP client against it. */
const world = (options: World = {}) =>
  Effect.gen(function*() {
    const server = yield* Server.serve(options.server ?? {})
    const transport = options.tamper === undefined
      ? NodeHttpClient.layerUndici
      : Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, HttpClient.mapRequest(options.tamper))
      ).pipe(Layer.provide(NodeHttpClient.layerUndici))
    // Built in the test's scope: the undici dispatcher lives as long as the test.
    const context = yield* Layer.build(
      SocialMessaging.layer({ region: server.region, endpoint: server.url, ...options.client }).pipe(
        Layer.provide([AwsCredentials.layerStatic(options.credentials ?? sandboxKeys), transport])
      )
    )
    return { client: Context.get(context, SocialMessaging.SocialMessaging), server }
  })

/** Steps 1 and 2 for the one-WABA fixture; answers the finalization output. */
const linkClinic = (client: SocialMessaging.Service) =>
  Effect.gen(function*() {
    const step1 = yield* client.associateWhatsAppBusinessAccount({
      signupCallback: { accessToken: Redacted.make(Fixtures.tokens.oneWaba) }
    })
    const result = step1.signupCallbackResult
    const token = result?.associateInProgressToken
    assert.isDefined(token)
    const [incomplete] = Object.values(result?.linkedAccountsWithIncompleteSetup ?? {})
    const number = incomplete?.unregisteredWhatsAppPhoneNumbers?.[0]
    assert.isDefined(number)
    if (token === undefined || number === undefined) return yield* Effect.die("step 1 gave no token or number")
    const step2: AssociateWhatsAppBusinessAccountOutput = yield* client.associateWhatsAppBusinessAccount({
      setupFinalization: {
        associateInProgressToken: token,
        phoneNumbers: [{
          id: Ids.WhatsAppPhoneNumber.make(number.phoneNumberId),
          twoFactorPin: Redacted.make("123456"),
          dataLocalizationRegion: "DE"
        }],
        waba: { tags: [{ key: "team", value: "clinic" }] }
      }
    })
    return { step2, number }
  })

describe("http-client against the sandbox server", () => {
  it.scopedLive("every operation, end to end", () =>
    Effect.gen(function*() {
      const { client } = yield* world()
      const { number, step2 } = yield* linkClinic(client)
      const wabaId = step2.linkedWhatsAppBusinessAccountId
      assert.isDefined(wabaId)
      if (wabaId === undefined) return

      const listed = yield* client.listLinkedWhatsAppBusinessAccounts({})
      assert.deepStrictEqual(listed.linkedAccounts?.map((a) => a.id), [wabaId])

      const got = yield* client.getLinkedWhatsAppBusinessAccount({ id: wabaId })
      const account = got.account
      assert.isDefined(account)
      assert.strictEqual(account?.wabaName, "Example Clinic")
      assert.strictEqual(account?.registrationStatus, "COMPLETE")
      assert.deepStrictEqual(account?.phoneNumbers.map((p) => p.phoneNumberId), [number.phoneNumberId])

      const phone = yield* client.getLinkedWhatsAppBusinessAccountPhoneNumber({ id: number.phoneNumberId })
      assert.strictEqual(phone.linkedWhatsAppBusinessAccountId, wabaId)
      assert.strictEqual(phone.phoneNumber?.dataLocalizationRegion, "DE")

      yield* client.putWhatsAppBusinessAccountEventDestinations({
        id: wabaId,
        eventDestinations: [{
          eventDestinationArn: Ids.EventDestinationArn.make("arn:aws:sns:us-east-1:123456789012:waba-events")
        }]
      })
      const after = yield* client.getLinkedWhatsAppBusinessAccount({ id: wabaId })
      assert.deepStrictEqual(after.account?.eventDestinations.map((d) => d.eventDestinationArn), [
        "arn:aws:sns:us-east-1:123456789012:waba-events"
      ])

      const arn = Ids.Arn.make(account?.arn ?? "")
      yield* client.tagResource({ resourceArn: arn, tags: [{ key: "env", value: "prod ✓" }, { key: "owner" }] })
      yield* client.untagResource({ resourceArn: arn, tagKeys: ["owner"] })
      const tags = yield* client.listTagsForResource({ resourceArn: arn })
      assert.deepStrictEqual(
        [...(tags.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key)),
        [{ key: "env", value: "prod ✓" }, { key: "team", value: "clinic" }]
      )

      yield* client.disassociateWhatsAppBusinessAccount({ id: wabaId })
      // AWS documents disassociation as idempotent.
      yield* client.disassociateWhatsAppBusinessAccount({ id: wabaId })
      const empty = yield* client.listLinkedWhatsAppBusinessAccounts({})
      assert.deepStrictEqual(empty.linkedAccounts ?? [], [])
    }))

  it.scopedLive("AWS errors arrive as their typed classes", () =>
    Effect.gen(function*() {
      const { client } = yield* world()
      const unknownWaba = Ids.LinkedWhatsAppBusinessAccountId.make("waba-0123456789abcdef0123456789abcdef")
      const notFound = yield* Effect.flip(client.getLinkedWhatsAppBusinessAccount({ id: unknownWaba }))
      assert.strictEqual(notFound._tag, "ResourceNotFoundException")
      assert.match(notFound._tag === "ResourceNotFoundException" ? notFound.requestId ?? "" : "", /^[0-9a-f-]{36}$/)

      const phoneNotFound = yield* Effect.flip(
        client.getLinkedWhatsAppBusinessAccountPhoneNumber({
          id: Ids.WhatsAppPhoneNumberId.make("phone-number-id-0123456789abcdef0123456789abcdef")
        })
      )
      assert.strictEqual(phoneNotFound._tag, "ResourceNotFoundException")

      const revoked = yield* Effect.flip(
        client.associateWhatsAppBusinessAccount({
          signupCallback: { accessToken: Redacted.make(Fixtures.tokens.revoked) }
        })
      )
      assert.strictEqual(revoked._tag, "InvalidParametersException")

      const metaDown = yield* Effect.flip(
        client.associateWhatsAppBusinessAccount({
          signupCallback: { accessToken: Redacted.make(Fixtures.tokens.metaUnavailable) }
        })
      )
      assert.strictEqual(metaDown._tag, "DependencyException")

      const badTag = yield* Effect.flip(
        client.tagResource({
          resourceArn: Ids.Arn.make("arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef"),
          tags: [{ key: "a" }]
        })
      )
      assert.strictEqual(badTag._tag, "InvalidParametersException")
    }))

  it.scopedLive("the 26th WABA in a region is a LimitExceededException, not retried", () =>
    Effect.gen(function*() {
      const { client, server } = yield* world()
      const step1 = yield* client.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make(Fixtures.tokens.thirtyWabas) }
      })
      const token = step1.signupCallbackResult?.associateInProgressToken
      const wabas = Object.entries(step1.signupCallbackResult?.linkedAccountsWithIncompleteSetup ?? {})
      assert.strictEqual(wabas.length, 30)
      if (token === undefined) return
      const finalize = (metaWabaId: string, numberId: string) =>
        client.associateWhatsAppBusinessAccount({
          setupFinalization: {
            associateInProgressToken: token,
            phoneNumbers: [{ id: Ids.WhatsAppPhoneNumber.make(numberId), twoFactorPin: Redacted.make("654321") }],
            waba: { id: Ids.WhatsAppBusinessAccountId.make(metaWabaId) }
          }
        })
      const numberOf = (i: number) => wabas[i]?.[1].unregisteredWhatsAppPhoneNumbers?.[0]?.phoneNumberId ?? ""
      for (let i = 0; i < 25; i++) yield* finalize(wabas[i]?.[0] ?? "", numberOf(i))
      yield* Ref.set(server.requestLog, [])
      const error = yield* Effect.flip(finalize(wabas[25]?.[0] ?? "", numberOf(25)))
      assert.strictEqual(error._tag, "LimitExceededException")
      assert.strictEqual((yield* Ref.get(server.requestLog)).length, 1, "a quota is not retried")
    }))

  it.scopedLive("invalid input fails before anything is sent", () =>
    Effect.gen(function*() {
      const { client, server } = yield* world()
      const error = yield* Effect.flip(
        client.associateWhatsAppBusinessAccount({
          setupFinalization: {
            associateInProgressToken: Redacted.make("token"),
            phoneNumbers: [{ id: Ids.WhatsAppPhoneNumber.make("1"), twoFactorPin: Redacted.make("1234567") }]
          }
        })
      )
      assert.strictEqual(error._tag, "RequestValidationError")
      assert.strictEqual((yield* Ref.get(server.requestLog)).length, 0)
    }))

  it.scopedLive("pagination follows nextToken across pages", () =>
    Effect.gen(function*() {
      const { client, server } = yield* world()
      const step1 = yield* client.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make(Fixtures.tokens.thirtyWabas) }
      })
      const token = step1.signupCallbackResult?.associateInProgressToken
      if (token === undefined) return assert.fail("no token")
      for (
        const [metaWabaId, meta] of Object.entries(step1.signupCallbackResult?.linkedAccountsWithIncompleteSetup ?? {})
          .slice(0, 7)
      ) {
        yield* client.associateWhatsAppBusinessAccount({
          setupFinalization: {
            associateInProgressToken: token,
            phoneNumbers: [{
              id: Ids.WhatsAppPhoneNumber.make(meta.unregisteredWhatsAppPhoneNumbers?.[0]?.phoneNumberId ?? ""),
              twoFactorPin: Redacted.make("111111")
            }],
            waba: { id: Ids.WhatsAppBusinessAccountId.make(metaWabaId) }
          }
        })
      }
      yield* Ref.set(server.requestLog, [])
      const all = yield* Stream.runCollect(client.listLinkedWhatsAppBusinessAccountsStream({ maxResults: 3 }))
      assert.strictEqual(Chunk.size(all), 7)
      assert.strictEqual(new Set(Chunk.toReadonlyArray(all).map((a) => a.id)).size, 7)
      const pages = (yield* Ref.get(server.requestLog)).filter((e) =>
        e.operation === "ListLinkedWhatsAppBusinessAccounts"
      )
      assert.strictEqual(pages.length, 3)
    }))

  it.scopedLive("throttling under a burst: the retry policy recovers", () =>
    Effect.gen(function*() {
      const { client, server } = yield* world({
        server: { faults: { rateLimits: { ListTagsForResource: { rate: 10, burst: 2 } } } },
        // The standard policy's jittered waits (tested to the millisecond with TestClock in FaultMatrix) would
        // make this real-time test a matter of luck; a fixed spacing above the bucket's 100 ms refill makes
        // recovery certain: at most 4 rounds for 6 calls against 2 tokens refilled at 10 per second.
        client: { retryPolicy: RetryPolicy.make({ maxAttempts: 8, schedule: Schedule.spaced("150 millis") }) }
      })
      const { step2 } = yield* linkClinic(client)
      const wabaId = step2.linkedWhatsAppBusinessAccountId
      if (wabaId === undefined) return assert.fail("not linked")
      const account = yield* client.getLinkedWhatsAppBusinessAccount({ id: wabaId })
      const arn = Ids.Arn.make(account.account?.arn ?? "")
      yield* Ref.set(server.requestLog, [])
      // Six calls at once against a bucket of two: some are throttled, every call still succeeds.
      const results = yield* Effect.all(
        Array.from({ length: 6 }, () => Effect.either(client.listTagsForResource({ resourceArn: arn }))),
        { concurrency: "unbounded" }
      )
      const log = yield* Ref.get(server.requestLog)
      const throttled = log.filter((e) => e.status === 429)
      assert.isAbove(throttled.length, 0, "the burst was throttled")
      assert.isTrue(throttled.every((e) => e.errorType === "ThrottledRequestException"))
      assert.strictEqual(results.filter(Either.isRight).length, 6, "every call recovered by retrying")
    }))

  it.scopedLive("a local clock 10 minutes fast is corrected from the server's Date header", () =>
    Effect.gen(function*() {
      const { client, server } = yield* world()
      const real = yield* Effect.clock
      const fast: Clock.Clock = {
        [Clock.ClockTypeId]: Clock.ClockTypeId,
        unsafeCurrentTimeMillis: () => real.unsafeCurrentTimeMillis() + 600_000,
        currentTimeMillis: Effect.map(real.currentTimeMillis, (t) => t + 600_000),
        unsafeCurrentTimeNanos: () => real.unsafeCurrentTimeNanos() + 600_000_000_000n,
        currentTimeNanos: Effect.map(real.currentTimeNanos, (t) => t + 600_000_000_000n),
        sleep: (duration) => real.sleep(duration)
      }
      const listed = yield* client.listLinkedWhatsAppBusinessAccounts({}).pipe(Effect.withClock(fast))
      assert.deepStrictEqual(listed.linkedAccounts ?? [], [])
      const statuses = (yield* Ref.get(server.requestLog)).map((e) => [e.status, e.errorType])
      assert.deepStrictEqual(statuses, [[403, "InvalidSignatureException"], [200, undefined]])
      // The offset is remembered: the next call is signed right the first time.
      yield* client.listLinkedWhatsAppBusinessAccounts({}).pipe(Effect.withClock(fast))
      assert.strictEqual((yield* Ref.get(server.requestLog)).length, 3)
    }))

  it.scopedLive("SocialMessagingNode.layerNode: everything from the AWS standard variables", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({})
      const environment = (entries: ReadonlyArray<readonly [string, string]>) =>
        Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries)))
      const keys = [
        ["AWS_ACCESS_KEY_ID", "AKIASANDBOX000000001"],
        ["AWS_SECRET_ACCESS_KEY", "sandbox-secret-access-key-do-not-use-in-aws"],
        // Never the real ~/.aws of whoever runs the tests.
        ["AWS_CONFIG_FILE", "/nonexistent/social-messaging-test/config"],
        ["AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/social-messaging-test/credentials"]
      ] as const
      const context = yield* Layer.build(
        SocialMessagingNode.layerNode().pipe(
          Layer.provide(
            environment([...keys, ["AWS_REGION", "us-east-1"], ["AWS_ENDPOINT_URL_SOCIALMESSAGING", server.url]])
          )
        )
      )
      const listed = yield* Context.get(context, SocialMessaging.SocialMessaging).listLinkedWhatsAppBusinessAccounts({})
      assert.deepStrictEqual(listed.linkedAccounts ?? [], [])
      assert.strictEqual((yield* Ref.get(server.requestLog))[0]?.accessKeyId, "AKIASANDBOX000000001")

      const noRegion = yield* Effect.flip(
        Layer.build(SocialMessagingNode.layerNode().pipe(Layer.provide(environment(keys))))
      )
      assert.strictEqual(noRegion._tag, "ConfigurationError")
      assert.match(noRegion.message, /region/)
    }))

  it.scopedLive("scripted faults reach the caller as typed errors, and retries ride out the transient ones", () =>
    Effect.gen(function*() {
      const { client, server } = yield* world({
        server: {
          faults: {
            scripted: {
              // Transient: each answered once, then the retry policy's next attempt succeeds.
              ListLinkedWhatsAppBusinessAccounts: [
                { kind: "error", errorType: "InternalServiceException", message: "try again" },
                { kind: "html", status: 502 }
              ],
              DisassociateWhatsAppBusinessAccount: [{ kind: "reset" }],
              // Never retried.
              ListTagsForResource: [{ kind: "error", errorType: "AccessDeniedException", message: "not allowed" }]
            }
          }
        }
      })
      const first = yield* client.listLinkedWhatsAppBusinessAccounts({})
      assert.deepStrictEqual(first.linkedAccounts ?? [], [])
      const listStatuses = (yield* Ref.get(server.requestLog)).map((e) => e.status)
      assert.deepStrictEqual(listStatuses, [500, 502, 200], "500 and an HTML 502 retried; the call succeeded")
      const unknownWaba = Ids.LinkedWhatsAppBusinessAccountId.make("waba-0123456789abcdef0123456789abcdef")
      const notFound = yield* Effect.flip(client.disassociateWhatsAppBusinessAccount({ id: unknownWaba }))
      assert.strictEqual(notFound._tag, "ResourceNotFoundException", "the retry after the reset got the real answer")
      assert.deepStrictEqual(
        (yield* Ref.get(server.requestLog)).slice(3).map((e) => e.status),
        [undefined, 404],
        "a reset connection is retried"
      )

      const denied = yield* Effect.flip(
        client.listTagsForResource({
          resourceArn: Ids.Arn.make("arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef")
        })
      )
      assert.strictEqual(denied._tag, "AccessDeniedException")
      assert.strictEqual(denied._tag === "AccessDeniedException" ? denied.message : "", "not allowed")

      // With retries off, each transient fault is the caller's typed error.
      const once = yield* world({
        client: { maxAttempts: 1 },
        server: {
          faults: {
            scripted: {
              ListLinkedWhatsAppBusinessAccounts: [
                { kind: "error", errorType: "InternalServiceException" },
                { kind: "html", status: 502 },
                { kind: "reset" }
              ]
            }
          }
        }
      })
      const tags = yield* Effect.all(
        Array.from({ length: 3 }, () => Effect.flip(once.client.listLinkedWhatsAppBusinessAccounts({}))),
        { concurrency: 1 }
      )
      assert.deepStrictEqual(tags.map((e) => e._tag), [
        "InternalServiceException",
        "MalformedResponse",
        "TransportError"
      ])
      const transport = tags[2]
      assert.strictEqual(transport?._tag === "TransportError" ? transport.reason : "", "ConnectionReset")
    }))

  describe("SigV4 is verified by the server", () => {
    it.scopedLive("a body changed after signing is rejected", () =>
      Effect.gen(function*() {
        const { client, server } = yield* world({
          client: { maxAttempts: 1 },
          tamper: (request) =>
            request.method === "POST"
              ? HttpClientRequest.bodyText(
                request,
                "{\"signupCallback\":{\"accessToken\":\"other\"}}",
                "application/json"
              )
              : request
        })
        const error = yield* Effect.flip(
          client.associateWhatsAppBusinessAccount({
            signupCallback: { accessToken: Redacted.make(Fixtures.tokens.oneWaba) }
          })
        )
        assert.strictEqual(error._tag, "UnknownServiceError")
        if (error._tag === "UnknownServiceError") {
          assert.strictEqual(error.status, 403)
          assert.strictEqual(error.errorType, "InvalidSignatureException")
        }
        assert.deepStrictEqual((yield* Ref.get(server.requestLog)).map((e) => e.status), [403])
      }))

    it.scopedLive("a signed header changed after signing is rejected", () =>
      Effect.gen(function*() {
        const { client } = yield* world({
          client: { maxAttempts: 1 },
          tamper: HttpClientRequest.setHeader("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000")
        })
        const error = yield* Effect.flip(client.listLinkedWhatsAppBusinessAccounts({}))
        assert.strictEqual(
          error._tag === "UnknownServiceError" ? error.errorType : error._tag,
          "InvalidSignatureException"
        )
      }))

    it.scopedLive("an unknown access key is rejected", () =>
      Effect.gen(function*() {
        const { client } = yield* world({
          client: { maxAttempts: 1 },
          credentials: AwsCredentials.makeCredentials({
            accessKeyId: "AKIAUNKNOWN000000000",
            secretAccessKey: "whatever"
          })
        })
        const error = yield* Effect.flip(client.listLinkedWhatsAppBusinessAccounts({}))
        assert.strictEqual(
          error._tag === "UnknownServiceError" ? error.errorType : error._tag,
          "UnrecognizedClientException"
        )
      }))

    it.scopedLive("a request without a signature is rejected", () =>
      Effect.gen(function*() {
        const { client } = yield* world({
          client: { maxAttempts: 1 },
          tamper: (request) =>
            HttpClientRequest.make(request.method)(request.url, {
              headers: Headers.remove(request.headers, "authorization")
            })
        })
        const error = yield* Effect.flip(client.listLinkedWhatsAppBusinessAccounts({}))
        assert.strictEqual(
          error._tag === "UnknownServiceError" ? error.errorType : error._tag,
          "MissingAuthenticationTokenException"
        )
      }))

    it.scopedLive("a signing date 10 minutes off is rejected", () =>
      Effect.gen(function*() {
        const { client } = yield* world({
          client: { maxAttempts: 1 },
          tamper: (request) => {
            const date = request.headers["x-amz-date"] ?? ""
            // Ten minutes earlier, same format; the signature no longer matches either, but AWS checks time first.
            const shifted = new Date(
              Date.UTC(
                Number(date.slice(0, 4)),
                Number(date.slice(4, 6)) - 1,
                Number(date.slice(6, 8)),
                Number(date.slice(9, 11)),
                Number(date.slice(11, 13)) - 10,
                Number(date.slice(13, 15))
              )
            ).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")
            return HttpClientRequest.setHeader(request, "x-amz-date", shifted)
          }
        })
        const error = yield* Effect.flip(client.listLinkedWhatsAppBusinessAccounts({}))
        assert.strictEqual(
          error._tag === "UnknownServiceError" ? error.errorType : error._tag,
          "InvalidSignatureException"
        )
        assert.match(error._tag === "UnknownServiceError" ? error.awsMessage ?? "" : "", /Signature expired/)
      }))
  })
})
