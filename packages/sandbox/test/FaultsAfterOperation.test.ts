/**
 * The fault kinds where the sandbox acts and the client cannot tell (issue 10's idempotency tests):
 * `resetAfterRead` (the operation runs, the connection drops), `omitRequired` and `nullMembers` (the
 * operation runs, the 200 answer lacks members or has them `null`).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Faults from "@social-messaging/sandbox/Faults"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Either, Ref } from "effect"
import { call } from "./support/SignedClient.js"

const field = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (acc, key) =>
      typeof acc === "object" && acc !== null && Object.prototype.hasOwnProperty.call(acc, key)
        ? Object.getOwnPropertyDescriptor(acc, key)?.value
        : undefined,
    value
  )

const has = (value: unknown, key: string): boolean =>
  typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, key)

/** Step 1 for one WABA ("Example Clinic"); answers the in-progress token. */
const step1 = (url: string) =>
  Effect.map(
    call(url, "AssociateWhatsAppBusinessAccount", { signupCallback: { accessToken: Fixtures.tokens.oneWaba } }),
    (response) => String(field(response.json, "signupCallbackResult", "associateInProgressToken"))
  )

const step2 = (url: string, associateInProgressToken: string) =>
  call(url, "AssociateWhatsAppBusinessAccount", {
    setupFinalization: {
      associateInProgressToken,
      phoneNumbers: [{ id: "200000000000031", twoFactorPin: "123456" }]
    }
  })

describe("Faults: the plan's new kinds", () => {
  it.effect("decodes resetAfterRead, omitRequired and nullMembers in their JSON forms", () =>
    Effect.gen(function*() {
      const plan = yield* Faults.decodeJson(JSON.stringify({
        scripted: {
          AssociateWhatsAppBusinessAccount: [
            { kind: "resetAfterRead" },
            { kind: "resetAfterRead", delayMillis: 5 },
            { kind: "omitRequired", paths: ["account.eventDestinations", "account.phoneNumbers"] },
            { kind: "nullMembers", paths: ["signupCallbackResult.linkedAccountsWithIncompleteSetup.*.wabaId"] }
          ]
        }
      }))
      assert.deepStrictEqual(plan.scripted?.AssociateWhatsAppBusinessAccount?.[2], {
        kind: "omitRequired",
        paths: ["account.eventDestinations", "account.phoneNumbers"]
      })
      const bad = (fault: unknown) =>
        Effect.map(Effect.flip(Faults.decode({ scripted: { "*": [fault] } })), (e) => e.message)
      assert.match(yield* bad({ kind: "omitRequired", paths: [] }), /paths/)
      assert.match(yield* bad({ kind: "nullMembers", paths: ["account..wabaName"] }), /MemberPath/)
      assert.match(yield* bad({ kind: "omitRequired" }), /paths/)
      assert.match(yield* bad({ kind: "resetAfterRead", paths: ["a"] }), /paths/)
    }))

  it("editMembers removes or nulls members through lists, indexes and map wildcards, on a copy", () => {
    const output = {
      linkedAccounts: [{ id: "a", wabaName: "A" }, { id: "b", wabaName: "B" }],
      result: { byWaba: { w1: { name: "one", numbers: [1, 2] }, w2: { name: "two", numbers: [3] } } }
    }
    const omitted = Faults.editMembers(output, ["linkedAccounts.wabaName", "result.byWaba.*.numbers.0"], "omit")
    assert.deepStrictEqual(omitted.output, {
      linkedAccounts: [{ id: "a" }, { id: "b" }],
      result: { byWaba: { w1: { name: "one", numbers: [2] }, w2: { name: "two", numbers: [] } } }
    })
    assert.deepStrictEqual(omitted.unmatched, [])
    const nulled = Faults.editMembers(output, ["linkedAccounts.1.id", "result.byWaba.*.name", "nextToken"], "null")
    assert.deepStrictEqual(nulled.output, {
      linkedAccounts: [{ id: "a", wabaName: "A" }, { id: null, wabaName: "B" }],
      result: { byWaba: { w1: { name: null, numbers: [1, 2] }, w2: { name: null, numbers: [3] } } }
    })
    assert.deepStrictEqual(nulled.unmatched, ["nextToken"])
    assert.strictEqual(output.linkedAccounts[0]?.wabaName, "A", "the input is not changed")
  })
})

