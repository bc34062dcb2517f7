/**
 * Secrets (Meta's access token, the associate-in-progress token, two-factor PINs) never show in what a
 * program prints or serialises, nor in validation errors; only the wire form carries them.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Effect, Inspectable, ParseResult, Schema } from "effect"
import * as util from "node:util"

const ACCESS_TOKEN = "EAAGsecretMetaAccessToken0123456789"
const IN_PROGRESS_TOKEN = "aip-secret-token-4242"
const PIN = "917364"

const step1 = { signupCallback: { accessToken: ACCESS_TOKEN, callbackUrl: "https://example.com/hook" } }
const step2 = (twoFactorPin: unknown, associateInProgressToken: unknown = IN_PROGRESS_TOKEN) => ({
  setupFinalization: {
    associateInProgressToken,
    phoneNumbers: [{ id: "123456789012345", twoFactorPin, dataLocalizationRegion: "DE" }],
    waba: { id: "102030405060708" }
  }
})
const output = {
  signupCallbackResult: {
    associateInProgressToken: IN_PROGRESS_TOKEN,
    linkedAccountsWithIncompleteSetup: { "102030405060708": { accountName: "Shop", registrationStatus: "INCOMPLETE" } }
  },
  statusCode: 200
}

/** Everything a value can be turned into by printing or logging it. */
const renderings = (x: unknown): Record<string, string> => ({
  String: String(x),
  "JSON.stringify": JSON.stringify(x) ?? "",
  "util.inspect (console.log)": util.inspect(x, { depth: null }),
  "util.inspect showHidden": util.inspect(x, { depth: null, showHidden: true }),
  "util.format %o": util.format("%o", x),
  "Inspectable.format": Inspectable.format(x),
  "Inspectable.toStringUnknown": Inspectable.toStringUnknown(x)
})

const assertHidden = (x: unknown, secrets: ReadonlyArray<string>): void => {
  for (const [how, text] of Object.entries(renderings(x))) {
    for (const secret of secrets) assert.notInclude(text, secret, `${how} shows a secret`)
  }
}

const decodeAssociate = (input: unknown) => Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, input)

describe("decoded values hide their secrets", () => {
  it.effect("step 1: the access token", () =>
    Effect.gen(function*() {
      const input = yield* decodeAssociate(step1)
      assertHidden(input, [ACCESS_TOKEN])
      assertHidden(input.signupCallback, [ACCESS_TOKEN])
      assertHidden(input.signupCallback?.accessToken, [ACCESS_TOKEN])
      // the renderings still say something is there
      expect(JSON.stringify(input)).toContain("<redacted>")
    }))

  it.effect("step 2: the in-progress token and the PIN", () =>
    Effect.gen(function*() {
      const input = yield* decodeAssociate(step2(PIN))
      assertHidden(input, [IN_PROGRESS_TOKEN, PIN])
      assertHidden(input.setupFinalization?.phoneNumbers, [PIN])
    }))

  it.effect("output: the in-progress token AWS returns", () =>
    Effect.gen(function*() {
      const decoded = yield* Schema.decodeUnknown(WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput)(output)
      assertHidden(decoded, [IN_PROGRESS_TOKEN])
    }))
})

describe("validation errors never echo a secret", () => {
  /** The failure as every consumer may print it: violations, the typed error, the raw ParseError. */
  const failureTexts = (input: unknown) =>
    Effect.gen(function*() {
      const parseError = yield* Effect.flip(
        Schema.decodeUnknown(Operations.AssociateWhatsAppBusinessAccount.input, Operations.validationOptions)(input)
      )
      const typed = Operations.toValidationError("AssociateWhatsAppBusinessAccount")(parseError)
      return {
        typed,
        texts: [
          parseError.message,
          String(parseError),
          ParseResult.TreeFormatter.formatErrorSync(parseError),
          JSON.stringify(ParseResult.ArrayFormatter.formatErrorSync(parseError)),
          typed.message,
          String(typed),
          JSON.stringify(typed),
          util.inspect(typed, { depth: null }),
          Inspectable.format(typed)
        ]
      }
    })

  const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
    ["a PIN too long", step2("9173645"), "9173645", "setupFinalization.phoneNumbers[0].twoFactorPin"],
    ["a PIN passed as a number", step2(917364), "917364", "setupFinalization.phoneNumbers[0].twoFactorPin"],
    ["an empty PIN", step2(""), "\"\"", "setupFinalization.phoneNumbers[0].twoFactorPin"],
    // (A too-long in-progress token is not refused: the service issued it, so it goes back as received.)
    [
      "an in-progress token as a number",
      step2(PIN, 4242424242),
      "4242424242",
      "setupFinalization.associateInProgressToken"
    ],
    [
      "an access token too long",
      { signupCallback: { accessToken: ACCESS_TOKEN.repeat(40) } },
      ACCESS_TOKEN,
      "signupCallback.accessToken"
    ]
  ]

  for (const [label, input, secret, path] of cases) {
    it.effect(`${label}: reported at ${path}, value not shown`, () =>
      Effect.gen(function*() {
        const { texts, typed } = yield* failureTexts(input)
        expect(typed.violations.map((v) => v.path)).toEqual([path])
        for (const text of texts) assert.notInclude(text, secret)
      }))
  }

  it.effect("a PIN passed unwrapped (a plain string where the Type wants Redacted) is rejected, value not shown", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Schema.encodeUnknown(Operations.AssociateWhatsAppBusinessAccount.input, Operations.validationOptions)(
          step2(PIN)
        ).pipe(Effect.mapError(Operations.toValidationError("AssociateWhatsAppBusinessAccount")))
      )
      expect(error.violations.map((v) => v.path)).toEqual([
        "setupFinalization.associateInProgressToken",
        "setupFinalization.phoneNumbers[0].twoFactorPin"
      ])
      for (const text of [error.message, String(error), JSON.stringify(error), util.inspect(error, { depth: null })]) {
        assert.notInclude(text, PIN)
        assert.notInclude(text, IN_PROGRESS_TOKEN)
      }
    }))
})

describe("the wire form carries the plain value", () => {
  it.effect("encodeInput reveals the PIN, the tokens only on the wire", () =>
    Effect.gen(function*() {
      const op = Operations.AssociateWhatsAppBusinessAccount
      const step2Input = yield* decodeAssociate(step2(PIN))
      const wire2 = yield* Operations.encodeInput(op, step2Input)
      expect(wire2).toEqual(step2(PIN))
      const step1Input = yield* decodeAssociate(step1)
      const wire1 = yield* Operations.encodeInput(op, step1Input)
      expect(wire1).toEqual(step1)
      assert.include(JSON.stringify(wire2), PIN)
    }))

  it.effect("Schema.encode of an output gives the plain in-progress token", () =>
    Effect.gen(function*() {
      const schema = WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput
      const decoded = yield* Schema.decodeUnknown(schema)(output)
      expect(yield* Schema.encode(schema)(decoded)).toEqual(output)
    }))
})
