/**
 * Property tests over the input schemas of all 38 operations, with the newest botocore model
 * (`model/botocore-1.43.107-…service-2.json`, the generator's input) as the oracle:
 * - every valid value (`Arbitrary.make(op.input)`) survives `encodeInput` → JSON text → `decodeInput`, and
 *   encodes back to the same wire form;
 * - for every constraint the model puts on an input (required members, string lengths in code points,
 *   patterns, enums, integer ranges, list and map sizes, blob sizes in bytes), a value just outside it, made
 *   from a valid value that has every member at every depth, is refused with one violation path: the
 *   member's. Checked on the wire form (`decodeInput`, as the CLI and the sandbox read inputs) and on the
 *   typed form (`encodeInput`, the client's first step: a value the types allow but the model does not).
 *   Tokens the service issues (`nextToken`, `associateInProgressToken`) are sent back as received, so their
 *   lengths are accepted instead.
 * That nothing is sent for such a value is checked through the client in
 * http-client/test/BotocoreClient.test.ts.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as AstRewrite from "@social-messaging/domain/AstRewrite"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import { Arbitrary, Effect, Either, Schema, SchemaAST } from "effect"
import { readFileSync } from "node:fs"
import type { Json } from "./support/WireSamples.js"
import { formatPath, getAt, type PathKey, updateAt } from "./support/WireSamples.js"

/** Round-trip runs per operation: 38 properties in well under a minute on a loaded 2-core machine. */
const NUM_RUNS = 25

// =============================================================================
// The model
// =============================================================================

const Ref = Schema.Struct({ shape: Schema.String })
const Shape = Schema.Struct({
  type: Schema.String,
  members: Schema.optional(Schema.Record({ key: Schema.String, value: Ref })),
  required: Schema.optional(Schema.Array(Schema.String)),
  member: Schema.optional(Ref),
  key: Schema.optional(Ref),
  value: Schema.optional(Ref),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  pattern: Schema.optional(Schema.String),
  enum: Schema.optional(Schema.Array(Schema.String))
})
type Shape = typeof Shape.Type
const Model = Schema.Struct({
  operations: Schema.Record({ key: Schema.String, value: Schema.Struct({ input: Schema.optional(Ref) }) }),
  shapes: Schema.Record({ key: Schema.String, value: Shape })
})

const model = Schema.decodeUnknownSync(Schema.parseJson(Model))(
  readFileSync(new URL("../model/botocore-1.43.107-socialmessaging-2024-01-01.service-2.json", import.meta.url), "utf8")
)

const shapeOf = (name: string): Shape => {
  const shape = model.shapes[name]
  if (shape === undefined) throw new Error(`the model has no shape ${name}`)
  return shape
}

const inputShapeOf = (operation: string): string => {
  const input = model.operations[operation]?.input?.shape
  if (input === undefined) throw new Error(`the model has no input for ${operation}`)
  return input
}

/** A model pattern as botocore writes it, anchored as the recorder (scripts/record-botocore.py) does. */
const patternRegex = (pattern: string): RegExp =>
  new RegExp(
    pattern.startsWith(".*") && pattern.endsWith(".*") && pattern.length > 4
      ? pattern.slice(2, -2)
      : `^(?:${pattern})$`
  )

/** Shapes of tokens the service issues: sent back as received, their lengths not enforced on input. */
const serviceTokenShapes: ReadonlySet<string> = new Set(["NextToken", "AssociateInProgressToken"])

// =============================================================================
// A valid wire value with every member at every depth
// =============================================================================

/** Valid values of the patterned string shapes (checked against the model's patterns below). */
const patterned: Readonly<Record<string, string>> = {
  Arn: "arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef",
  EventDestinationArn: "arn:aws:sns:us-east-1:123456789012:social-messaging-events",
  IsoCountryCode: "DE",
  KmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  LinkedWhatsAppBusinessAccountId: "waba-0123456789abcdef",
  MetaFlowId: "1234567890123456",
  MetaTemplateId: "987654321098765",
  RoleArn: "arn:aws:iam::123456789012:role/SocialMessagingEvents",
  S3FileBucketNameString: "my-media-bucket",
  S3PresignedUrlUrlString: "https://my-media-bucket.s3.us-east-1.amazonaws.com/media/photo.jpg",
  WhatsAppDatasetId: "123456789012345",
  WhatsAppDate: "2026-12-25",
  WhatsAppDestinationPhoneNumber: "+14255550123",
  WhatsAppMediaId: "1234567890",
  WhatsAppPhoneNumberId: "phone-number-id-0123456789abcdef"
}

