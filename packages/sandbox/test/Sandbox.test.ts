import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Sandbox from "@social-messaging/sandbox/Sandbox"
import { Chunk, Effect, Redacted, Stream } from "effect"

describe("Sandbox.layer (in-process SocialMessaging)", () => {
  it.effect("runs a user's whole flow: signup, finalize, list, get, phone number, tags", () =>
    Effect.gen(function*() {
      const client = yield* SocialMessaging

      // Step 1: Meta's token for a business with two WABAs.
      const step1 = yield* client.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make(Fixtures.tokens.twoWabas) }
      })
      const result = step1.signupCallbackResult
      const token = result?.associateInProgressToken
      assert.isDefined(token)
      const support = result?.linkedAccountsWithIncompleteSetup?.[Ids.WhatsAppBusinessAccountId.make("100000000000001")]
      const number = support?.unregisteredWhatsAppPhoneNumbers?.[0]
      assert.isDefined(number)

      // Step 2: link the support WABA with its first number.
      const step2 = yield* client.associateWhatsAppBusinessAccount({
        setupFinalization: {
          associateInProgressToken: token,
          phoneNumbers: [{
            id: Ids.WhatsAppPhoneNumber.make(number.phoneNumberId),
            twoFactorPin: Redacted.make("654321"),
            dataLocalizationRegion: "GB"
          }],
          waba: { id: Ids.WhatsAppBusinessAccountId.make("100000000000001"), tags: [{ key: "env", value: "test" }] }
        }
      })
      assert.strictEqual(step2.statusCode, 200)
      const id = step2.linkedWhatsAppBusinessAccountId
      assert.isDefined(id)

      const { linkedAccounts } = yield* client.listLinkedWhatsAppBusinessAccounts({})
      assert.deepStrictEqual(linkedAccounts?.map((a) => [a.id, a.wabaName]), [[id, "Example Retail Support"]])

      const { account } = yield* client.getLinkedWhatsAppBusinessAccount({ id })
      assert.isDefined(account)
      assert.deepStrictEqual(account.phoneNumbers, [{ ...number, dataLocalizationRegion: "GB" }])

      const phone = yield* client.getLinkedWhatsAppBusinessAccountPhoneNumber({ id: number.phoneNumberId })
      assert.strictEqual(phone.linkedWhatsAppBusinessAccountId, id)
      assert.strictEqual(phone.phoneNumber?.phoneNumber, "+14255550111")

      const resourceArn = Ids.Arn.make(account.arn)
      yield* client.tagResource({ resourceArn, tags: [{ key: "team", value: "support" }] })
      yield* client.untagResource({ resourceArn, tagKeys: ["env"] })
      assert.deepStrictEqual(yield* client.listTagsForResource({ resourceArn }), {
        statusCode: 200,
        tags: [{ key: "team", value: "support" }]
      })

      yield* client.disassociateWhatsAppBusinessAccount({ id })
      assert.deepStrictEqual((yield* client.listLinkedWhatsAppBusinessAccounts({})).linkedAccounts, [])
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("rejects invalid input with RequestValidationError before the engine sees it", () =>
    Effect.gen(function*() {
      const client = yield* SocialMessaging
      const engine = yield* Sandbox.Engine
      // A valid Meta token with an over-long callbackUrl: had it reached the engine, a session would exist.
      const error = yield* Effect.flip(client.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make(Fixtures.tokens.oneWaba), callbackUrl: "x".repeat(101) }
      }))
      assert.strictEqual(error._tag, "RequestValidationError")
      assert.strictEqual((yield* engine.state).sessions.size, 0)

      const both = yield* Effect.flip(client.associateWhatsAppBusinessAccount({
        setupFinalization: {
          associateInProgressToken: Redacted.make("aip-x"),
          phoneNumbers: [{ id: Ids.WhatsAppPhoneNumber.make("1"), twoFactorPin: Redacted.make("1234567") }]
        }
      }))
      assert.strictEqual(both._tag, "RequestValidationError")
      if (both._tag === "RequestValidationError") {
        assert.deepStrictEqual(both.violations.map((v) => v.path), ["setupFinalization.phoneNumbers[0].twoFactorPin"])
        assert.notInclude(both.message, "1234567")
      }

      const page = yield* Effect.flip(client.listLinkedWhatsAppBusinessAccounts({ maxResults: 101 }))
      assert.strictEqual(page._tag, "RequestValidationError")
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("fails with the typed errors each operation declares", () =>
    Effect.gen(function*() {
      const client = yield* SocialMessaging
      const unknown = Ids.LinkedWhatsAppBusinessAccountId.make(`waba-${"0".repeat(32)}`)
      const get = yield* Effect.flip(client.getLinkedWhatsAppBusinessAccount({ id: unknown }))
      assert.strictEqual(get._tag, "ResourceNotFoundException")
      const put = yield* Effect.flip(
        client.putWhatsAppBusinessAccountEventDestinations({ id: unknown, eventDestinations: [] })
      )
      assert.strictEqual(put._tag, "InvalidParametersException")
      const meta = yield* client.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make(Fixtures.tokens.metaUnavailable) }
      }).pipe(
        Effect.map(() => "succeeded"),
        Effect.catchTag("DependencyException", (e) => Effect.succeed(`retryable: ${e.classification.retryable}`))
      )
      assert.strictEqual(meta, "retryable: true")
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("streams every page; each build of the layer is a fresh sandbox", () =>
    Effect.gen(function*() {
      const client = yield* SocialMessaging
      const { signupCallbackResult } = yield* client.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make(Fixtures.tokens.thirtyWabas) }
      })
      const token = signupCallbackResult?.associateInProgressToken
      assert.isDefined(token)
      for (const waba of Fixtures.franchises.slice(0, 7)) {
        yield* client.associateWhatsAppBusinessAccount({
          setupFinalization: {
            associateInProgressToken: token,
            phoneNumbers: [{
              id: Ids.WhatsAppPhoneNumber.make(waba.phoneNumbers[0]!.metaPhoneNumberId),
              twoFactorPin: Redacted.make("000000")
            }],
            waba: { id: Ids.WhatsAppBusinessAccountId.make(waba.wabaId) }
          }
        })
      }
      const all = yield* Stream.runCollect(client.listLinkedWhatsAppBusinessAccountsStream({ maxResults: 3 }))
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(all).map((a) => a.wabaId),
        Fixtures.franchises.slice(0, 7).map((w) => w.wabaId)
      )
      const fresh = yield* SocialMessaging.pipe(
        Effect.flatMap((c) => c.listLinkedWhatsAppBusinessAccounts({})),
        Effect.provide(Sandbox.layer)
      )
      assert.deepStrictEqual(fresh.linkedAccounts, [])
    }).pipe(Effect.provide(Sandbox.layerWith({ region: "ap-southeast-2" }))))

  it.effect("layerWith passes engine options through", () =>
    Effect.gen(function*() {
      const engine = yield* Sandbox.Engine
      assert.strictEqual(engine.config.region, "ap-southeast-2")
      assert.strictEqual(engine.config.wabaLimit, 3)
    }).pipe(Effect.provide(Sandbox.layerWith({ region: "ap-southeast-2", wabaLimit: 3 }))))
})
