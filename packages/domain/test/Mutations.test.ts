/**
 * For every constraint of every input shape (from the model facts), a wire value just outside it is
 * rejected by `Operations.decodeInput`, with exactly one violation whose path names the member.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import * as Tagging from "@social-messaging/domain/Tagging"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { DateTime, Effect, Redacted, Schema } from "effect"
import { facts, shapeFacts } from "./support/ModelFacts.js"
import {
  formatPath,
  getAt,
  type Json,
  type Mutation,
  patternSamples,
  sampleStructure,
  structureMutations,
  updateAt
} from "./support/WireSamples.js"

type Decode = (input: unknown) => Effect.Effect<unknown, Errors.RequestValidationError>

/** `decodeInput` of each operation (one line each: the operations differ in type). */
const decoders: Readonly<Record<Errors.OperationName, Decode>> = {
  AssociateWhatsAppBusinessAccount: (u) => Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, u),
  DisassociateWhatsAppBusinessAccount: (u) =>
    Operations.decodeInput(Operations.DisassociateWhatsAppBusinessAccount, u),
  GetLinkedWhatsAppBusinessAccount: (u) => Operations.decodeInput(Operations.GetLinkedWhatsAppBusinessAccount, u),
  ListLinkedWhatsAppBusinessAccounts: (u) =>
    Operations.decodeInput(Operations.ListLinkedWhatsAppBusinessAccounts, u),
  GetLinkedWhatsAppBusinessAccountPhoneNumber: (u) =>
    Operations.decodeInput(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber, u),
  PutWhatsAppBusinessAccountEventDestinations: (u) =>
    Operations.decodeInput(Operations.PutWhatsAppBusinessAccountEventDestinations, u),
  TagResource: (u) => Operations.decodeInput(Operations.TagResource, u),
  UntagResource: (u) => Operations.decodeInput(Operations.UntagResource, u),
  ListTagsForResource: (u) => Operations.decodeInput(Operations.ListTagsForResource, u)
}

const decoderOf = (name: string): Decode => {
  const decode = Object.entries(decoders).find(([op]) => op === name)?.[1]
  if (decode === undefined) throw new Error(`no operation ${name}`)
  return decode
}

/**
 * Valid inputs with every optional member present. AssociateWhatsAppBusinessAccount takes one step at a
 * time and `waba` or `phoneNumberParent`, so its full sample is split into three.
 */
const basesOf = (input: string): ReadonlyArray<Json> => {
  const full = sampleStructure(input)
  if (input !== "AssociateWhatsAppBusinessAccountInput") return [full]
  const step2 = getAt(full, ["setupFinalization"]) ?? null
  return [
    { signupCallback: getAt(full, ["signupCallback"]) ?? null },
    { setupFinalization: updateAt(step2, ["phoneNumberParent"], () => undefined) },
    { setupFinalization: updateAt(step2, ["waba"], () => undefined) }
  ]
}

/** The first base in which the mutated member (or, for a removal, the member itself) is present. */
const baseFor = (bases: ReadonlyArray<Json>, mutation: Mutation): Json | undefined =>
  bases.find((base) => getAt(base, mutation.path) !== undefined)

const caseCount = { mutations: 0 }

/** Mutations per kind of constraint over the nine inputs. */
const EXPECTED_MUTATIONS = {
  required: 20,
  minLength: 12,
  maxLength: 23,
  pattern: 13,
  minimum: 1,
  maximum: 1,
  maxItems: 2
}

describe("valid samples", () => {
  it("each pattern sample matches its pattern", () => {
    for (const [pattern, sample] of Object.entries(patternSamples)) {
      expect(new RegExp(pattern).test(sample), pattern).toBe(true)
    }
  })

  for (const op of facts.operations) {
    it.effect(`${op.name}: the full samples decode`, () =>
      Effect.gen(function*() {
        for (const base of basesOf(op.input)) yield* decoderOf(op.name)(base)
      }))
  }
})

for (const op of facts.operations) {
  describe(`${op.name} rejects each value just outside the model`, () => {
    const bases = basesOf(op.input)
    for (const mutation of structureMutations(op.input)) {
      const path = formatPath(mutation.path)
      caseCount.mutations++
      it.effect(`${path}: ${mutation.constraint}`, () =>
        Effect.gen(function*() {
          const base = baseFor(bases, mutation)
          assert.isDefined(base, "a sample holds the member")
          if (base === undefined) return
          const mutated = updateAt(base, mutation.path, () => mutation.value)
          const error = yield* Effect.flip(decoderOf(op.name)(mutated))
          assert.strictEqual(error._tag, "RequestValidationError")
          assert.strictEqual(error.operation, op.name)
          expect(error.violations.map((v) => v.path)).toEqual([path])
          if (mutation.constraint === "required") expect(error.violations[0]?.message).toBe("is missing")
        }))
    }
  })
}

describe("mutation coverage", () => {
  it("covers every kind of constraint the inputs have", () => {
    const all = facts.operations.flatMap((op) => structureMutations(op.input))
    expect(caseCount.mutations).toBe(all.length)
    const byKind = new Map<string, number>()
    for (const m of all) {
      const kind = m.constraint.split(" ")[0] ?? ""
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    }
    // Derived from the fixture; a model change shows up here first.
    expect(Object.fromEntries(byKind)).toEqual(EXPECTED_MUTATIONS)
    // Input shapes hold no enum; the enum is checked on output below.
    const inputEnums = Object.values(facts.shapes).filter((s) => s.type === "enum" && s.usage.includes("input"))
    expect(inputEnums).toEqual([])
  })
})

