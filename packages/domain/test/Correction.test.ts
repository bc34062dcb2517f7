/**
 * Client error correction (Smithy): an answer missing a `@required` member decodes with the member's zero
 * value, and JSON `null` counts as absent (a `null` list item or map value is dropped); types that are
 * plainly wrong still fail. Checked as answers are decoded (`op.correctOutput`, then `Operations.outputSchema`
 * with the options `RestJson.decodeParsed` uses), over values drawn from the nine output schemas
 * (`Arbitrary.make(op.output)`), every mutation of each drawn value applied in turn.
 *
 * The oracle is the model, not the schemas: which members are required, and the zero value of each, come
 * from the model-facts fixture (`""` for a string, `0` for a number, epoch 0 for a timestamp, the unknown
 * value `""` for an enum, `[]` for a list, `{}` for a map, a structure with its own required members filled).
 */
import { assert, describe, it } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import { Arbitrary, DateTime, Effect, Either, FastCheck as fc, ParseResult, Redacted, Schema } from "effect"
import { corrector } from "../src/internal/correction.js"
import { facts, type MemberFacts, shapeFacts, targetFacts, type ValueFacts } from "./support/ModelFacts.js"
import { Json, type PathKey, sampleStructure } from "./support/WireSamples.js"

/**
 * Runs per operation; each run applies the mutations of up to `SITES_PER_RUN` places of one drawn answer
 * (chosen by the run: a drawn step-1 answer can hold hundreds; the every-member sample below covers each
 * required member of the model for certain).
 */
const NUM_RUNS = 100
const SITES_PER_RUN = 24
const fastCheck = { numRuns: NUM_RUNS }

/** What `RestJson.decodeParsed` decodes with (unknown members ignored, every issue reported). */
const outputOptions = { errors: "all", onExcessProperty: "ignore" } as const

/** Decodes an answer's JSON as the client does: correction, then the lenient output schema. */
const decodeAnswer = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  op: Operations.Operation<I, IE, O, OE, K>,
  json: unknown
): Either.Either<O, ParseResult.ParseError> =>
  Schema.decodeUnknownEither(Operations.outputSchema(op), outputOptions)(op.correctOutput(json))

/** The decoded answer as wire JSON again (lenient encoding: no constraints), to compare with an expected JSON. */
const reencode = <I, IE, O, OE, K extends Errors.AwsErrorName>(op: Operations.Operation<I, IE, O, OE, K>, value: O) =>
  Schema.decodeUnknownSync(Json)(Schema.encodeSync(Operations.outputSchema(op))(value))

const decoded = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  op: Operations.Operation<I, IE, O, OE, K>,
  json: unknown,
  what: string
): O => {
  const result = decodeAnswer(op, json)
  if (Either.isLeft(result)) {
    return assert.fail(`${op.name}, ${what}: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`)
  }
  return result.right
}

// =============================================================================
// The model's view of an answer: members, required or not, and zero values
// =============================================================================

const outputShapeOf = (operation: string): string => {
  const op = facts.operations.find((o) => o.name === operation)
  if (op === undefined) throw new Error(`model-facts.json has no operation ${operation}`)
  return op.output
}

/** A shape's facts with its name (for members, lists and maps). */
interface Typed {
  readonly facts: ValueFacts
  readonly members: ReadonlyArray<MemberFacts>
}

const typedShape = (target: string): Typed => {
  const value = targetFacts(target)
  return { facts: value, members: "members" in value ? (value.members as ReadonlyArray<MemberFacts>) : [] }
}

/** The zero value (wire JSON) of a member of this type, as Smithy's client error correction defines it. */
const zeroOf = (value: ValueFacts, target: string): Json => {
  switch (value.type) {
    case "string":
    case "enum":
      return ""
    case "integer":
    case "timestamp":
      return 0
    case "list":
      return []
    case "map":
      return {}
    case "structure":
      return Object.fromEntries(
        typedShape(target).members.filter((m) => m.required).map((m) => [m.name, zeroOf(m, m.target)])
      )
    default:
      throw new Error(`no zero value known for a ${value.type}`)
  }
}

/** A value of the wrong JSON type for this shape (what correction must leave for the decoder to refuse). */
const wrongTypeOf = (value: ValueFacts): Json => {
  switch (value.type) {
    case "string":
    case "enum":
      return 42
    case "integer":
    case "timestamp":
      return "yesterday"
    case "list":
      return "not a list"
    case "map":
    case "structure":
      return "not an object"
    default:
      throw new Error(`no wrong type known for a ${value.type}`)
  }
}