describe("Faults: acted on, then lost or mangled", () => {
  it.scopedLive("resetAfterRead: step 2 links the WABA, then the connection drops unanswered", () =>
    Effect.gen(function*() {
      // Step 1 passes (a zero delay takes the first place in the queue), step 2 is reset after it ran.
      const server = yield* Server.serve({
        faults: {
          scripted: {
            AssociateWhatsAppBusinessAccount: [{ kind: "delay", delayMillis: 0 }, { kind: "resetAfterRead" }]
          }
        }
      })
      const token = yield* step1(server.url)
      const lost = yield* Effect.either(step2(server.url, token))
      assert.isTrue(Either.isLeft(lost), "no answer to step 2")
      const linked = field((yield* call(server.url, "ListLinkedWhatsAppBusinessAccounts", {})).json, "linkedAccounts")
      assert.isTrue(Array.isArray(linked) && linked.length === 1, "yet the WABA is linked")
      assert.strictEqual((yield* server.engine.state).linked.length, 1)
      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(log.map((e) => [e.operation, e.status, e.fault]), [
        ["AssociateWhatsAppBusinessAccount", 200, undefined],
        ["AssociateWhatsAppBusinessAccount", undefined, "scripted"],
        ["ListLinkedWhatsAppBusinessAccounts", 200, undefined]
      ])
    }))

  it.scopedLive("resetAfterRead: a tag call that reset has tagged", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve({ faults: { scripted: { TagResource: [{ kind: "resetAfterRead" }] } } })
      const id = String(field((yield* step2(url, yield* step1(url))).json, "linkedWhatsAppBusinessAccountId"))
      const resourceArn = String(
        field((yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id })).json, "account", "arn")
      )
      const tagged = yield* Effect.either(
        call(url, "TagResource", { resourceArn, tags: [{ key: "team", value: "a" }] })
      )
      assert.isTrue(Either.isLeft(tagged))
      assert.deepStrictEqual((yield* call(url, "ListTagsForResource", { resourceArn })).json, {
        statusCode: 200,
        tags: [{ key: "team", value: "a" }]
      })
    }))

  it.scopedLive("omitRequired: 200 with the real output minus the given members", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({
        faults: {
          scripted: {
            GetLinkedWhatsAppBusinessAccount: [
              { kind: "omitRequired", paths: ["account.eventDestinations", "account.phoneNumbers"] }
            ],
            ListLinkedWhatsAppBusinessAccounts: [{ kind: "omitRequired", paths: ["linkedAccounts.wabaName"] }]
          }
        }
      })
      const { url } = server
      const id = String(field((yield* step2(url, yield* step1(url))).json, "linkedWhatsAppBusinessAccountId"))
      const edited = yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id })
      assert.strictEqual(edited.status, 200)
      assert.strictEqual(edited.headers.get("content-type"), "application/json")
      const account = field(edited.json, "account")
      assert.isFalse(has(account, "eventDestinations"))
      assert.isFalse(has(account, "phoneNumbers"))
      assert.strictEqual(field(account, "id"), id)
      assert.strictEqual(field(account, "wabaName"), "Example Clinic")
      // Only the scripted request is edited.
      const real = field((yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id })).json, "account")
      assert.isTrue(has(real, "eventDestinations") && has(real, "phoneNumbers"))

      const list = yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {})
      assert.strictEqual(list.status, 200)
      const first = field(list.json, "linkedAccounts", 0)
      assert.isFalse(has(first, "wabaName"))
      assert.strictEqual(field(first, "id"), id)

      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(log.slice(2).map((e) => [e.status, e.fault]), [
        [200, "scripted"],
        [200, undefined],
        [200, "scripted"]
      ])
    }))

  it.scopedLive("nullMembers: 200 with the given members set to null, through step 1's map", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve({
        faults: {
          scripted: {
            AssociateWhatsAppBusinessAccount: [{
              kind: "nullMembers",
              paths: [
                "signupCallbackResult.linkedAccountsWithIncompleteSetup.*.unregisteredWhatsAppPhoneNumbers.qualityRating",
                "signupCallbackResult.linkedAccountsWithIncompleteSetup.*.accountName"
              ]
            }]
          }
        }
      })
      const response = yield* call(url, "AssociateWhatsAppBusinessAccount", {
        signupCallback: { accessToken: Fixtures.tokens.oneWaba }
      })
      assert.strictEqual(response.status, 200)
      const setup = field(response.json, "signupCallbackResult", "linkedAccountsWithIncompleteSetup")
      const [waba] = Object.values(typeof setup === "object" && setup !== null ? setup : {})
      assert.isNull(field(waba, "accountName"))
      assert.isNull(field(waba, "unregisteredWhatsAppPhoneNumbers", 0, "qualityRating"))
      assert.isString(field(waba, "unregisteredWhatsAppPhoneNumbers", 0, "phoneNumberId"))
      // The token is intact: the call did act, and step 2 works with it.
      const token = String(field(response.json, "signupCallbackResult", "associateInProgressToken"))
      assert.strictEqual((yield* step2(url, token)).status, 200)
    }))
})
