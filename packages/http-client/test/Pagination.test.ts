/**
 * Values the service issued go back as it issued them, and answers AWS's SDKs accept decode here too:
 * pagination ends on an absent, `null` or empty `nextToken` (never a `RequestValidationError`), a token of any
 * length is sent back exactly, a 51-character `associateInProgressToken` from step 1 reaches step 2's body
 * unchanged; and through `RestJson.decodeSuccess`, any member of a drawn answer dropped or set to `null` still
 * decodes, while a plainly wrong type stays a `MalformedResponse` (the model-driven version, with zero values,
 * is the domain's `Correction.test.ts`).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"
import * as Operations from "@social-messaging/domain/Operations"
import { Arbitrary, Chunk, Effect, Either, Exit, Redacted, Schema, Stream } from "effect"
import * as RestJson from "../src/internal/restJson.js"
import * as SocialMessaging from "../src/SocialMessaging.js"
import { failureOf, ok, service } from "./support/RetryHarness.js"

const summary = (n: number) => ({
  arn: `arn:aws:social-messaging:us-east-1:123456789012:waba/${n}`,
  id: `waba-${n}`,
  wabaId: `10000000000${n}`,
  registrationStatus: "COMPLETE",
  linkDate: 1717171717,
  wabaName: `Shop ${n}`,
  eventDestinations: []
})

/** The `nextToken` a request carried (`undefined` for none). */
const tokenOf = (url: string): string | undefined => new URL(url).searchParams.get("nextToken") ?? undefined

const allPages = (svc: SocialMessaging.Service) =>
  Stream.runCollect(SocialMessaging.pages(svc.listLinkedWhatsAppBusinessAccounts)).pipe(
    Effect.map(Chunk.toReadonlyArray)
  )

// =============================================================================
// Pagination
// =============================================================================

describe("pagination ends on the service's last page", () => {
  for (
    const [name, last] of [
      ["an empty nextToken", { nextToken: "" }],
      ["a null nextToken", { nextToken: null }],
      ["no nextToken", {}]
    ] as const
  ) {
    it.effect(`${name}: two pages, two requests, no RequestValidationError`, () =>
      Effect.gen(function*() {
        const { sent, service: svc } = yield* service([
          ok({ linkedAccounts: [summary(1)], nextToken: "page-2" }),
          ok({ linkedAccounts: [summary(2)], ...last })
        ])
        const pages = yield* allPages(svc)
        assert.deepStrictEqual(pages.map((p) => p.linkedAccounts?.map((a) => String(a.id))), [["waba-1"], ["waba-2"]])
        const requests = yield* sent
        assert.deepStrictEqual(requests.map((r) => tokenOf(r.url)), [undefined, "page-2"])
      }))
  }

  it.effect("paginate gives the accounts of every page, a list of null items included", () =>
    Effect.gen(function*() {
      const { service: svc } = yield* service([
        ok({ linkedAccounts: [summary(1), null], nextToken: "page-2" }),
        ok({ linkedAccounts: null, nextToken: "page-3" }),
        ok({ linkedAccounts: [summary(3)], nextToken: "" })
      ])
      const accounts = yield* Stream.runCollect(SocialMessaging.paginate(svc.listLinkedWhatsAppBusinessAccounts))
      assert.deepStrictEqual(Chunk.toReadonlyArray(accounts).map((a) => a.id), ["waba-1", "waba-3"])
    }))

  it.effect("a token the model would not allow on input (over 600 characters) goes back exactly as received", () =>
    Effect.gen(function*() {
      const long = `${"t".repeat(700)}+/=é`
      const { sent, service: svc } = yield* service([
        ok({ linkedAccounts: [], nextToken: long }),
        ok({ linkedAccounts: [] })
      ])
      const pages = yield* allPages(svc)
      assert.strictEqual(pages.length, 2)
      assert.strictEqual(tokenOf((yield* sent)[1]?.url ?? ""), long)
    }))

  it.effect("an empty token given by the caller is sent as given (nothing re-constrains a service token)", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([ok({ linkedAccounts: [] })])
      yield* svc.listLinkedWhatsAppBusinessAccounts({ nextToken: "" })
      assert.match((yield* sent)[0]?.url ?? "", /\?nextToken=$/)
    }))

  it.effect("the caller's own values are still checked: maxResults 0 is a RequestValidationError, nothing sent", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([ok({ linkedAccounts: [] })])
      const exit = yield* Effect.exit(svc.listLinkedWhatsAppBusinessAccounts({ maxResults: 0, nextToken: "" }))
      const error = failureOf(exit)
      assert.strictEqual(error._tag === "Some" ? error.value._tag : undefined, "RequestValidationError")
      assert.strictEqual((yield* sent).length, 0)
    }))

  it.effect("a page that hands back the token it was asked with still fails (it would loop forever)", () =>
    Effect.gen(function*() {
      const { service: svc } = yield* service([
        ok({ linkedAccounts: [], nextToken: "same" }),
        ok({ linkedAccounts: [], nextToken: "same" })
      ])
      const exit = yield* Effect.exit(allPages(svc))
      const error = failureOf(exit)
      assert.strictEqual(error._tag === "Some" ? error.value._tag : undefined, "MalformedResponse")
    }))
})