type Mutable = { [key: string]: Json } | Array<Json>

const isObject = (json: Json | undefined): json is { readonly [key: string]: Json } =>
  typeof json === "object" && json !== null && !Array.isArray(json)

/** A copy of `json` with `edit` applied to the container at `path` (the last key is the edit's). */
const edited = (json: Json, path: ReadonlyArray<PathKey>, edit: (container: Mutable, key: PathKey) => void): Json => {
  const copy: Json = structuredClone(json)
  let node: Json = copy
  for (const key of path.slice(0, -1)) {
    node = (Array.isArray(node) ? node[key as number] : (node as { [key: string]: Json })[key as string]) as Json
  }
  edit(node as Mutable, path[path.length - 1] as PathKey)
  return copy
}

const deleteAt = (json: Json, path: ReadonlyArray<PathKey>): Json =>
  edited(json, path, (container, key) => {
    if (Array.isArray(container)) container.splice(key as number, 1)
    else delete container[key as string]
  })

const setAt = (json: Json, path: ReadonlyArray<PathKey>, value: Json): Json =>
  edited(json, path, (container, key) => {
    if (Array.isArray(container)) container[key as number] = value
    else container[key as string] = value
  })

const getAt = (value: unknown, path: ReadonlyArray<PathKey>): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], value)

/** One place in an answer: a member (required or optional), a list item or a map value. */
interface Site {
  readonly path: ReadonlyArray<PathKey>
  /** The path with `[]` for a list index and `{}` for a map key: where in the shape, not in this value. */
  readonly shapePath: string
  readonly kind: "required" | "optional" | "item" | "entry"
  readonly facts: ValueFacts
  readonly target: string
}

/** Every place of a drawn answer, at every depth, walking the JSON with the model's shapes. */
const sitesOf = (
  json: Json,
  target: string,
  path: ReadonlyArray<PathKey> = [],
  shapePath = ""
): ReadonlyArray<Site> => {
  const shape = typedShape(target)
  const out: Array<Site> = []
  const inner = (value: Json, facts: ValueFacts, memberTarget: string, at: ReadonlyArray<PathKey>, where: string) => {
    switch (facts.type) {
      case "structure":
        out.push(...sitesOf(value, memberTarget, at, where))
        break
      case "list": {
        const item = facts.member ?? shapeFacts(memberTarget).member
        if (item === undefined || !Array.isArray(value)) throw new Error(`list ${memberTarget} at ${where}`)
        value.forEach((element, i) => {
          out.push({ path: [...at, i], shapePath: `${where}.[]`, kind: "item", facts: targetFacts(item), target: item })
          inner(element, targetFacts(item), item, [...at, i], `${where}.[]`)
        })
        break
      }
      case "map": {
        const entry = facts.value ?? shapeFacts(memberTarget).value
        if (entry === undefined || !isObject(value)) throw new Error(`map ${memberTarget} at ${where}`)
        for (const [key, element] of Object.entries(value)) {
          out.push({
            path: [...at, key],
            shapePath: `${where}.{}`,
            kind: "entry",
            facts: targetFacts(entry),
            target: entry
          })
          inner(element, targetFacts(entry), entry, [...at, key], `${where}.{}`)
        }
        break
      }
    }
  }
  if (!isObject(json)) throw new Error(`expected a ${target} structure at ${shapePath}`)
  for (const [name, value] of Object.entries(json)) {
    const member = shape.members.find((m) => m.name === name)
    // A member newer than the facts (callSettings, botocore 1.43.107): GeneratedConformance.test.ts checks its schema
    // against the newest model; here it is only carried along.
    if (member === undefined) continue
    const at = [...path, name]
    const where = shapePath === "" ? name : `${shapePath}.${name}`
    out.push({
      path: at,
      shapePath: where,
      kind: member.required ? "required" : "optional",
      facts: member,
      target: member.target
    })
    inner(value, member, member.target, at, where)
  }
  return out
}

/** Every required member of an output shape, at every depth, by shape path (`a.[].b`, `m.{}.c`). */
const requiredMembers = (target: string, prefix = ""): ReadonlyArray<string> =>
  typedShape(target).members.flatMap((m) => {
    const at = prefix === "" ? m.name : `${prefix}.${m.name}`
    const here = m.required ? [at] : []
    const [inner, step] = m.type === "structure"
      ? [m.target, at]
      : m.type === "list"
      ? [m.member ?? shapeFacts(m.target).member, `${at}.[]`]
      : m.type === "map"
      ? [m.value ?? shapeFacts(m.target).value, `${at}.{}`]
      : [undefined, at]
    return inner !== undefined && targetFacts(inner).type === "structure"
      ? [...here, ...requiredMembers(inner, step)]
      : here
  })

