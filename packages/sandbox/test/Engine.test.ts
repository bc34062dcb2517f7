import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import type * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as Engine from "@social-messaging/sandbox/Engine"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { DateTime, Duration, Effect, Either, Random, Redacted, TestClock } from "effect"

// =============================================================================
// Helpers
// =============================================================================

const pin = (value = "123456") => Redacted.make(value)
const wabaId = Ids.WhatsAppBusinessAccountId.make
const linkedId = Ids.LinkedWhatsAppBusinessAccountId.make

const signup = (engine: Engine.Service, token: string) =>
  Effect.gen(function*() {
    const output = yield* engine.associateWhatsAppBusinessAccount({
      signupCallback: { accessToken: Redacted.make(token) }
    })
    const result = output.signupCallbackResult
    assert.isDefined(result)
    assert.isDefined(result.associateInProgressToken)
    assert.isDefined(result.linkedAccountsWithIncompleteSetup)
    return {
      output,
      token: result.associateInProgressToken,
      incomplete: result.linkedAccountsWithIncompleteSetup
    }
  })

type PhoneNumberSetup = WhatsAppSignup.WabaPhoneNumberSetupFinalization

const phone = (id: string, extra: Partial<PhoneNumberSetup> = {}): PhoneNumberSetup => ({
  id: Ids.WhatsAppPhoneNumber.make(id),
  twoFactorPin: pin(),
  ...extra
})

/** Finalizes a new WABA (Meta id `metaWabaId`) with the given numbers (Meta ids). */
const finalize = (
  engine: Engine.Service,
  token: Redacted.Redacted<string>,
  metaWabaId: string | undefined,
  numbers: ReadonlyArray<PhoneNumberSetup>,
  waba: Partial<WhatsAppSignup.SetupFinalizationRequest["setupFinalization"]["waba"]> = {}
) =>
  engine.associateWhatsAppBusinessAccount({
    setupFinalization: {
      associateInProgressToken: token,
      phoneNumbers: numbers,
      waba: { ...(metaWabaId === undefined ? {} : { id: wabaId(metaWabaId) }), ...waba }
    }
  })

/** Links "Example Clinic" (one WABA, one number) and answers its AWS id. */
const linkClinic = (engine: Engine.Service) =>
  Effect.gen(function*() {
    const { token } = yield* signup(engine, Fixtures.tokens.oneWaba)
    const number = Fixtures.clinic.phoneNumbers[0]!.metaPhoneNumberId
    const output = yield* finalize(engine, token, undefined, [phone(number)])
    assert.isDefined(output.linkedWhatsAppBusinessAccountId)
    return output.linkedWhatsAppBusinessAccountId
  })

/** Links `n` of the thirty franchise WABAs. */
const linkFranchises = (engine: Engine.Service, n: number) =>
  Effect.gen(function*() {
    const { token } = yield* signup(engine, Fixtures.tokens.thirtyWabas)
    const ids: Array<Ids.LinkedWhatsAppBusinessAccountId> = []
    for (const waba of Fixtures.franchises.slice(0, n)) {
      const output = yield* finalize(engine, token, waba.wabaId, [phone(waba.phoneNumbers[0]!.metaPhoneNumberId)])
      assert.isDefined(output.linkedWhatsAppBusinessAccountId)
      ids.push(output.linkedWhatsAppBusinessAccountId)
    }
    return ids
  })

const failureTag = <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.either(effect), (either) => Either.isLeft(either) ? either.left._tag : "success")

const failureMessage = <A, E extends { readonly _tag: string; readonly message?: string | undefined }>(
  effect: Effect.Effect<A, E>
) => Effect.map(Effect.flip(effect), (error) => `${error._tag}: ${error.message ?? ""}`)

// =============================================================================
// Step 1
// =============================================================================

