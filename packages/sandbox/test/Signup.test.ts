/**
 * The association workflow (`Signup`) end to end against the in-process sandbox: link a WABA, add a
 * number to it, and what an expired or reused token gets.
 */
import { assert, describe, it } from "@effect/vitest"
import * as WhatsAppMessage from "@social-messaging/domain/WhatsAppMessage"
import * as Signup from "@social-messaging/http-client/Signup"
import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
import { Effect, Option, Redacted, Ref, Stream } from "effect"
import * as Fixtures from "../src/Fixtures.js"
import * as Sandbox from "../src/Sandbox.js"

describe("Signup against Sandbox.layer", () => {
  it.effect("start → finish(linkWaba) links the WABA with its number; the token reached the sink first", () =>
    Effect.gen(function*() {
      const saved = yield* Ref.make<ReadonlyArray<string>>([])
      const started = yield* Signup.start({ accessToken: Redacted.make(Fixtures.tokens.oneWaba) }, {
        saveToken: (token) => Ref.update(saved, (all) => [...all, Redacted.value(token)])
      })
      assert.deepStrictEqual(yield* Ref.get(saved), [Redacted.value(started.token)])
      const [account] = started.accounts
      assert.isDefined(account)
      if (account === undefined) return
      assert.strictEqual(Option.getOrUndefined(account.accountName), "Example Clinic")
      const [number] = account.unregisteredNumbers
      assert.isDefined(number)
      if (number === undefined) return
      yield* Signup.finish(
        started,
        Signup.linkWaba({
          wabaId: account.metaWabaId,
          phoneNumbers: [{
            id: number.phoneNumberId,
            twoFactorPin: Redacted.make("123456"),
            dataLocalizationRegion: "DE"
          }],
          tags: [{ key: "team", value: "support" }]
        })
      )
      const client = yield* SocialMessaging
      const linked = yield* Stream.runCollect(client.listLinkedWhatsAppBusinessAccountsStream())
      assert.deepStrictEqual([...linked].map((a) => a.wabaId), [account.metaWabaId])
      // The token is single use: a second finish is refused by the sandbox, as AWS would.
      const again = yield* Signup.finish(
        started,
        Signup.linkWaba({
          wabaId: account.metaWabaId,
          phoneNumbers: [{ id: number.phoneNumberId, twoFactorPin: Redacted.make("123456") }]
        })
      ).pipe(Effect.flip)
      assert.strictEqual(again._tag, "InvalidParametersException")
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("after linking, the README's send: a built text message reaches the number's outbox", () =>
    Effect.gen(function*() {
      const started = yield* Signup.start({ accessToken: Redacted.make(Fixtures.tokens.oneWaba) }, {
        saveToken: () => Effect.void
      })
      const [account] = started.accounts
      const [number] = account?.unregisteredNumbers ?? []
      if (account === undefined || number === undefined) return assert.fail("the seeded token lists a number")
      yield* Signup.finish(
        started,
        Signup.linkWaba({
          wabaId: account.metaWabaId,
          phoneNumbers: [{ id: number.phoneNumberId, twoFactorPin: Redacted.make("123456") }]
        })
      )
      const client = yield* SocialMessaging
      const bytes = yield* WhatsAppMessage.encode(
        WhatsAppMessage.text({ to: "+14255550123", body: "Your order shipped" })
      )
      const { messageId } = yield* client.sendWhatsAppMessage({
        originationPhoneNumberId: number.phoneNumberId,
        message: Redacted.make(bytes),
        metaApiVersion: "v20.0"
      })
      assert.isDefined(messageId)
      const engine = yield* Sandbox.Engine
      const sent = yield* engine.outbox()
      assert.strictEqual(sent.length, 1)
      assert.include(JSON.stringify(sent), "Your order shipped")
    }).pipe(Effect.provide(Sandbox.layer)))

  it.effect("a revoked Meta token fails step 1 with the model's error, and nothing reaches the sink", () =>
    Effect.gen(function*() {
      const saved = yield* Ref.make(0)
      const error = yield* Signup.start({ accessToken: Redacted.make(Fixtures.tokens.revoked) }, {
        saveToken: () => Ref.update(saved, (n) => n + 1)
      }).pipe(Effect.flip)
      assert.strictEqual(error._tag, "InvalidParametersException")
      assert.strictEqual(yield* Ref.get(saved), 0)
    }).pipe(Effect.provide(Sandbox.layer)))
})
