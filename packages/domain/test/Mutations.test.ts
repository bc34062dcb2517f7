/**
 * For every constraint of every input shape (from the model facts), a value just outside it is rejected by
 * `Operations.decodeInput`, with exactly one violation whose path names the member. The values are drawn:
 * each run of an operation's property draws a valid input (`Arbitrary.make(op.input)`), encodes it to its
 * wire form and applies every mutation of the catalogue to it in turn.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import * as Tagging from "@social-messaging/domain/Tagging"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Arbitrary, DateTime, Effect, Either, FastCheck as fc, Redacted, Schema, type SchemaAST } from "effect"
import { facts, shapeFacts } from "./support/ModelFacts.js"
import {
  formatPath,
  getAt,
  isJsonArray,
  Json,
  type Mutation,
  type PathKey,
  patternSamples,
  sampleStructure,
  structureMutations,
  updateAt
} from "./support/WireSamples.js"

/** Runs per operation; each run applies all of the operation's mutations (up to 31) to one drawn input. */
const NUM_RUNS = 100

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

const inputShapeOf = (operation: string): string => {
  const op = facts.operations.find((o) => o.name === operation)
  if (op === undefined) throw new Error(`model-facts.json has no operation ${operation}`)
  return op.input
}

// =============================================================================
// Drawing a valid input that holds a given path
// =============================================================================

/** The schema of a member (string key) or list item (number) of `ast`, through refinements. */
const childAst = (ast: SchemaAST.AST, key: PathKey): SchemaAST.AST => {
  if (ast._tag === "Refinement") return childAst(ast.from, key)
  if (ast._tag === "Suspend") return childAst(ast.f(), key)
  const child = typeof key === "string"
    ? ast._tag === "TypeLiteral" ? ast.propertySignatures.find((ps) => ps.name === key)?.type : undefined
    : ast._tag === "TupleType"
    ? ast.rest[0]?.type
    : undefined
  if (child === undefined) throw new Error(`no ${key} in ${ast._tag}`)
  return child
}

/** Valid wire values of a member's schema (one arbitrary per schema, so `fc.gen` sees a stable builder). */
const wireValues = (() => {
  const cache = new Map<SchemaAST.AST, () => fc.Arbitrary<Json>>()
  return (ast: SchemaAST.AST): () => fc.Arbitrary<Json> => {
    const cached = cache.get(ast)
    if (cached !== undefined) return cached
    const schema = Schema.make(ast)
    const toJson = Schema.decodeUnknownSync(Json)
    const arbitrary = Arbitrary.make(schema).map((value) => toJson(Schema.encodeSync(schema)(value)))
    const build = () => arbitrary
    cache.set(ast, build)
    return build
  }
})()

/**
 * `json` (valid for `ast`) made to hold `path`: an absent optional member is set to a value drawn from its
 * own schema, an empty list gets a drawn item, and each list index of `path` becomes a drawn index among
 * the items. Returns the value and the path as it is in it.
 */
const hold = (
  json: Json,
  ast: SchemaAST.AST,
  path: ReadonlyArray<PathKey>,
  g: fc.GeneratorValue
): { readonly json: Json; readonly path: ReadonlyArray<PathKey> } => {
  const [key, ...rest] = path
  if (key === undefined) return { json, path: [] }
  const child = childAst(ast, key)
  if (typeof key === "string") {
    const present = getAt(json, [key])
    const inner = hold(present ?? g(wireValues(child)), child, rest, g)
    return { json: updateAt(json, [key], () => inner.json), path: [key, ...inner.path] }
  }
  const list = isJsonArray(json) && json.length > 0 ? json : [g(wireValues(child))]
  const index = g(fc.nat, { max: list.length - 1 })
  const item = list[index]
  if (item === undefined) throw new Error(`no item ${index}`)
  const inner = hold(item, child, rest, g)
  return { json: list.map((x, i) => i === index ? inner.json : x), path: [index, ...inner.path] }
}

/**
 * AssociateWhatsAppBusinessAccount takes exactly one step, and in step 2 `waba` or `phoneNumberParent`
 * (the API docs' rule, which its Request schema adds to the model). Where a drawn member broke the rule,
 * the one on the mutated path stays (or a drawn one of the two, if neither is on it).
 */
const exclusiveMembers: ReadonlyArray<{
  readonly at: ReadonlyArray<string>
  readonly members: readonly [string, string]
}> = [
  { at: [], members: ["signupCallback", "setupFinalization"] },
  { at: ["setupFinalization"], members: ["waba", "phoneNumberParent"] }
]

const oneStep = (json: Json, path: ReadonlyArray<PathKey>, g: fc.GeneratorValue): Json =>
  exclusiveMembers.reduce((acc, { at, members }) => {
    if (members.some((m) => getAt(acc, [...at, m]) === undefined)) return acc
    const onPath = at.every((k, i) => path[i] === k) ? path[at.length] : undefined
    const keep = members.find((m) => m === onPath) ?? members[g(fc.nat, { max: 1 })]
    const drop = keep === members[0] ? members[1] : members[0]
    return updateAt(acc, [...at, drop], () => undefined)
  }, json)

// =============================================================================
// The properties
// =============================================================================