/** The decoded value at a site holds the zero value of its type (`Redacted`, `DateTime` and brands unwrapped). */
const assertZeroAt = (value: unknown, site: Site, what: string) => {
  const at = getAt(value, site.path)
  switch (site.facts.type) {
    case "timestamp":
      assert.isTrue(DateTime.isDateTime(at), what)
      assert.strictEqual(DateTime.toEpochMillis(at as DateTime.DateTime), 0, what)
      break
    case "string":
    case "enum":
      assert.strictEqual(Redacted.isRedacted(at) ? Redacted.value(at) : at, "", what)
      break
    default:
      assert.deepStrictEqual(at, zeroOf(site.facts, site.target), what)
  }
}

// =============================================================================
// The property
// =============================================================================

/**
 * Applies every mutation of one answer: (a) each required member dropped (and sent as `null`) comes back as
 * its zero value, the rest as it was; (b) each optional member, list item and map value set to `null` is
 * absent; (c) each of them given a value of the wrong JSON type fails. Returns the sites it mutated.
 */
const checkEveryMutation = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  op: Operations.Operation<I, IE, O, OE, K>,
  json: Json,
  pick: (sites: ReadonlyArray<Site>) => ReadonlyArray<Site> = (sites) => sites
): ReadonlyArray<Site> => {
  // Nothing to correct: the answer decodes as it is.
  assert.deepStrictEqual(reencode(op, decoded(op, json, "as drawn")), json)
  const sites = pick(sitesOf(json, outputShapeOf(op.name)))
  for (const site of sites) {
    const where = `${site.kind} ${site.path.join(".")}`
    if (site.kind === "required") {
      const out = decoded(op, deleteAt(json, site.path), `without ${where}`)
      assertZeroAt(out, site, `without ${where}`)
      assert.deepStrictEqual(reencode(op, out), setAt(json, site.path, zeroOf(site.facts, site.target)), where)
      // A required member sent as null is missing too.
      assertZeroAt(decoded(op, setAt(json, site.path, null), `${where} null`), site, `${where} null`)
    } else {
      const out = decoded(op, setAt(json, site.path, null), `${where} null`)
      assert.deepStrictEqual(reencode(op, out), deleteAt(json, site.path), `${where} null`)
    }
    const wrong = decodeAnswer(op, setAt(json, site.path, wrongTypeOf(site.facts)))
    assert.isTrue(Either.isLeft(wrong), `${op.name}: ${where} of the wrong type must fail`)
  }
  return sites
}

type AnyOperation = Operations.Operation<unknown, unknown, unknown, unknown>
const nine: ReadonlyArray<AnyOperation> = Object.values(Operations.association) as ReadonlyArray<AnyOperation>

describe("client error correction over the nine output schemas (drawn answers)", () => {
  for (const op of nine) {
    it.effect.prop(
      `${op.name}: drop any required member, or null any optional one, list item or map value: still decodes`,
      [Arbitrary.make(op.output), fc.array(fc.nat(), { minLength: SITES_PER_RUN, maxLength: SITES_PER_RUN })],
      ([value, choices]) =>
        Effect.gen(function*() {
          const wire = yield* Schema.encode(op.output)(value)
          checkEveryMutation(
            op,
            Schema.decodeUnknownSync(Json)(JSON.parse(JSON.stringify(wire))),
            (sites) =>
              sites.length <= SITES_PER_RUN
                ? sites
                : [...new Set(choices.map((n) => n % sites.length))].map((i) => sites[i] as Site)
          )
        }),
      // A drawn step-1 answer can be large (records of WABAs with lists of numbers): ~40 ms a run on a busy core.
      { fastCheck, timeout: 60_000 }
    )
  }
})

describe("client error correction over the nine output schemas (every member present)", () => {
  for (const op of nine) {
    it(`${op.name}: every required member of the model, at every depth, is dropped once`, () => {
      // The model's sample: every optional member present, one item per list, one entry per map.
      const sample = sampleStructure(outputShapeOf(op.name))
      const mutated = new Set(
        checkEveryMutation(op, sample).filter((s) => s.kind === "required").map((s) => s.shapePath)
      )
      assert.deepStrictEqual([...mutated].sort(), [...requiredMembers(outputShapeOf(op.name))].sort())
    })
  }

  it("the deepest required member: qualityRating of an unregistered number of an incomplete WABA (step 1)", () => {
    assert.include(
      requiredMembers(outputShapeOf("AssociateWhatsAppBusinessAccount")),
      "signupCallbackResult.linkedAccountsWithIncompleteSetup.{}.unregisteredWhatsAppPhoneNumbers.[].qualityRating"
    )
    // 39 in all: a linked account's 8 (+ 1 per event destination, + 7 per phone number), a summary's 7 (+ 1),
    // a phone number's 7 (twice more: step 1's unregistered numbers, the phone-number details), a tag's key.
    assert.strictEqual(nine.flatMap((op) => requiredMembers(outputShapeOf(op.name))).length, 39)
  })
})

