/**
 * AssociateWhatsAppBusinessAccountRequest: the model's input refined to exactly one step, and in step 2 to
 * `waba` or `phoneNumberParent`, never both (the API docs' rule, which the model leaves to prose).
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Effect, Schema } from "effect"

const signupCallback = { accessToken: "EAAG-token", callbackUrl: "https://example.com/hook" }
const phoneNumbers = [{ id: "123456789012345", twoFactorPin: "123456" }]
const finalization = { associateInProgressToken: "aip-token", phoneNumbers }
const waba = { id: "102030405060708", eventDestinations: [] }
const phoneNumberParent = "waba-0123456789abcdef"

const decode = (input: unknown) => Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, input)

/** The violation a rejected request reports: one, at the root, naming the rule. */
const expectRejected = (input: unknown) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(decode(input))
    assert.strictEqual(error._tag, "RequestValidationError")
    expect(error.violations).toHaveLength(1)
    expect(error.violations[0]?.path).toBe("")
    expect(error.violations[0]?.message).toContain("exactly one of signupCallback")
  })

describe("AssociateWhatsAppBusinessAccountRequest", () => {
  it.effect("step 1 alone is accepted", () =>
    Effect.gen(function*() {
      const input = yield* decode({ signupCallback })
      assert.isDefined(input.signupCallback)
      assert.isUndefined(input.setupFinalization)
    }))

  it.effect("step 2 with waba is accepted", () =>
    Effect.gen(function*() {
      const input = yield* decode({ setupFinalization: { ...finalization, waba } })
      assert.strictEqual(input.setupFinalization?.waba?.id, waba.id)
    }))

  it.effect("step 2 with phoneNumberParent is accepted", () =>
    Effect.gen(function*() {
      const input = yield* decode({ setupFinalization: { ...finalization, phoneNumberParent } })
      assert.strictEqual(input.setupFinalization?.phoneNumberParent, phoneNumberParent)
    }))

  it.effect("step 2 with neither waba nor phoneNumberParent is accepted (the model makes both optional)", () =>
    Effect.gen(function*() {
      yield* decode({ setupFinalization: finalization })
    }))

  it.effect("both steps at once are rejected", () =>
    expectRejected({ signupCallback, setupFinalization: { ...finalization, waba } }))

  it.effect("waba together with phoneNumberParent is rejected", () =>
    expectRejected({ setupFinalization: { ...finalization, waba, phoneNumberParent } }))

  it.effect("neither step is rejected", () => expectRejected({}))

  it.effect("an explicit undefined step counts as absent only if left out (exact optional)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(decode({ signupCallback, setupFinalization: undefined }))
      expect(error.violations.map((v) => v.path)).toEqual(["setupFinalization"])
    }))

  it.effect("an unknown member is rejected at its path", () =>
    Effect.gen(function*() {
      const top = yield* Effect.flip(decode({ signupCallback, dryRun: true }))
      expect(top.violations.map((v) => v.path)).toEqual(["dryRun"])
      const nested = yield* Effect.flip(decode({ signupCallback: { ...signupCallback, scope: "all" } }))
      expect(nested.violations.map((v) => v.path)).toEqual(["signupCallback.scope"])
    }))

  it.effect("the same rules hold when encoding a typed request", () =>
    Effect.gen(function*() {
      const step1 = yield* decode({ signupCallback })
      const step2 = yield* decode({ setupFinalization: { ...finalization, waba } })
      const both = { signupCallback: step1.signupCallback, setupFinalization: step2.setupFinalization }
      const error = yield* Effect.flip(
        Schema.encodeUnknown(WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest, Operations.validationOptions)(both)
      )
      assert.strictEqual(error._tag, "ParseError")
      expect(yield* Operations.encodeInput(Operations.AssociateWhatsAppBusinessAccount, step1)).toEqual({
        signupCallback
      })
    }))

  it.effect("the model's own input schema accepts what the request refines away", () =>
    Effect.gen(function*() {
      const model = Schema.decodeUnknown(
        WhatsAppSignup.AssociateWhatsAppBusinessAccountInput,
        Operations.validationOptions
      )
      yield* model({})
      yield* model({ signupCallback, setupFinalization: { ...finalization, waba, phoneNumberParent } })
    }))
})
