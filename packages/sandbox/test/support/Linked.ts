/**
 * Engine test helpers: link "Example Retail Support" (two numbers) or "Example Clinic" (one) on a fresh
 * engine, and build the blobs operations take.
 */
import { assert } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Engine from "@social-messaging/sandbox/Engine"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, Redacted } from "effect"

/** UTF-8 JSON bytes of `value`. */
export const jsonBytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

/** UTF-8 bytes of `text`. */
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

/** Links `metaWaba` (from the sign-up of `token`) with all its numbers; answers the account. */
export const link = (
  engine: Engine.Service,
  token: string = Fixtures.tokens.twoWabas,
  metaWaba: Fixtures.MetaWaba = Fixtures.retailSupport
) =>
  Effect.gen(function*() {
    const step1 = yield* engine.associateWhatsAppBusinessAccount({
      signupCallback: { accessToken: Redacted.make(token) }
    })
    const inProgress = step1.signupCallbackResult?.associateInProgressToken
    assert.isDefined(inProgress)
    const step2 = yield* engine.associateWhatsAppBusinessAccount({
      setupFinalization: {
        associateInProgressToken: inProgress,
        phoneNumbers: metaWaba.phoneNumbers.map((n) => ({
          id: Shapes.WhatsAppPhoneNumber.make(n.metaPhoneNumberId),
          twoFactorPin: Redacted.make("123456")
        })),
        waba: { id: Shapes.WhatsAppBusinessAccountId.make(metaWaba.wabaId) }
      }
    })
    assert.isDefined(step2.linkedWhatsAppBusinessAccountId)
    const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id: step2.linkedWhatsAppBusinessAccountId })
    assert.isDefined(account)
    const [first, second] = account.phoneNumbers
    assert.isDefined(first)
    return { account, id: account.id, number: first.phoneNumberId, other: second?.phoneNumberId }
  })

/** A fresh engine with "Example Retail Support" linked. */
export const linkedEngine = (options: Engine.Options = {}) =>
  Effect.gen(function*() {
    const engine = yield* Engine.make(options)
    return { engine, ...(yield* link(engine)) }
  })

/** The `_tag` of the failure of `effect` (which must fail). */
export const failureTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

/** The failure of `effect` (which must fail). */
export const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)