describe("Engine: signup callback", () => {
  it.effect("trades a Meta token for an in-progress token and the WABAs with unregistered numbers", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { output, token, incomplete } = yield* signup(engine, Fixtures.tokens.twoWabas)
      assert.strictEqual(output.statusCode, 200)
      assert.match(Redacted.value(token), /^aip-[0-9a-f]{32}$/)
      assert.deepStrictEqual(Object.keys(incomplete).sort(), ["100000000000001", "100000000000002"])
      const support = incomplete[wabaId("100000000000001")]
      assert.isDefined(support)
      assert.strictEqual(support.accountName, "Example Retail Support")
      assert.strictEqual(support.registrationStatus, "INCOMPLETE")
      assert.isUndefined(support.wabaId)
      const numbers = support.unregisteredWhatsAppPhoneNumbers ?? []
      assert.strictEqual(numbers.length, 2)
      const first = numbers[0]!
      assert.match(first.phoneNumberId, /^phone-number-id-[0-9a-f]{32}$/)
      assert.strictEqual(
        first.arn,
        `arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/${first.phoneNumberId.slice(16)}`
      )
      assert.strictEqual(first.metaPhoneNumberId, "200000000000011")
      assert.strictEqual(first.phoneNumber, "+14255550111")
      assert.strictEqual(first.displayPhoneNumber, "+1 425-555-0111")
      assert.strictEqual(first.displayPhoneNumberName, "Example Retail")
      assert.strictEqual(first.qualityRating, "GREEN")
    }))

  it.effect("keeps a number's AWS identity across sign-ups", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const a = yield* signup(engine, Fixtures.tokens.oneWaba)
      const b = yield* signup(engine, Fixtures.tokens.oneWaba)
      assert.notStrictEqual(Redacted.value(a.token), Redacted.value(b.token))
      assert.deepStrictEqual(
        a.incomplete[wabaId(Fixtures.clinic.wabaId)]?.unregisteredWhatsAppPhoneNumbers,
        b.incomplete[wabaId(Fixtures.clinic.wabaId)]?.unregisteredWhatsAppPhoneNumbers
      )
    }))

  it.effect("is reproducible under a seeded Random", () =>
    Effect.gen(function*() {
      const run = () =>
        Effect.flatMap(Engine.make(), (engine) => signup(engine, Fixtures.tokens.oneWaba)).pipe(
          Effect.map((r) => Redacted.value(r.token)),
          Effect.withRandom(Random.make("seed"))
        )
      assert.strictEqual(yield* run(), yield* run())
    }))

  it.effect("rejects unknown and revoked tokens as InvalidParameters, Meta outages as Dependency", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const call = (token: string) =>
        failureMessage(
          engine.associateWhatsAppBusinessAccount({ signupCallback: { accessToken: Redacted.make(token) } })
        )
      assert.match(yield* call("not-a-meta-token"), /^InvalidParametersException: The access token is not valid/)
      assert.match(yield* call(Fixtures.tokens.revoked), /^InvalidParametersException: .*revoked/)
      assert.match(yield* call(Fixtures.tokens.metaUnavailable), /^DependencyException: /)
      assert.strictEqual((yield* engine.state).sessions.size, 0)
    }))

  it.effect("uses the configured fixtures", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make({
        fixtures: [{ accessToken: "mine", description: "", grant: { _tag: "Granted", wabas: [Fixtures.clinic] } }]
      })
      const { incomplete } = yield* signup(engine, "mine")
      assert.deepStrictEqual(Object.keys(incomplete), [Fixtures.clinic.wabaId])
      assert.strictEqual(yield* failureTag(signup(engine, Fixtures.tokens.oneWaba)), "InvalidParametersException")
    }))
})

// =============================================================================
// Step 2
// =============================================================================