const codePoints = (s: string): number => Array.from(s).length
const prefix = (s: string, n: number): string => Array.from(s).slice(0, n).join("")
const padTo = (s: string, n: number, pad = "a"): string => s + pad.repeat(Math.max(0, n - codePoints(s)))

/** A string of `shape`'s length: `base` cut or padded. */
const fit = (shape: Shape, base: string): string => {
  const cut = shape.max === undefined ? base : prefix(base, shape.max)
  return padTo(cut, shape.min ?? 0, "x")
}

const base64 = (bytes: number): string => Buffer.from("x".repeat(bytes)).toString("base64")

/** The `i`-th distinct valid key of a map's key shape. */
const mapKey = (keyShape: Shape, i: number): string => fit(keyShape, `key-${i}`)

const sampleOf = (name: string): Json => {
  const shape = shapeOf(name)
  switch (shape.type) {
    case "structure":
      return Object.fromEntries(
        Object.entries(shape.members ?? {}).map(([member, ref]) => [member, sampleOf(ref.shape)])
      )
    case "list": {
      const item = sampleOf(shape.member?.shape ?? "?")
      return Array.from({ length: Math.max(shape.min ?? 0, 1) }, () => item)
    }
    case "map": {
      const keyShape = shapeOf(shape.key?.shape ?? "?")
      const value = sampleOf(shape.value?.shape ?? "?")
      const entries = Array.from({ length: Math.max(shape.min ?? 0, 1) }, (_, i) => [mapKey(keyShape, i), value])
      return Object.fromEntries(entries)
    }
    case "string": {
      if (shape.enum !== undefined) return shape.enum[0] ?? ""
      if (shape.pattern !== undefined) {
        const value = patterned[name]
        if (value === undefined) throw new Error(`no sample for the patterned shape ${name}`)
        return value
      }
      return fit(shape, "text é ü")
    }
    case "integer":
    case "long":
      return Math.min(shape.min ?? 1, shape.max ?? Number.MAX_SAFE_INTEGER)
    case "boolean":
      return true
    case "blob":
      return base64(Math.max(shape.min ?? 0, 2))
    case "timestamp":
      return 1718000000
    default:
      throw new Error(`shape type ${shape.type} of ${name} not handled`)
  }
}

// =============================================================================
// Mutations: one value just outside each constraint of the model
// =============================================================================

type Kind =
  | "required"
  | "minLength"
  | "maxLength"
  | "pattern"
  | "enum"
  | "minimum"
  | "maximum"
  | "minItems"
  | "maxItems"
  | "minEntries"
  | "maxEntries"
  | "minBytes"
  | "maxBytes"

interface Mutation {
  readonly kind: Kind
  readonly path: ReadonlyArray<PathKey>
  /** The shape whose constraint it breaks. */
  readonly shape: string
  readonly mutate: (valid: Json | undefined) => Json | undefined
  /** A part of the violation's message (the whole message for `required`). */
  readonly message: string
}

const asString = (json: Json | undefined): string => {
  if (typeof json !== "string") throw new Error(`expected a string, got ${JSON.stringify(json)}`)
  return json
}
const asList = (json: Json | undefined): ReadonlyArray<Json> => {
  if (!Array.isArray(json) || json.length === 0) throw new Error(`expected a non-empty list: ${JSON.stringify(json)}`)
  return json
}
const asMap = (json: Json | undefined): ReadonlyArray<readonly [string, Json]> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("expected a map")
  return Object.entries(json)
}

const lengthMessage = "characters long (Unicode code points)"

/** The first candidate that breaks `pattern` and keeps the shape's length, if any. */
const breakPattern = (shape: Shape, valid: string): string | undefined => {
  const regex = patternRegex(shape.pattern ?? "")
  const rest = Array.from(valid).slice(1).join("")
  return [`!${rest}`, `${valid}!`, `!${valid}`, " "].find((candidate) =>
    !regex.test(candidate) && codePoints(candidate) >= (shape.min ?? 0) &&
    (shape.max === undefined || codePoints(candidate) <= shape.max)
  )
}

