/**
 * The association workflow over a scripted transport: the in-progress token reaches the caller's sink
 * before anything else in step 1's answer can fail, a failed sink hands the token back, and step 2 only
 * takes step 1's result.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Exit, Layer, Redacted, Ref } from "effect"
import * as AwsCredentials from "../src/AwsCredentials.js"
import * as Signup from "../src/Signup.js"
import * as SocialMessaging from "../src/SocialMessaging.js"

const credentials = AwsCredentials.layerStatic(
  AwsCredentials.makeCredentials({
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
  })
)

/** The service over a transport that answers every request with `body` (status 200) and records the bodies. */
const answering = (bodies: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<string>>([])
    const client = HttpClient.make((request) =>
      Effect.gen(function*() {
        const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
        const n = yield* Ref.modify(sent, (all) => [all.length, [...all, body]])
        return HttpClientResponse.fromWeb(
          request,
          new Response(bodies[Math.min(n, bodies.length - 1)] ?? "{}", {
            status: 200,
            headers: { "content-type": "application/json" }
          })
        )
      })
    )
    const layer = SocialMessaging.layer({ region: "us-east-1" }).pipe(
      Layer.provide([credentials, Layer.succeed(HttpClient.HttpClient, client)]),
      Layer.orDie
    )
    return { layer, sent }
  })

const token = "in-progress-token-0123456789"
const step1 = (incomplete: unknown) =>
  JSON.stringify({
    signupCallbackResult: { associateInProgressToken: token, linkedAccountsWithIncompleteSetup: incomplete }
  })

const callback = { accessToken: Redacted.make("meta-token") }

/** A sink that records what it was given. */
const recordingSink = Effect.map(Ref.make<ReadonlyArray<string>>([]), (saved) => ({
  saved,
  saveToken: (t: Redacted.Redacted<string>) => Ref.update(saved, (all) => [...all, Redacted.value(t)])
}))

describe("Signup.start", () => {
  it.effect("returns the incomplete accounts and the token, saved once, expiring after the assumed lifetime", () =>
    Effect.gen(function*() {
      const { layer } = yield* answering([step1({
        "123456789012345": {
          accountName: "Example",
          registrationStatus: "INCOMPLETE",
          wabaId: "waba-0123",
          unregisteredWhatsAppPhoneNumbers: [{
            arn: "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/abc",
            phoneNumber: "+14255550111",
            phoneNumberId: "phone-number-id-abc",
            metaPhoneNumberId: "111",
            displayPhoneNumberName: "Example",
            displayPhoneNumber: "+1 425-555-0111",
            qualityRating: "GREEN"
          }]
        }
      })])
      const sink = yield* recordingSink
      const started = yield* Signup.start(callback, { saveToken: sink.saveToken }).pipe(Effect.provide(layer))
      assert.deepStrictEqual(yield* Ref.get(sink.saved), [token])
      assert.strictEqual(Redacted.value(started.token), token)
      assert.strictEqual(started.accounts.length, 1)
      const [account] = started.accounts
      assert.strictEqual(account?.metaWabaId, "123456789012345")
      assert.deepStrictEqual(account?.unregisteredNumbers.map((n) => n.phoneNumberId), ["phone-number-id-abc"])
      assert.strictEqual(
        DateTime.distance(started.receivedAt, started.expiresAt),
        Duration.toMillis(Signup.defaultTokenLifetime)
      )
      // The token never prints.
      assert.notInclude(String(started.token), token)
    }))

  it.effect("a step-1 answer that breaks the model elsewhere still leaves the token with the caller", () =>
    Effect.gen(function*() {
      // `linkedAccountsWithIncompleteSetup` is a string where a map belongs: plainly wrong, so MalformedResponse.
      const { layer } = yield* answering([step1("not a map")])
      const sink = yield* recordingSink
      const exit = yield* Effect.exit(Signup.start(callback, { saveToken: sink.saveToken }).pipe(Effect.provide(layer)))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) expect(exit.cause.toString()).toContain("MalformedResponse")
      assert.deepStrictEqual(yield* Ref.get(sink.saved), [token], "the token was saved before decoding failed")
    }))

  it.effect("a 51-character token (over the model's 50) is accepted, saved and sent back as received", () =>
    Effect.gen(function*() {
      const long = "t".repeat(51)
      const { layer, sent } = yield* answering([
        JSON.stringify({ signupCallbackResult: { associateInProgressToken: long } }),
        JSON.stringify({ linkedWhatsAppBusinessAccountId: "waba-0123" })
      ])
      const sink = yield* recordingSink
      const output = yield* Effect.gen(function*() {
        const started = yield* Signup.start(callback, { saveToken: sink.saveToken })
        return yield* Signup.finish(
          started,
          Signup.linkWaba({ wabaId: "123", phoneNumbers: [{ id: "456", twoFactorPin: Redacted.make("123456") }] })
        )
      }).pipe(Effect.provide(layer))
      assert.strictEqual(output.linkedWhatsAppBusinessAccountId, "waba-0123")
      assert.deepStrictEqual(yield* Ref.get(sink.saved), [long])
      const second = JSON.parse((yield* Ref.get(sent))[1] ?? "{}")
      assert.deepStrictEqual(second, {
        setupFinalization: {
          associateInProgressToken: long,
          phoneNumbers: [{ id: "456", twoFactorPin: "123456" }],
          waba: { id: "123" }
        }
      })
    }))

  it.effect("a failing sink fails the call with TokenNotSaved, which holds the token", () =>
    Effect.gen(function*() {
      const { layer } = yield* answering([step1({})])
      const error = yield* Signup.start(callback, { saveToken: () => Effect.fail("disk full" as const) }).pipe(
        Effect.provide(layer),
        Effect.flip
      )
      assert.strictEqual(error._tag, "SignupTokenNotSaved")
      if (error._tag === "SignupTokenNotSaved") {
        assert.strictEqual(error.cause, "disk full")
        assert.strictEqual(Redacted.value(error.token), token)
      }
    }))

  it.effect("an answer without a token is a MalformedResponse, and nothing is saved", () =>
    Effect.gen(function*() {
      const { layer } = yield* answering([JSON.stringify({ signupCallbackResult: {} })])
      const sink = yield* recordingSink
      const error = yield* Signup.start(callback, { saveToken: sink.saveToken }).pipe(
        Effect.provide(layer),
        Effect.flip
      )
      assert.strictEqual(error._tag, "MalformedResponse")
      assert.deepStrictEqual(yield* Ref.get(sink.saved), [])
    }))
})