// =============================================================================
// The cases, and the corrector itself
// =============================================================================

const account = {
  arn: "arn:aws:social-messaging:us-east-1:123456789012:waba/0f1e2d3c4b5a",
  id: "waba-0f1e2d3c4b5a",
  wabaId: "123456789012345",
  registrationStatus: "COMPLETE",
  linkDate: 1717171717.123,
  wabaName: "Shop",
  eventDestinations: [],
  phoneNumbers: []
}

const number = {
  arn: "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/0123abcd",
  phoneNumber: "+15555550100",
  phoneNumberId: "phone-number-id-0123abcd",
  metaPhoneNumberId: "555000111",
  displayPhoneNumberName: "Shop",
  displayPhoneNumber: "+1 555-555-0100",
  qualityRating: "GREEN"
}

describe("the issue's answers", () => {
  it("GetLinkedWhatsAppBusinessAccount without eventDestinations and phoneNumbers: both []", () => {
    const { eventDestinations: _e, phoneNumbers: _p, ...rest } = account
    const out = decoded(Operations.GetLinkedWhatsAppBusinessAccount, { account: rest }, "without lists")
    assert.deepStrictEqual(out.account?.eventDestinations, [])
    assert.deepStrictEqual(out.account?.phoneNumbers, [])
    assert.strictEqual(out.account?.wabaName, "Shop")
  })

  it("a list page with \"nextToken\": null: no token (the last page)", () => {
    const out = decoded(
      Operations.ListLinkedWhatsAppBusinessAccounts,
      { linkedAccounts: [account], nextToken: null },
      "nextToken null"
    )
    assert.notProperty(out, "nextToken")
    assert.strictEqual(out.linkedAccounts?.length, 1)
  })

  it("a step-1 answer whose unregistered number lacks qualityRating: \"\", the token intact", () => {
    const { qualityRating: _q, ...withoutRating } = number
    const out = decoded(Operations.AssociateWhatsAppBusinessAccount, {
      signupCallbackResult: {
        associateInProgressToken: "in-progress-token",
        linkedAccountsWithIncompleteSetup: {
          "123456789012345": { accountName: "Shop", unregisteredWhatsAppPhoneNumbers: [withoutRating] }
        }
      },
      statusCode: 200
    }, "without qualityRating")
    const result = out.signupCallbackResult
    const numbers = Object.values(result?.linkedAccountsWithIncompleteSetup ?? {})[0]?.unregisteredWhatsAppPhoneNumbers
    assert.strictEqual(numbers?.[0]?.qualityRating, "")
    assert.strictEqual(numbers?.[0]?.phoneNumber, "+15555550100")
    assert.strictEqual(
      result?.associateInProgressToken && Redacted.value(result.associateInProgressToken),
      "in-progress-token"
    )
  })

  it("every required member of an account missing at once: zero values throughout (linkDate epoch 0, status unknown \"\")", () => {
    const out = decoded(Operations.ListLinkedWhatsAppBusinessAccounts, { linkedAccounts: [{}] }, "empty account")
    const summary = out.linkedAccounts?.[0]
    assert.isDefined(summary)
    assert.strictEqual(DateTime.toEpochMillis(summary!.linkDate), 0)
    assert.deepStrictEqual(
      { ...summary, linkDate: undefined },
      {
        arn: "",
        id: "",
        wabaId: "",
        registrationStatus: "",
        linkDate: undefined,
        wabaName: "",
        eventDestinations: []
      } as unknown
    )
  })

  it("null list items are dropped; a null map value removes its entry", () => {
    const list = decoded(
      Operations.ListTagsForResource,
      { tags: [null, { key: "a", value: null }, null] },
      "nulls in tags"
    )
    assert.deepStrictEqual(list.tags, [{ key: "a" }])
    const map = decoded(Operations.AssociateWhatsAppBusinessAccount, {
      signupCallbackResult: { linkedAccountsWithIncompleteSetup: { "1": null, "2": { accountName: null } } }
    }, "null map value")
    assert.deepStrictEqual(map.signupCallbackResult?.linkedAccountsWithIncompleteSetup as unknown, { "2": {} })
  })

  it("plainly wrong types stay wrong: a string where a list belongs, an object where a string belongs", () => {
    const fails = <I, IE, O, OE, K extends Errors.AwsErrorName>(
      op: Operations.Operation<I, IE, O, OE, K>,
      json: unknown
    ) => assert.isTrue(Either.isLeft(decodeAnswer(op, json)), `${op.name}: ${JSON.stringify(json)}`)
    fails(Operations.ListLinkedWhatsAppBusinessAccounts, { linkedAccounts: "none" })
    fails(Operations.GetLinkedWhatsAppBusinessAccount, { account: { ...account, phoneNumbers: "none" } })
    fails(Operations.GetLinkedWhatsAppBusinessAccount, { account: { ...account, wabaName: { text: "Shop" } } })
    fails(Operations.GetLinkedWhatsAppBusinessAccount, { account: { ...account, linkDate: "2024-01-01" } })
    fails(Operations.ListTagsForResource, { tags: ["k=v"] })
    fails(Operations.AssociateWhatsAppBusinessAccount, { signupCallbackResult: [] })
    fails(Operations.TagResource, { statusCode: "200" })
    fails(Operations.TagResource, null)
    fails(Operations.TagResource, "ok")
  })
})