const valueMutations = (name: string, path: ReadonlyArray<PathKey>): ReadonlyArray<Mutation> => {
  const shape = shapeOf(name)
  const out: Array<Mutation> = []
  const add = (kind: Kind, mutate: Mutation["mutate"], message: string, at: ReadonlyArray<PathKey> = path) =>
    out.push({ kind, path: at, shape: name, mutate, message })
  const { max, min } = shape
  switch (shape.type) {
    case "structure":
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        if (shape.required?.includes(member)) add("required", () => undefined, "is missing", [...path, member])
        out.push(...valueMutations(ref.shape, [...path, member]))
      }
      break
    case "string":
      if (shape.enum !== undefined) add("enum", () => "NOT_A_MODEL_VALUE", "NOT_A_MODEL_VALUE")
      if (min !== undefined && min > 0) add("minLength", (v) => prefix(asString(v), min - 1), lengthMessage)
      if (max !== undefined) add("maxLength", (v) => padTo(asString(v), max + 1), lengthMessage)
      if (shape.pattern !== undefined) {
        const broken = breakPattern(shape, patterned[name] ?? "")
        if (broken === undefined) throw new Error(`no value breaks the pattern of ${name}`)
        add("pattern", () => broken, "expected a string matching")
      }
      break
    case "integer":
    case "long":
      if (min !== undefined) add("minimum", () => min - 1, `actual ${min - 1}`)
      if (max !== undefined) add("maximum", () => max + 1, `actual ${max + 1}`)
      break
    case "blob":
      if (min !== undefined && min > 0) add("minBytes", () => base64(min - 1), `got ${min - 1}`)
      if (max !== undefined) add("maxBytes", () => base64(max + 1), `got ${max + 1}`)
      break
    case "list": {
      if (min !== undefined && min > 0) add("minItems", (v) => asList(v).slice(0, min - 1), `items, got ${min - 1}`)
      if (max !== undefined) {
        add("maxItems", (v) => {
          const items = asList(v)
          return Array.from({ length: max + 1 }, (_, i) => items[i % items.length] ?? null)
        }, `items, got ${max + 1}`)
      }
      out.push(...valueMutations(shape.member?.shape ?? "?", [...path, 0]))
      break
    }
    case "map": {
      const keyShape = shapeOf(shape.key?.shape ?? "?")
      if (min !== undefined && min > 0) {
        add("minEntries", (v) => Object.fromEntries(asMap(v).slice(0, min - 1)), `entries, got ${min - 1}`)
      }
      if (max !== undefined) {
        add("maxEntries", (v) => {
          const [first] = asMap(v)
          const value = first?.[1] ?? null
          return Object.fromEntries(Array.from({ length: max + 1 }, (_, i) => [mapKey(keyShape, i), value]))
        }, `entries, got ${max + 1}`)
      }
      out.push(...valueMutations(shape.value?.shape ?? "?", [...path, mapKey(keyShape, 0)]))
      break
    }
    default:
      break
  }
  return out
}

// =============================================================================
// AssociateWhatsAppBusinessAccount: one step at a time
// =============================================================================

/**
 * The API docs (and our input schema) allow one step, and in step 2 `waba` or `phoneNumberParent`; the model
 * has all four. The full sample keeps the alternative on the mutated path (the first one otherwise).
 */
const exclusive: ReadonlyArray<{ readonly at: ReadonlyArray<string>; readonly members: readonly [string, string] }> = [
  { at: [], members: ["signupCallback", "setupFinalization"] },
  { at: ["setupFinalization"], members: ["waba", "phoneNumberParent"] }
]

const oneStep = (json: Json, path: ReadonlyArray<PathKey>): Json =>
  exclusive.reduce((acc, { at, members }) => {
    if (getAt(acc, at) === undefined) return acc
    const onPath = at.every((k, i) => path[i] === k) ? path[at.length] : undefined
    const keep = members.find((m) => m === onPath) ?? members[0]
    return updateAt(acc, [...at, keep === members[0] ? members[1] : members[0]], () => undefined)
  }, json)

