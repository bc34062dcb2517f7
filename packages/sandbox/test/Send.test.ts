/**
 * `SocialMessaging.send` over a `Caller`: the HTTP one (`layerCaller`, `layerCallerConfig`) against the sandbox
 * server over loopback, and the in-process one of `Sandbox.layer`. The same typed inputs, outputs and declared
 * errors as the service's methods; a bad input sends nothing.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import * as Operations from "@social-messaging/domain/Operations"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Sandbox from "@social-messaging/sandbox/Sandbox"
import * as Server from "@social-messaging/sandbox/Server"
import { ConfigProvider, Effect, Layer, Redacted, Ref } from "effect"

const sandboxKeys = AwsCredentials.makeCredentials({
  accessKeyId: "AKIASANDBOX000000001",
  secretAccessKey: "sandbox-secret-access-key-do-not-use-in-aws"
})

/** The HTTP `Caller` against a sandbox server (SigV4 with the sandbox's keys, undici). */
const callerOver = (server: Server.Service) =>
  SocialMessaging.layerCaller({
    region: server.region,
    endpoint: server.url,
    credentials: AwsCredentials.layerStatic(sandboxKeys)
  }).pipe(Layer.provide(NodeHttpClient.layerUndici))

const unknownWaba = Ids.LinkedWhatsAppBusinessAccountId.make(`waba-${"0".repeat(32)}`)

/** Step 1 of the association with the one-WABA token, then the linked accounts: through `send` only. */
const stepOneThenList = Effect.gen(function*() {
  const step1 = yield* SocialMessaging.send(Operations.AssociateWhatsAppBusinessAccount, {
    signupCallback: { accessToken: Redacted.make(Fixtures.tokens.oneWaba) }
  })
  const pending = Object.keys(step1.signupCallbackResult?.linkedAccountsWithIncompleteSetup ?? {})
  const missing = yield* Effect.flip(
    SocialMessaging.send(Operations.GetLinkedWhatsAppBusinessAccount, { id: unknownWaba })
  )
  return { step1, pending, missing }
})

describe("SocialMessaging.send", () => {
  it.scopedLive("over layerCaller: signed requests to the sandbox server, typed answers and declared errors", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve()
      const live = callerOver(server)
      const { missing, pending, step1 } = yield* Effect.provide(stepOneThenList, live)

      assert.isDefined(step1.signupCallbackResult?.associateInProgressToken)
      assert.deepStrictEqual(pending, [Fixtures.clinic.wabaId])
      assert.strictEqual(missing._tag, "ResourceNotFoundException")
      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(log.map((entry) => entry.operation), [
        "AssociateWhatsAppBusinessAccount",
        "GetLinkedWhatsAppBusinessAccount"
      ])
    }))

  it.scopedLive("a bad input is a RequestValidationError and nothing reaches the server", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve()
      const live = callerOver(server)
      const error = yield* Effect.flip(
        SocialMessaging.send(Operations.ListLinkedWhatsAppBusinessAccounts, { maxResults: 101 })
      ).pipe(Effect.provide(live))
      assert.strictEqual(error._tag, "RequestValidationError")
      assert.strictEqual((yield* Ref.get(server.requestLog)).length, 0)
    }))

  it.scopedLive("layerCallerConfig reads region and endpoint from the AWS variables", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve()
      const live = SocialMessaging.layerCallerConfig({ credentials: AwsCredentials.layerStatic(sandboxKeys) }).pipe(
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
          new Map([["AWS_REGION", server.region], ["AWS_ENDPOINT_URL_SOCIALMESSAGING", server.url]])
        )))
      )
      const page = yield* SocialMessaging.send(Operations.ListLinkedWhatsAppBusinessAccounts, {}).pipe(
        Effect.provide(live)
      )
      assert.deepStrictEqual(page.linkedAccounts ?? [], [])
      assert.strictEqual((yield* Ref.get(server.requestLog)).length, 1)
    }))

  it.effect("over Sandbox.layer: the same answers in process", () =>
    Effect.gen(function*() {
      const { missing, pending, step1 } = yield* stepOneThenList
      assert.isDefined(step1.signupCallbackResult?.associateInProgressToken)
      assert.deepStrictEqual(pending, [Fixtures.clinic.wabaId])
      assert.strictEqual(missing._tag, "ResourceNotFoundException")
      // the engine's own error, not a rebuilt one: its message says what was not found
      assert.include(missing.message, unknownWaba)
      const invalid = yield* Effect.flip(
        SocialMessaging.send(Operations.ListLinkedWhatsAppBusinessAccounts, { maxResults: 101 })
      )
      assert.strictEqual(invalid._tag, "RequestValidationError")
    }).pipe(Effect.provide(Sandbox.layer)))
})