/** How often each mutation (`operation: path constraint`) was applied, over all runs. */
const applied = new Map<string, number>()
const keyOf = (operation: string, mutation: Mutation) =>
  `${operation}: ${formatPath(mutation.path)} ${mutation.constraint}`

/** Members holding tokens the service issued (`nextToken`, `associateInProgressToken`): sent back as received. */
const serviceTokenMembers: ReadonlySet<string> = new Set(["nextToken", "associateInProgressToken"])

const isServiceTokenLength = (path: ReadonlyArray<PathKey>, mutation: Mutation): boolean => {
  const last = path[path.length - 1]
  return typeof last === "string" && serviceTokenMembers.has(last) &&
    (mutation.kind === "minLength" || mutation.kind === "maxLength")
}

const rejectsEachMutation = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  op: Operations.Operation<I, IE, O, OE, K>
) => {
  const mutations = structureMutations(inputShapeOf(op.name))
  it.effect.prop(
    `${op.name}: each of its ${mutations.length} mutations of a drawn input is rejected at its path`,
    [Arbitrary.make(op.input), fc.gen()],
    ([input, g]) =>
      Effect.gen(function*() {
        const drawn = Schema.decodeUnknownSync(Json)(Schema.encodeSync(op.input)(input))
        for (const mutation of mutations) {
          // maxItems needs an item to repeat; the other mutations need the member itself
          const needs = mutation.kind === "maxItems" ? [...mutation.path, 0] : mutation.path
          const held = hold(drawn, op.input.ast, needs, g)
          const path = mutation.kind === "maxItems" ? held.path.slice(0, -1) : held.path
          const base = op.name === "AssociateWhatsAppBusinessAccount" ? oneStep(held.json, path, g) : held.json
          const where = `${formatPath(path)} (${mutation.constraint})`

          const before = yield* Effect.either(Operations.decodeInput(op, base))
          if (Either.isLeft(before)) {
            assert.fail(`${where}: the value to mutate is invalid: ${JSON.stringify(before.left.violations)}`)
          }
          const mutated = updateAt(base, path, mutation.mutate)
          const after = yield* Effect.either(Operations.decodeInput(op, mutated))
          const key = keyOf(op.name, mutation)
          if (isServiceTokenLength(path, mutation)) {
            // A token the service issued goes back exactly as received: its length is AWS's business.
            if (Either.isLeft(after)) assert.fail(`${where}: a service-issued token was re-constrained`)
            applied.set(key, (applied.get(key) ?? 0) + 1)
            continue
          }
          if (Either.isRight(after)) assert.fail(`${where}: accepted ${JSON.stringify(getAt(mutated, path))}`)
          const error = after.left
          assert.strictEqual(error._tag, "RequestValidationError")
          assert.strictEqual(error.operation, op.name)
          expect(error.violations.map((v) => v.path), where).toEqual([formatPath(path)])
          const message = error.violations[0]?.message ?? ""
          if (mutation.kind === "required") expect(message, where).toBe(mutation.message)
          else expect(message, where).toContain(mutation.message)
          applied.set(key, (applied.get(key) ?? 0) + 1)
        }
      }),
    // about 2 s for AssociateWhatsAppBusinessAccount alone; room for a loaded 2-core machine
    { fastCheck: { numRuns: NUM_RUNS }, timeout: 30_000 }
  )
}

describe("each value just outside the model is rejected at its path", () => {
  rejectsEachMutation(Operations.AssociateWhatsAppBusinessAccount)
  rejectsEachMutation(Operations.DisassociateWhatsAppBusinessAccount)
  rejectsEachMutation(Operations.GetLinkedWhatsAppBusinessAccount)
  rejectsEachMutation(Operations.ListLinkedWhatsAppBusinessAccounts)
  rejectsEachMutation(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber)
  rejectsEachMutation(Operations.PutWhatsAppBusinessAccountEventDestinations)
  rejectsEachMutation(Operations.TagResource)
  rejectsEachMutation(Operations.UntagResource)
  rejectsEachMutation(Operations.ListTagsForResource)
})

describe("mutation coverage", () => {
  const all = facts.operations.flatMap((op) => structureMutations(op.input).map((m) => keyOf(op.name, m)))

  it("covers every kind of constraint the inputs have", () => {
    const byKind = new Map<string, number>()
    for (const op of facts.operations) {
      for (const m of structureMutations(op.input)) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1)
    }
    // Derived from the fixture; a model change shows up here first.
    expect(Object.fromEntries(byKind)).toEqual(EXPECTED_MUTATIONS)
    // Input shapes hold no enum; the enum is checked on output below.
    const inputEnums = Object.values(facts.shapes).filter((s) => s.type === "enum" && s.usage.includes("input"))
    expect(inputEnums).toEqual([])
  })

  it("every mutation of the catalogue was applied in every run of its operation's property", () => {
    expect(new Set(all).size).toBe(all.length)
    expect(Object.fromEntries(applied)).toEqual(Object.fromEntries(all.map((key) => [key, NUM_RUNS])))
  })
})

describe("valid samples", () => {
  it("each pattern sample matches its pattern", () => {
    for (const [pattern, sample] of Object.entries(patternSamples)) {
      expect(new RegExp(pattern).test(sample), pattern).toBe(true)
    }
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