describe("code points, not UTF-16 units", () => {
  const pin = (twoFactorPin: string) => ({
    setupFinalization: {
      associateInProgressToken: "token",
      phoneNumbers: [{ id: "123456789", twoFactorPin }]
    }
  })

  it.effect("a six-emoji PIN (12 UTF-16 units) is accepted and kept as is", () =>
    Effect.gen(function*() {
      const emoji = "😀😀😀😀😀😀"
      assert.strictEqual(emoji.length, 12)
      const input = yield* Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, pin(emoji))
      const number = input.setupFinalization?.phoneNumbers[0]
      assert.isDefined(number)
      if (number !== undefined) assert.strictEqual(Redacted.value(number.twoFactorPin), emoji)
    }))

  it.effect("a seven-emoji PIN is rejected at setupFinalization.phoneNumbers[0].twoFactorPin", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, pin("😀😀😀😀😀😀😀"))
      )
      expect(error.violations.map((v) => v.path)).toEqual(["setupFinalization.phoneNumbers[0].twoFactorPin"])
    }))

  it.effect("a 128-emoji tag key is accepted, a 129-emoji one is rejected at tags[0].key", () =>
    Effect.gen(function*() {
      const resourceArn = "arn:aws:social-messaging:us-east-1:123456789012:waba/0123abcd"
      const input = yield* Operations.decodeInput(Operations.TagResource, {
        resourceArn,
        tags: [{ key: "😀".repeat(128), value: "😀".repeat(256) }]
      })
      assert.strictEqual(input.tags[0]?.key.length, 256)
      const error = yield* Effect.flip(
        Operations.decodeInput(Operations.TagResource, { resourceArn, tags: [{ key: "😀".repeat(129) }] })
      )
      expect(error.violations.map((v) => v.path)).toEqual(["tags[0].key"])
    }))
})

describe("outputs", () => {
  const account: Json = { ...sampleStructure("LinkedWhatsAppBusinessAccount"), linkDate: 1718000000.123 }
  const decodeAccount = (patch: { readonly [key: string]: Json }) =>
    Schema.decodeUnknown(LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput, Operations.validationOptions)({
      account: Object.entries(patch).reduce<Json>((acc, [key, value]) => updateAt(acc, [key], () => value), account)
    }).pipe(Effect.mapError(Operations.toValidationError("GetLinkedWhatsAppBusinessAccount")))

  it.effect("RegistrationStatus rejects a value outside the enum on input", () =>
    Effect.gen(function*() {
      const values = shapeFacts("RegistrationStatus").enum ?? []
      for (const value of values) yield* Schema.decodeUnknown(LinkedAccounts.RegistrationStatus)(value)
      yield* Effect.flip(Schema.decodeUnknown(LinkedAccounts.RegistrationStatus)("PENDING"))
    }))

  it.effect("on output a status AWS adds later decodes; a non-string is rejected at its path", () =>
    Effect.gen(function*() {
      const decoded = yield* decodeAccount({ registrationStatus: "PENDING_REVIEW" })
      assert.strictEqual(decoded.account?.registrationStatus, "PENDING_REVIEW")
      const error = yield* Effect.flip(decodeAccount({ registrationStatus: 42 }))
      // one violation per union member (the enum, any string), all at the member
      expect(new Set(error.violations.map((v) => v.path))).toEqual(new Set(["account.registrationStatus"]))
    }))

  it.effect("linkDate: fractional epoch seconds decode to a DateTime and encode back", () =>
    Effect.gen(function*() {
      const decoded = yield* decodeAccount({})
      const linkDate = decoded.account?.linkDate
      assert.isDefined(linkDate)
      if (linkDate === undefined) return
      assert.strictEqual(DateTime.toEpochMillis(linkDate), 1718000000123)
      const wire = yield* Schema.encode(LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput)(decoded)
      assert.strictEqual(wire.account?.linkDate, 1718000000.123)
      const error = yield* Effect.flip(decodeAccount({ linkDate: "2024-06-10T06:13:20Z" }))
      expect(error.violations.map((v) => v.path)).toEqual(["account.linkDate"])
    }))

  it.effect("datasetId is 10 to 20 digits and nothing else", () =>
    Effect.gen(function*() {
      yield* decodeAccount({ datasetId: "12345678901234567890" })
      for (const bad of ["123456789", "123456789012345678901", "dataset-123", "12345 67890"]) {
        const error = yield* Effect.flip(decodeAccount({ datasetId: bad }))
        expect(error.violations.map((v) => v.path), bad).toEqual(["account.datasetId"])
      }
    }))

  it.effect("a member missing from an output is reported at its path", () =>
    Effect.gen(function*() {
      const withoutName = updateAt(account, ["wabaName"], () => undefined)
      const error = yield* Effect.flip(
        Schema.decodeUnknown(LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput, { errors: "all" })({
          account: withoutName
        }).pipe(Effect.mapError(Operations.toValidationError("GetLinkedWhatsAppBusinessAccount")))
      )
      expect(error.violations).toEqual([{ path: "account.wabaName", message: "is missing" }])
    }))

  it.effect("tags on output keep the model's lengths", () =>
    Effect.gen(function*() {
      const decoded = yield* Schema.decodeUnknown(Tagging.ListTagsForResourceOutput)({ tags: [{ key: "k" }] })
      expect(decoded).toEqual({ tags: [{ key: "k" }] })
    }))
})

describe("secrets decode from plain wire strings into Redacted", () => {
  it.effect("signupCallback.accessToken", () =>
    Effect.gen(function*() {
      const input = yield* Schema.decodeUnknown(WhatsAppSignup.WhatsAppSignupCallback)({ accessToken: "EAAG-token" })
      assert.isTrue(Redacted.isRedacted(input.accessToken))
    }))
})