// =============================================================================
// The in-progress token, from step 1 to step 2
// =============================================================================

describe("associateInProgressToken goes back exactly as step 1 gave it", () => {
  const token51 = "AIP-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJK" // 51 characters

  it.effect("a 51-character token decodes, and step 2 sends it: no RequestValidationError, the body holds it", () =>
    Effect.gen(function*() {
      assert.strictEqual(token51.length, 51)
      const { sent, service: svc } = yield* service([
        ok({
          signupCallbackResult: {
            associateInProgressToken: token51,
            linkedAccountsWithIncompleteSetup: {
              "123456789012345": { accountName: "Shop", registrationStatus: "INCOMPLETE", wabaId: "waba-01234567" }
            }
          },
          statusCode: 200
        }),
        ok({ statusCode: 200, linkedWhatsAppBusinessAccountId: "waba-01234567" })
      ])
      const step1 = yield* svc.associateWhatsAppBusinessAccount({
        signupCallback: { accessToken: Redacted.make("EAAG-meta-access-token") }
      })
      const token = step1.signupCallbackResult?.associateInProgressToken
      assert.isDefined(token)
      assert.strictEqual(Redacted.value(token!), token51)
      const step2 = yield* svc.associateWhatsAppBusinessAccount({
        setupFinalization: {
          associateInProgressToken: token!,
          phoneNumbers: [{ id: Ids.WhatsAppPhoneNumber.make("555000111"), twoFactorPin: Redacted.make("123456") }],
          waba: { id: Ids.WhatsAppBusinessAccountId.make("123456789012345") }
        }
      })
      assert.strictEqual(step2.linkedWhatsAppBusinessAccountId, "waba-01234567")
      const requests = yield* sent
      assert.strictEqual(requests.length, 2)
      const body = JSON.parse(requests[1]?.body ?? "{}") as {
        readonly setupFinalization?: { readonly associateInProgressToken?: string }
      }
      assert.strictEqual(body.setupFinalization?.associateInProgressToken, token51)
    }))

  it.effect("the exemption is the token's alone: a 7-digit PIN beside it is still refused, nothing sent", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([ok({})])
      const exit = yield* Effect.exit(svc.associateWhatsAppBusinessAccount({
        setupFinalization: {
          associateInProgressToken: Redacted.make(token51),
          phoneNumbers: [{ id: Ids.WhatsAppPhoneNumber.make("555000111"), twoFactorPin: Redacted.make("1234567") }]
        }
      }))
      const error = failureOf(exit)
      assert.isTrue(error._tag === "Some" && error.value._tag === "RequestValidationError", String(exit))
      const violations = error._tag === "Some" && error.value._tag === "RequestValidationError"
        ? error.value.violations.map((v) => v.path)
        : []
      assert.deepStrictEqual(violations, ["setupFinalization.phoneNumbers[0].twoFactorPin"])
      assert.strictEqual((yield* sent).length, 0)
    }))

  it.effect("Operations.decodeInput takes a token of any length (what the CLI reads from its token file)", () =>
    Effect.gen(function*() {
      for (const token of [token51, "x".repeat(500)]) {
        const input = yield* Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, {
          setupFinalization: { associateInProgressToken: token, phoneNumbers: [] }
        })
        const wire = yield* Operations.encodeInput(Operations.AssociateWhatsAppBusinessAccount, input)
        assert.strictEqual(
          RestJson.serialize(Operations.AssociateWhatsAppBusinessAccount, wire).body,
          JSON.stringify({
            setupFinalization: { associateInProgressToken: token, phoneNumbers: [] }
          })
        )
      }
    }))
})