const validBase = (operation: string, path: ReadonlyArray<PathKey>): Json => {
  const full = sampleOf(inputShapeOf(operation))
  return operation === "AssociateWhatsAppBusinessAccount" ? oneStep(full, path) : full
}

// =============================================================================
// A schema without constraints: the typed values a caller can pass
// =============================================================================

/** `ast` without refinements (constraints, brands, cross-member rules) and with every member optional. */
const loosen = (ast: SchemaAST.AST): SchemaAST.AST =>
  AstRewrite.rewrite(ast, { dropRefinement: () => true, allOptional: true })

// =============================================================================
// The properties
// =============================================================================

/** Mutations per kind of constraint over the 38 inputs (maps have no minimum size in this model). */
const EXPECTED_MUTATIONS = {
  required: 104,
  minLength: 95,
  maxLength: 109,
  pattern: 65,
  enum: 3,
  minimum: 13,
  maximum: 13,
  minItems: 2,
  maxItems: 6,
  maxEntries: 3,
  minBytes: 7,
  maxBytes: 7
}

/** Kinds of constraint met over all operations, and how many mutations each; checked at the end. */
const applied = new Map<string, number>()

/** The same value: `Schema.equivalence` (Redacted, bytes, DateTime by value); a struct without members by content. */
const sameValue = <A, I>(schema: Schema.Schema<A, I>, a: A, b: A): void => {
  if (SchemaAST.isTypeLiteral(schema.ast) && schema.ast.propertySignatures.length === 0) assert.deepStrictEqual(a, b)
  else assert.isTrue(Schema.equivalence(schema)(a, b))
}

const violationPaths = (error: Errors.RequestValidationError): ReadonlyArray<string> => [
  ...new Set(error.violations.map((v) => v.path))
]

const properties = <I, IE, O, OE, K extends Errors.AwsErrorName>(op: Operations.Operation<I, IE, O, OE, K>) => {
  describe(op.name, () => {
    it.effect.prop(
      "every valid input: encodeInput → JSON → decodeInput gives it back",
      [Arbitrary.make(op.input)],
      ([value]) =>
        Effect.gen(function*() {
          const wire = yield* Operations.encodeInput(op, value)
          const back = yield* Operations.decodeInput(op, JSON.parse(JSON.stringify(wire)))
          sameValue(op.input, value, back)
          assert.deepStrictEqual(yield* Operations.encodeInput(op, back), wire)
        }),
      { fastCheck: { numRuns: NUM_RUNS }, timeout: 30_000 }
    )

    const mutations = valueMutations(inputShapeOf(op.name), [])
    const unchecked = Schema.make<I, IE, never>(loosen(op.input.ast))

    it.effect(
      `each of its ${mutations.length} values just outside the model is refused at its path`,
      () =>
        Effect.gen(function*() {
          const problems: Array<string> = []
          for (const mutation of mutations) {
            const where = `${formatPath(mutation.path) || "(input)"} ${mutation.kind} (${mutation.shape})`
            const base = validBase(op.name, mutation.path)
            const valid = yield* Effect.either(Operations.decodeInput(op, base))
            if (Either.isLeft(valid)) {
              problems.push(`${where}: the valid value is refused: ${JSON.stringify(valid.left.violations)}`)
              continue
            }
            const mutated = updateAt(base, mutation.path, mutation.mutate)
            const serviceToken = serviceTokenShapes.has(mutation.shape) &&
              (mutation.kind === "minLength" || mutation.kind === "maxLength")
            const expectRefusal = (form: string, result: Either.Either<unknown, Errors.RequestValidationError>) => {
              if (serviceToken) {
                if (Either.isLeft(result)) problems.push(`${where} [${form}]: a service-issued token was constrained`)
                return
              }
              if (Either.isRight(result)) return problems.push(`${where} [${form}]: accepted`)
              const paths = violationPaths(result.left)
              if (paths.length !== 1 || paths[0] !== formatPath(mutation.path)) {
                problems.push(`${where} [${form}]: violations at ${JSON.stringify(paths)}`)
              }
              const messages = result.left.violations.map((v) => v.message)
              const said = mutation.kind === "required"
                ? messages.includes(mutation.message)
                : messages.some((m) => m.includes(mutation.message))
              if (!said) problems.push(`${where} [${form}]: messages ${JSON.stringify(messages)}`)
            }
            // Wire form, as the CLI and the sandbox read it.
            expectRefusal("decodeInput", yield* Effect.either(Operations.decodeInput(op, mutated)))
            // Typed form, as a caller passes it to the client. An enum outside the model has no typed form.
            if (mutation.kind !== "enum") {
              const typed = yield* Effect.either(Schema.decodeUnknown(unchecked)(mutated))
              if (Either.isLeft(typed)) problems.push(`${where}: no typed form: ${typed.left.message}`)
              else expectRefusal("encodeInput", yield* Effect.either(Operations.encodeInput(op, typed.right)))
            }
            applied.set(mutation.kind, (applied.get(mutation.kind) ?? 0) + 1)
          }
          expect(problems).toEqual([])
        }),
      30_000
    )
  })
}