describe("the corrector", () => {
  it("returns its input itself when nothing needs correcting (no copy on the common path)", () => {
    const answer = { account }
    assert.strictEqual(Operations.GetLinkedWhatsAppBusinessAccount.correctOutput(answer), answer)
    const page = { linkedAccounts: [account], nextToken: "t" }
    assert.strictEqual(Operations.ListLinkedWhatsAppBusinessAccounts.correctOutput(page), page)
  })

  it("does not modify its input", () => {
    const answer = { account: { ...account, wabaName: null, phoneNumbers: [null] } }
    const before = structuredClone(answer)
    Operations.GetLinkedWhatsAppBusinessAccount.correctOutput(answer)
    assert.deepStrictEqual(answer, before)
  })

  it("leaves unknown members alone (the decoder ignores them)", () => {
    const corrected = Operations.TagResource.correctOutput({ statusCode: null, brandNew: null })
    assert.deepStrictEqual(corrected, { brandNew: null })
  })

  it("zero values of the kinds the nine outputs do not have: numbers, booleans, structures, literals, enums", () => {
    enum Color {
      Red = "red",
      Blue = "blue"
    }
    const Inner = Schema.Struct({ n: Schema.Number, b: Schema.Boolean, s: Schema.optional(Schema.String) })
    const Outer = Schema.Struct({
      n: Schema.Int,
      b: Schema.Boolean,
      inner: Inner,
      literal: Schema.Literal("only"),
      closed: Schema.Enums(Color),
      open: Schema.Union(Schema.Literal("A", "B"), Schema.String),
      record: Schema.Record({ key: Schema.String, value: Inner }),
      list: Schema.Array(Inner),
      secret: Schema.Redacted(Schema.String),
      when: Schema.DateFromNumber
    })
    const correct = corrector(Outer.ast)
    assert.deepStrictEqual(correct({}), {
      n: 0,
      b: false,
      inner: { n: 0, b: false },
      literal: "only",
      closed: "red",
      open: "",
      record: {},
      list: [],
      secret: "",
      when: 0
    })
    const out = Schema.decodeUnknownSync(Outer)(correct({ list: [{}, null], record: { a: { b: null } } }))
    assert.deepStrictEqual(out.list, [{ n: 0, b: false }])
    assert.deepStrictEqual(out.record, { a: { n: 0, b: false } })
    assert.strictEqual(out.when.getTime(), 0)
  })

  it("a recursive shape terminates: its own required self has no zero value, so it stays missing", () => {
    interface Node {
      readonly name: string
      readonly children: ReadonlyArray<Node>
      readonly next?: Node
    }
    const Node: Schema.Schema<Node> = Schema.Struct({
      name: Schema.String,
      children: Schema.Array(Schema.suspend((): Schema.Schema<Node> => Node)),
      next: Schema.optionalWith(Schema.suspend((): Schema.Schema<Node> => Node), { exact: true })
    })
    const correct = corrector(Node.ast)
    assert.deepStrictEqual(correct({ children: [{ next: { children: [null] } }] }), {
      name: "",
      children: [{ name: "", children: [], next: { name: "", children: [] } }]
    })
  })
})