describe("Engine: setup finalization", () => {
  it.effect("links the WABA with an id, an ARN and the Clock's link date", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2025, 0, 2, 3, 4, 5))
      const engine = yield* Engine.make({ region: "eu-west-2", accountId: "210987654321" })
      const { token, incomplete } = yield* signup(engine, Fixtures.tokens.twoWabas)
      const awsNumber = incomplete[wabaId("100000000000001")]!.unregisteredWhatsAppPhoneNumbers![0]!
      const output = yield* finalize(engine, token, "100000000000001", [
        phone(awsNumber.phoneNumberId, { dataLocalizationRegion: "DE" })
      ], { eventDestinations: [] })
      assert.strictEqual(output.statusCode, 200)
      const id = output.linkedWhatsAppBusinessAccountId!
      assert.match(id, /^waba-[0-9a-f]{32}$/)
      const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      assert.isDefined(account)
      assert.strictEqual(account.arn, `arn:aws:social-messaging:eu-west-2:210987654321:waba/${id.slice(5)}`)
      assert.strictEqual(account.wabaId, "100000000000001")
      assert.strictEqual(account.wabaName, "Example Retail Support")
      assert.strictEqual(account.registrationStatus, "COMPLETE")
      assert.strictEqual(DateTime.formatIso(account.linkDate), "2025-01-02T03:04:05.000Z")
      assert.deepStrictEqual(account.phoneNumbers, [{ ...awsNumber, dataLocalizationRegion: "DE" }])
    }))

  it.effect("accepts Meta's phone number id as well as the AWS phone-number-id", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { token } = yield* signup(engine, Fixtures.tokens.twoWabas)
      const output = yield* finalize(engine, token, "100000000000001", [phone("200000000000012")])
      const id = output.linkedWhatsAppBusinessAccountId!
      const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      assert.deepStrictEqual(account?.phoneNumbers.map((n) => n.metaPhoneNumberId), ["200000000000012"])
    }))

  it.effect("the in-progress token expires after 15 minutes of Clock time", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { token } = yield* signup(engine, Fixtures.tokens.twoWabas)
      yield* TestClock.adjust(Duration.millis(Duration.toMillis("15 minutes") - 1))
      yield* finalize(engine, token, "100000000000001", [phone("200000000000011")])
      yield* TestClock.adjust("1 millis")
      assert.match(
        yield* failureMessage(finalize(engine, token, "100000000000002", [phone("200000000000021")])),
        /^InvalidParametersException: The associateInProgressToken has expired/
      )
    }))

  it.effect("honours a configured token lifetime", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make({ tokenTtl: "1 minute" })
      const { token } = yield* signup(engine, Fixtures.tokens.oneWaba)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(
        yield* failureTag(finalize(engine, token, undefined, [phone("200000000000031")])),
        "InvalidParametersException"
      )
    }))

  it.effect("drops expired sign-ups when a new one starts, keeping those still valid", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make({ tokenTtl: "10 minutes" })
      const first = yield* signup(engine, Fixtures.tokens.oneWaba)
      yield* TestClock.adjust("6 minutes")
      const second = yield* signup(engine, Fixtures.tokens.twoWabas)
      assert.deepStrictEqual(
        [...(yield* engine.state).sessions.keys()],
        [Redacted.value(first.token), Redacted.value(second.token)]
      )
      // The first expires at 10 minutes, the second at 16: a sign-up at 10 minutes drops only the first.
      yield* TestClock.adjust("4 minutes")
      const third = yield* signup(engine, Fixtures.tokens.oneWaba)
      assert.deepStrictEqual(
        [...(yield* engine.state).sessions.keys()],
        [Redacted.value(second.token), Redacted.value(third.token)]
      )
      assert.match(
        yield* failureMessage(finalize(engine, first.token, undefined, [phone("200000000000031")])),
        /^InvalidParametersException: The associateInProgressToken is not valid/
      )
    }))

  it.effect("rejects an unknown in-progress token", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      assert.match(
        yield* failureMessage(finalize(engine, Redacted.make("aip-unknown"), undefined, [phone("200000000000031")])),
        /^InvalidParametersException: The associateInProgressToken is not valid/
      )
    }))

  it.effect("wants a six-digit PIN although the model allows 1-6 characters", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { token } = yield* signup(engine, Fixtures.tokens.oneWaba)
      for (const bad of ["12345", "12a456", "1"]) {
        const message = yield* failureMessage(
          finalize(engine, token, undefined, [phone("200000000000031", { twoFactorPin: pin(bad) })])
        )
        assert.strictEqual(
          message,
          "InvalidParametersException: setupFinalization.phoneNumbers[0].twoFactorPin must be exactly six digits."
        )
      }
    }))

  it.effect("accepts only the documented data localisation regions", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { token } = yield* signup(engine, Fixtures.tokens.twoWabas)
      assert.match(
        yield* failureMessage(
          finalize(engine, token, "100000000000001", [phone("200000000000011", { dataLocalizationRegion: "US" })])
        ),
        /dataLocalizationRegion: US is not a supported region \(AU, ID, IN, JP, SG, KR, DE, CH, GB, BR, BH, ZA, AE, CA/
      )
      for (const region of ["AU", "GB", "CA"]) {
        assert.isTrue(Engine.dataLocalizationRegions.has(region))
      }
      yield* finalize(engine, token, "100000000000002", [phone("200000000000021", { dataLocalizationRegion: "GB" })])
    }))

  it.effect("checks the phone numbers against the WABA", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { token } = yield* signup(engine, Fixtures.tokens.twoWabas)
      const attempt = (numbers: ReadonlyArray<PhoneNumberSetup>) =>
        failureMessage(finalize(engine, token, "100000000000001", numbers))
      assert.match(yield* attempt([phone("200000000000021")]), /is not a phone number of WABA 100000000000001/)
      assert.match(yield* attempt([phone("200000000000011"), phone("200000000000011")]), /already registered/)
      assert.match(yield* attempt([]), /at least one phone number/)
      assert.strictEqual((yield* engine.state).linked.length, 0)
    }))

  it.effect("needs waba.id when the sign-up covers several WABAs, infers it when only one", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const two = yield* signup(engine, Fixtures.tokens.twoWabas)
      assert.match(
        yield* failureMessage(finalize(engine, two.token, undefined, [phone("200000000000011")])),
        /waba\.id is required/
      )
      assert.match(
        yield* failureMessage(finalize(engine, two.token, "100000000000003", [phone("200000000000031")])),
        /100000000000003 is not part of this signup/
      )
      yield* linkClinic(engine)
    }))

  it.effect("stores the WABA's event destination and tags, and each number's tags", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { token } = yield* signup(engine, Fixtures.tokens.oneWaba)
      const destination = {
        eventDestinationArn: Ids.EventDestinationArn.make("arn:aws:sns:us-east-1:123456789012:whatsapp-events")
      }
      const output = yield* finalize(engine, token, undefined, [
        phone("200000000000031", { tags: [{ key: "team", value: "clinic" }] })
      ], { eventDestinations: [destination], tags: [{ key: "env", value: "test" }] })
      const id = output.linkedWhatsAppBusinessAccountId!
      const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      assert.deepStrictEqual(account?.eventDestinations, [destination])
      const wabaTags = yield* engine.listTagsForResource({ resourceArn: Ids.Arn.make(account!.arn) })
      assert.deepStrictEqual(wabaTags, { statusCode: 200, tags: [{ key: "env", value: "test" }] })
      const numberTags = yield* engine.listTagsForResource({ resourceArn: Ids.Arn.make(account!.phoneNumbers[0]!.arn) })
      assert.deepStrictEqual(numberTags.tags, [{ key: "team", value: "clinic" }])
    }))

  it.effect("adds numbers to a linked WABA through phoneNumberParent (by id or ARN)", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const first = yield* signup(engine, Fixtures.tokens.twoWabas)
      const linked = yield* finalize(engine, first.token, "100000000000001", [phone("200000000000011")])
      const id = linked.linkedWhatsAppBusinessAccountId!

      // A new sign-up shows the WABA as linked, with only the number not yet registered.
      const second = yield* signup(engine, Fixtures.tokens.twoWabas)
      const entry = second.incomplete[wabaId("100000000000001")]!
      assert.strictEqual(entry.registrationStatus, "COMPLETE")
      assert.strictEqual(entry.wabaId, id)
      const unregistered = entry.unregisteredWhatsAppPhoneNumbers?.map((n) => n.metaPhoneNumberId)
      assert.deepStrictEqual(unregistered, ["200000000000012"])

      // Linking it again as a new WABA is refused.
      assert.match(
        yield* failureMessage(finalize(engine, second.token, "100000000000001", [phone("200000000000012")])),
        /already linked as waba-.*use phoneNumberParent/
      )

      const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      const added = yield* engine.associateWhatsAppBusinessAccount({
        setupFinalization: {
          associateInProgressToken: second.token,
          phoneNumbers: [phone("200000000000012")],
          phoneNumberParent: linkedId(account!.arn)
        }
      })
      assert.deepStrictEqual(added, { statusCode: 200, linkedWhatsAppBusinessAccountId: id })
      const after = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      assert.deepStrictEqual(after.account?.phoneNumbers.map((n) => n.metaPhoneNumberId), [
        "200000000000011",
        "200000000000012"
      ])
      assert.strictEqual((yield* engine.state).linked.length, 1)

      const again = (parent: string, number: string) =>
        failureMessage(engine.associateWhatsAppBusinessAccount({
          setupFinalization: {
            associateInProgressToken: second.token,
            phoneNumbers: [phone(number)],
            phoneNumberParent: linkedId(parent)
          }
        }))
      assert.match(yield* again(id, "200000000000011"), /already registered/)
      assert.match(
        yield* again(`waba-${"0".repeat(32)}`, "200000000000011"),
        /is not a WhatsApp Business Account linked/
      )
    }))

  it.effect("refuses the 26th WABA in a region with LimitExceededException", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const ids = yield* linkFranchises(engine, 25)
      assert.strictEqual(new Set(ids).size, 25)
      const { token } = yield* signup(engine, Fixtures.tokens.thirtyWabas)
      const next = Fixtures.franchises[25]!
      assert.strictEqual(
        yield* failureMessage(finalize(engine, token, next.wabaId, [phone(next.phoneNumbers[0]!.metaPhoneNumberId)])),
        "LimitExceededException: You have reached the limit of 25 linked WhatsApp Business Accounts in us-east-1."
      )
      // Disassociating one makes room again.
      yield* engine.disassociateWhatsAppBusinessAccount({ id: ids[0]! })
      yield* finalize(engine, token, next.wabaId, [phone(next.phoneNumbers[0]!.metaPhoneNumberId)])
    }))

  it.effect("honours a configured WABA limit", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make({ wabaLimit: 2 })
      yield* linkFranchises(engine, 2)
      const { token } = yield* signup(engine, Fixtures.tokens.thirtyWabas)
      const third = Fixtures.franchises[2]!
      assert.strictEqual(
        yield* failureTag(finalize(engine, token, third.wabaId, [phone(third.phoneNumbers[0]!.metaPhoneNumberId)])),
        "LimitExceededException"
      )
    }))
})