describe("input properties, the botocore model as oracle", () => {
  properties(Operations.AssociateWhatsAppBusinessAccount)
  properties(Operations.CreateWhatsAppDataset)
  properties(Operations.CreateWhatsAppFlow)
  properties(Operations.CreateWhatsAppMessageTemplate)
  properties(Operations.CreateWhatsAppMessageTemplateFromLibrary)
  properties(Operations.CreateWhatsAppMessageTemplateMedia)
  properties(Operations.DeleteWhatsAppFlow)
  properties(Operations.DeleteWhatsAppMessageMedia)
  properties(Operations.DeleteWhatsAppMessageTemplate)
  properties(Operations.DeprecateWhatsAppFlow)
  properties(Operations.DisassociateWhatsAppBusinessAccount)
  properties(Operations.GetLinkedWhatsAppBusinessAccount)
  properties(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber)
  properties(Operations.GetWhatsAppBusinessPublicKey)
  properties(Operations.GetWhatsAppCallPermission)
  properties(Operations.GetWhatsAppFlow)
  properties(Operations.GetWhatsAppFlowPreview)
  properties(Operations.GetWhatsAppMessageMedia)
  properties(Operations.GetWhatsAppMessageTemplate)
  properties(Operations.ListLinkedWhatsAppBusinessAccounts)
  properties(Operations.ListTagsForResource)
  properties(Operations.ListWhatsAppFlowAssets)
  properties(Operations.ListWhatsAppFlows)
  properties(Operations.ListWhatsAppMessageTemplates)
  properties(Operations.ListWhatsAppTemplateLibrary)
  properties(Operations.PostWhatsAppMessageMedia)
  properties(Operations.PublishWhatsAppFlow)
  properties(Operations.PutWhatsAppBusinessAccountEventDestinations)
  properties(Operations.PutWhatsAppBusinessPublicKey)
  properties(Operations.SendWhatsAppCallEvent)
  properties(Operations.SendWhatsAppConversionEvent)
  properties(Operations.SendWhatsAppMessage)
  properties(Operations.TagResource)
  properties(Operations.UntagResource)
  properties(Operations.UpdateLinkedWhatsAppBusinessAccountPhoneNumber)
  properties(Operations.UpdateWhatsAppFlow)
  properties(Operations.UpdateWhatsAppFlowAssets)
  properties(Operations.UpdateWhatsAppMessageTemplate)
})

describe("coverage", () => {
  it("every operation of the model is listed above", () => {
    expect(Object.keys(model.operations).sort()).toEqual([...Operations.operationNames])
  })

  it("each patterned sample matches its pattern, and each breaking value does not", () => {
    for (const [name, value] of Object.entries(patterned)) {
      const shape = shapeOf(name)
      const regex = patternRegex(shape.pattern ?? "")
      expect(regex.test(value), name).toBe(true)
      expect(regex.test(breakPattern(shape, value) ?? ""), name).toBe(false)
    }
  })

  it("every kind of constraint was met and applied (run after the properties)", () => {
    const expected: Record<string, number> = {}
    for (const name of Operations.operationNames) {
      for (const m of valueMutations(inputShapeOf(name), [])) expected[m.kind] = (expected[m.kind] ?? 0) + 1
    }
    expect(Object.fromEntries(applied)).toEqual(expected)
    // Derived from the model; a model release that adds or drops a constraint shows up here first.
    expect(expected).toEqual(EXPECTED_MUTATIONS)
  })
})