// =============================================================================
// Through RestJson.decodeSuccess: any member dropped or null
// =============================================================================

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type Path = ReadonlyArray<string | number>

/** Every place in a JSON value below the top: object members and array items, at every depth. */
const placesOf = (json: Json, path: Path = []): ReadonlyArray<{ readonly path: Path; readonly value: Json }> => {
  if (Array.isArray(json)) {
    return json.flatMap((item: Json, i) => [{ path: [...path, i], value: item }, ...placesOf(item, [...path, i])])
  }
  if (typeof json === "object" && json !== null) {
    return Object.entries(json).flatMap((
      [key, value]
    ) => [{ path: [...path, key], value }, ...placesOf(value, [...path, key])])
  }
  return []
}

/** A copy of `json` with the place at `path` removed (`undefined`) or replaced. */
const withPlace = (json: Json, path: Path, value: Json | undefined): Json => {
  const [head, ...rest] = path
  if (head === undefined) return value ?? null
  if (Array.isArray(json)) {
    const items = json as ReadonlyArray<Json>
    return rest.length === 0 && value === undefined
      ? items.filter((_, i) => i !== head)
      : items.map((item, i) => (i === head ? withPlace(item, rest, value) : item))
  }
  const object = json as { readonly [key: string]: Json }
  const { [head as string]: old, ...others } = object
  if (rest.length === 0) return value === undefined ? others : { ...object, [head]: value }
  return { ...object, [head]: withPlace(old ?? null, rest, value) }
}

const answer = (json: Json): RestJson.WireResponse => ({ status: 200, headers: {}, body: JSON.stringify(json) })

type AnyOperation = Operations.Operation<unknown, unknown, unknown, unknown>

describe("decodeSuccess corrects what AWS's SDKs accept", () => {
  for (const op of Object.values(Operations.association) as ReadonlyArray<AnyOperation>) {
    it.effect.prop(
      `${op.name}: any member or item dropped or null still decodes; a string for a list or object is malformed`,
      [Arbitrary.make(op.output)],
      ([value]) =>
        Effect.gen(function*() {
          const json = JSON.parse(JSON.stringify(yield* Schema.encode(op.output)(value))) as Json
          for (const { path, value: at } of placesOf(json)) {
            for (const mutated of [withPlace(json, path, undefined), withPlace(json, path, null)]) {
              const result = RestJson.decodeSuccess(op, answer(mutated))
              assert.isTrue(
                Either.isRight(result),
                `${path.join(".")}: ${Either.isLeft(result) ? result.left.message : ""}`
              )
            }
            if (typeof at === "object" && at !== null) {
              const result = RestJson.decodeSuccess(op, answer(withPlace(json, path, "not a list or an object")))
              assert.isTrue(Either.isLeft(result) && result.left._tag === "MalformedResponse", path.join("."))
            }
          }
        }),
      { fastCheck: { numRuns: 50 }, timeout: 60_000 }
    )
  }

  it.effect("over the wire too: a read-only answer with nulls and missing members is a success, sent once", () =>
    Effect.gen(function*() {
      const { sent, service: svc } = yield* service([
        ok({ account: { ...summary(1), wabaName: null, eventDestinations: null, registrationStatus: null } })
      ])
      const exit = yield* Effect.exit(
        svc.getLinkedWhatsAppBusinessAccount({ id: Ids.LinkedWhatsAppBusinessAccountId.make("waba-1") })
      )
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      if (Exit.isSuccess(exit)) {
        assert.strictEqual(exit.value.account?.wabaName, "")
        assert.deepStrictEqual(exit.value.account?.eventDestinations, [])
        assert.deepStrictEqual(exit.value.account?.phoneNumbers, [])
        assert.strictEqual(exit.value.account?.registrationStatus, "")
      }
      assert.strictEqual((yield* sent).length, 1)
    }))

  it("a MalformedResponse still names the output for a plainly wrong type", () => {
    const result = RestJson.decodeSuccess(
      Operations.GetLinkedWhatsAppBusinessAccount,
      answer({ account: { ...summary(1), phoneNumbers: "none" } })
    )
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.instanceOf(result.left, Errors.MalformedResponse)
      assert.match(result.left.detail ?? "", /does not match GetLinkedWhatsAppBusinessAccountOutput/)
      assert.match(result.left.detail ?? "", /phoneNumbers/)
    }
  })
})