// =============================================================================
// Reading, event destinations, disassociation
// =============================================================================

describe("Engine: linked accounts", () => {
  it.effect("lists in link order across pages with an opaque nextToken", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const ids = yield* linkFranchises(engine, 5)
      const pages: Array<ReadonlyArray<string>> = []
      let nextToken: string | undefined = undefined
      do {
        const page: { readonly linkedAccounts?: ReadonlyArray<{ readonly id: string }>; readonly nextToken?: string } =
          yield* engine.listLinkedWhatsAppBusinessAccounts({
            maxResults: 2,
            ...(nextToken === undefined ? {} : { nextToken })
          })
        pages.push((page.linkedAccounts ?? []).map((a) => a.id))
        nextToken = page.nextToken
        if (nextToken !== undefined) assert.notMatch(nextToken, /\d:\d/)
      } while (nextToken !== undefined)
      assert.deepStrictEqual(pages.map((p) => p.length), [2, 2, 1])
      assert.deepStrictEqual(pages.flat(), ids)
    }))

  it.effect("pages by 25 by default and answers an empty list with no token", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      assert.deepStrictEqual(yield* engine.listLinkedWhatsAppBusinessAccounts({}), { linkedAccounts: [] })
      yield* linkFranchises(engine, 26 - 1)
      const page = yield* engine.listLinkedWhatsAppBusinessAccounts({})
      assert.strictEqual(page.linkedAccounts?.length, 25)
      assert.isUndefined(page.nextToken)
      const small = yield* Engine.make({ defaultPageSize: 10 })
      yield* linkFranchises(small, 11)
      assert.isDefined((yield* small.listLinkedWhatsAppBusinessAccounts({})).nextToken)
    }))

  it.effect("rejects a made-up nextToken or one from another sandbox", () =>
    Effect.gen(function*() {
      const a = yield* Engine.make()
      const b = yield* Engine.make()
      yield* linkFranchises(a, 3)
      const token = (yield* a.listLinkedWhatsAppBusinessAccounts({ maxResults: 1 })).nextToken!
      for (const [engine, nextToken] of [[b, token], [a, "garbage"]] as const) {
        assert.strictEqual(
          yield* failureTag(engine.listLinkedWhatsAppBusinessAccounts({ nextToken })),
          "InvalidParametersException"
        )
      }
    }))

  it.effect("gets a WABA by id or ARN; unknown is ResourceNotFound", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const id = yield* linkClinic(engine)
      const byId = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      const byArn = yield* engine.getLinkedWhatsAppBusinessAccount({ id: linkedId(byId.account!.arn) })
      assert.deepStrictEqual(byArn, byId)
      assert.strictEqual(
        yield* failureTag(engine.getLinkedWhatsAppBusinessAccount({ id: linkedId(`waba-${"f".repeat(32)}`) })),
        "ResourceNotFoundException"
      )
    }))

  it.effect("gets a phone number by id or ARN with its WABA id", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const id = yield* linkClinic(engine)
      const number = (yield* engine.getLinkedWhatsAppBusinessAccount({ id })).account!.phoneNumbers[0]!
      const byId = yield* engine.getLinkedWhatsAppBusinessAccountPhoneNumber({ id: number.phoneNumberId })
      assert.deepStrictEqual(byId, { phoneNumber: number, linkedWhatsAppBusinessAccountId: id })
      const byArn = yield* engine.getLinkedWhatsAppBusinessAccountPhoneNumber({
        id: Ids.WhatsAppPhoneNumberId.make(number.arn)
      })
      assert.deepStrictEqual(byArn, byId)
      assert.strictEqual(
        yield* failureTag(engine.getLinkedWhatsAppBusinessAccountPhoneNumber({
          id: Ids.WhatsAppPhoneNumberId.make(`phone-number-id-${"0".repeat(32)}`)
        })),
        "ResourceNotFoundException"
      )
    }))

  it.effect("does not know numbers that were only seen in a sign-up", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const { incomplete } = yield* signup(engine, Fixtures.tokens.oneWaba)
      const number = incomplete[wabaId(Fixtures.clinic.wabaId)]!.unregisteredWhatsAppPhoneNumbers![0]!
      assert.strictEqual(
        yield* failureTag(engine.getLinkedWhatsAppBusinessAccountPhoneNumber({ id: number.phoneNumberId })),
        "ResourceNotFoundException"
      )
    }))

  it.effect("replaces event destinations; an unknown WABA is InvalidParameters (no ResourceNotFound declared)", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const id = yield* linkClinic(engine)
      const destination = {
        eventDestinationArn: Ids.EventDestinationArn.make("arn:aws:sns:us-east-1:123456789012:events"),
        roleArn: Ids.RoleArn.make("arn:aws:iam::123456789012:role/SocialMessagingEvents")
      }
      assert.deepStrictEqual(
        yield* engine.putWhatsAppBusinessAccountEventDestinations({ id, eventDestinations: [destination] }),
        {}
      )
      assert.deepStrictEqual((yield* engine.getLinkedWhatsAppBusinessAccount({ id })).account?.eventDestinations, [
        destination
      ])
      yield* engine.putWhatsAppBusinessAccountEventDestinations({ id, eventDestinations: [] })
      assert.deepStrictEqual((yield* engine.getLinkedWhatsAppBusinessAccount({ id })).account?.eventDestinations, [])
      assert.strictEqual(
        yield* failureTag(
          engine.putWhatsAppBusinessAccountEventDestinations({
            id: linkedId(`waba-${"1".repeat(32)}`),
            eventDestinations: []
          })
        ),
        "InvalidParametersException"
      )
    }))

  it.effect("disassociates idempotently; an id never linked is ResourceNotFound", () =>
    Effect.gen(function*() {
      const engine = yield* Engine.make()
      const id = yield* linkClinic(engine)
      const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
      yield* engine.tagResource({ resourceArn: Ids.Arn.make(account!.arn), tags: [{ key: "k", value: "v" }] })
      assert.deepStrictEqual(yield* engine.disassociateWhatsAppBusinessAccount({ id }), {})
      assert.deepStrictEqual(yield* engine.disassociateWhatsAppBusinessAccount({ id }), {})
      assert.deepStrictEqual(yield* engine.disassociateWhatsAppBusinessAccount({ id: linkedId(account!.arn) }), {})
      assert.strictEqual(
        yield* failureTag(engine.getLinkedWhatsAppBusinessAccount({ id })),
        "ResourceNotFoundException"
      )
      assert.strictEqual(
        yield* failureTag(engine.disassociateWhatsAppBusinessAccount({ id: linkedId(`waba-${"2".repeat(32)}`) })),
        "ResourceNotFoundException"
      )
      const state = yield* engine.state
      assert.strictEqual(state.linked.length, 0)
      assert.strictEqual(state.tags.size, 0)

      // The WABA's numbers are unregistered again, and it can be linked anew (under a new id).
      const { token, incomplete } = yield* signup(engine, Fixtures.tokens.oneWaba)
      assert.strictEqual(incomplete[wabaId(Fixtures.clinic.wabaId)]?.registrationStatus, "INCOMPLETE")
      assert.strictEqual(incomplete[wabaId(Fixtures.clinic.wabaId)]?.unregisteredWhatsAppPhoneNumbers?.length, 1)
      const relinked = yield* finalize(engine, token, undefined, [phone("200000000000031")])
      assert.notStrictEqual(relinked.linkedWhatsAppBusinessAccountId, id)
    }))
})