describe("Signup.finish", () => {
  it.effect("adds numbers to a parent WABA; bad PINs and regions are refused before anything is sent", () =>
    Effect.gen(function*() {
      const { layer, sent } = yield* answering([JSON.stringify({ statusCode: 200 })])
      const started = yield* Signup.resume(Redacted.make(token))
      const bad = yield* Signup.finish(
        started,
        Signup.addNumbers({
          parent: "not-a-waba",
          phoneNumbers: [{ id: "456", twoFactorPin: Redacted.make("1234567"), dataLocalizationRegion: "de" }]
        })
      ).pipe(Effect.provide(layer), Effect.flip)
      assert.strictEqual(bad._tag, "RequestValidationError")
      if (bad._tag === "RequestValidationError") {
        expect(bad.violations.map((v) => v.path).sort()).toEqual([
          "setupFinalization.phoneNumberParent",
          "setupFinalization.phoneNumbers[0].dataLocalizationRegion",
          "setupFinalization.phoneNumbers[0].twoFactorPin"
        ])
        assert.notInclude(bad.message, "1234567", "the PIN is never echoed")
      }
      assert.deepStrictEqual(yield* Ref.get(sent), [], "nothing was sent")
      yield* Signup.finish(
        started,
        Signup.addNumbers({ parent: "waba-0123", phoneNumbers: [{ id: "456", twoFactorPin: Redacted.make("123456") }] })
      ).pipe(Effect.provide(layer))
      assert.deepStrictEqual(JSON.parse((yield* Ref.get(sent))[0] ?? "{}"), {
        setupFinalization: {
          associateInProgressToken: token,
          phoneNumbers: [{ id: "456", twoFactorPin: "123456" }],
          phoneNumberParent: "waba-0123"
        }
      })
    }))

  it("cannot be called without step 1's result, nor with both a new WABA and a parent (type level)", () => {
    const pin = Redacted.make("123456")
    const numbers = [{ id: "456", twoFactorPin: pin }] as const
    const handMade = { _tag: "SignupStarted", token: pin, accounts: [] }
    // @ts-expect-error: a hand-made object is not a Started (only start/resume make one)
    Signup.finish(handMade, Signup.linkWaba({ phoneNumbers: numbers }))
    assert.notInstanceOf(handMade, Signup.Started)
    // @ts-expect-error: a choice is one of linkWaba/addNumbers, not both
    Signup.linkWaba({ phoneNumbers: numbers, parent: "waba-1" })
    // @ts-expect-error: at least one phone number
    Signup.addNumbers({ parent: "waba-1", phoneNumbers: [] })
    // The rest is checked by the type checker: `npm test` runs `tsc -b` over the tests first.
  })
})