// =============================================================================
// Tags
// =============================================================================

describe("Engine: tags", () => {
  const setup = Effect.gen(function*() {
    const engine = yield* Engine.make()
    const id = yield* linkClinic(engine)
    const { account } = yield* engine.getLinkedWhatsAppBusinessAccount({ id })
    return {
      engine,
      wabaArn: Ids.Arn.make(account!.arn),
      phoneArn: Ids.Arn.make(account!.phoneNumbers[0]!.arn)
    }
  })

  it.effect("adds, overwrites, removes and lists tags on WABA and phone number ARNs", () =>
    Effect.gen(function*() {
      const { engine, phoneArn, wabaArn } = yield* setup
      for (const resourceArn of [wabaArn, phoneArn]) {
        assert.deepStrictEqual(
          yield* engine.tagResource({ resourceArn, tags: [{ key: "a", value: "1" }, { key: "b", value: "2" }] }),
          { statusCode: 200 }
        )
        yield* engine.tagResource({ resourceArn, tags: [{ key: "a", value: "one" }, { key: "c" }] })
        assert.deepStrictEqual((yield* engine.listTagsForResource({ resourceArn })).tags, [
          { key: "a", value: "one" },
          { key: "b", value: "2" },
          { key: "c" }
        ])
        assert.deepStrictEqual(yield* engine.untagResource({ resourceArn, tagKeys: ["a", "c", "missing"] }), {
          statusCode: 200
        })
        assert.deepStrictEqual(yield* engine.listTagsForResource({ resourceArn }), {
          statusCode: 200,
          tags: [{ key: "b", value: "2" }]
        })
      }
    }))

  it.effect("answers InvalidParameters for an unknown ARN (the tag operations declare no ResourceNotFound)", () =>
    Effect.gen(function*() {
      const { engine } = yield* setup
      const resourceArn = Ids.Arn.make(`arn:aws:social-messaging:us-east-1:123456789012:waba/${"9".repeat(32)}`)
      const calls = [
        engine.tagResource({ resourceArn, tags: [] }),
        engine.untagResource({ resourceArn, tagKeys: [] }),
        engine.listTagsForResource({ resourceArn })
      ]
      for (const call of calls) assert.strictEqual(yield* failureTag(call), "InvalidParametersException")
    }))

  it.effect("reserves the aws: prefix and caps a resource at 50 tags", () =>
    Effect.gen(function*() {
      const { engine, wabaArn } = yield* setup
      assert.match(
        yield* failureMessage(engine.tagResource({ resourceArn: wabaArn, tags: [{ key: "aws:owner", value: "x" }] })),
        /reserved/
      )
      const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}` }))
      yield* engine.tagResource({ resourceArn: wabaArn, tags: fifty })
      yield* engine.tagResource({ resourceArn: wabaArn, tags: [{ key: "k0", value: "overwrite is fine" }] })
      assert.match(
        yield* failureMessage(engine.tagResource({ resourceArn: wabaArn, tags: [{ key: "k50" }] })),
        /at most 50/
      )
    }))
})

// =============================================================================
// The wire face
// =============================================================================

describe("Engine.handlers", () => {
  it.effect("decode wire input, run, and encode the output (linkDate as epoch seconds)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_500)
      const engine = yield* Engine.make()
      const id = yield* linkClinic(engine)
      const handlers = Engine.handlers(engine)
      const output = yield* handlers.ListLinkedWhatsAppBusinessAccounts({ maxResults: 10 })
      assert.deepStrictEqual(output, {
        linkedAccounts: [{
          arn: `arn:aws:social-messaging:us-east-1:123456789012:waba/${id.slice(5)}`,
          id,
          wabaId: "100000000000003",
          registrationStatus: "COMPLETE",
          linkDate: 1_700_000_000.5,
          wabaName: "Example Clinic",
          eventDestinations: []
        }]
      })
    }))

  it.effect("fail with RequestValidationError on wire input off the model, and with the engine's errors", () =>
    Effect.gen(function*() {
      const handlers = Engine.handlers(yield* Engine.make())
      const invalid = yield* Effect.flip(handlers.ListLinkedWhatsAppBusinessAccounts({ maxResults: 0 }))
      assert.strictEqual(invalid._tag, "RequestValidationError")
      const missing = yield* Effect.flip(handlers.GetLinkedWhatsAppBusinessAccount({ id: `waba-${"0".repeat(32)}` }))
      assert.strictEqual(missing._tag, "ResourceNotFoundException")
    }))
})
