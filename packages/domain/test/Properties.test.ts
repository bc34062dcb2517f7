/**
 * Property tests over values generated from the schemas themselves (`Arbitrary.make`): every valid input
 * and output survives encode → JSON text → decode, and lengths are counted in Unicode code points.
 */
import { assert, describe, it } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Tagging from "@social-messaging/domain/Tagging"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Arbitrary, Effect, Either, FastCheck as fc, Schema, SchemaAST } from "effect"

/** Runs per property: enough to reach nested optionals and lists, small enough for 2 cores. */
const NUM_RUNS = 200
const fastCheck = { numRuns: NUM_RUNS }

/** Counted by an independent rule: UTF-16 units minus one per surrogate pair. */
const codePoints = (s: string): number => s.length - (s.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)

/**
 * The same value: `Schema.equivalence`, which compares `Redacted` and `DateTime` by value. A struct without
 * members has no equivalence of its own (effect falls back to `Equal.equals`), so it is compared by content.
 */
const sameValue = <A, I>(schema: Schema.Schema<A, I>, a: A, b: A): void => {
  if (SchemaAST.isTypeLiteral(schema.ast) && schema.ast.propertySignatures.length === 0) {
    assert.deepStrictEqual(a, b)
  } else {
    assert.isTrue(Schema.equivalence(schema)(a, b))
  }
}

const inputRoundTrip = <I, IE, O, OE, K extends Errors.AwsErrorName>(op: Operations.Operation<I, IE, O, OE, K>) =>
  it.effect.prop(
    `${op.name} input: encodeInput → JSON → decodeInput gives the same value`,
    [Arbitrary.make(op.input)],
    ([value]) =>
      Effect.gen(function*() {
        const wire = yield* Operations.encodeInput(op, value)
        const back = yield* Operations.decodeInput(op, JSON.parse(JSON.stringify(wire)))
        sameValue(op.input, value, back)
        assert.deepStrictEqual(yield* Operations.encodeInput(op, back), wire)
      }),
    { fastCheck, timeout: 60_000 }
  )

const outputRoundTrip = <I, IE, O, OE, K extends Errors.AwsErrorName>(op: Operations.Operation<I, IE, O, OE, K>) =>
  it.effect.prop(
    `${op.name} output: encode → JSON → decode gives the same value`,
    [Arbitrary.make(op.output)],
    ([value]) =>
      Effect.gen(function*() {
        const wire = yield* Schema.encode(op.output)(value)
        const back = yield* Schema.decodeUnknown(op.output)(JSON.parse(JSON.stringify(wire)))
        sameValue(op.output, value, back)
        assert.deepStrictEqual(yield* Schema.encode(op.output)(back), wire)
      }),
    { fastCheck, timeout: 60_000 }
  )

describe("round trips", () => {
  inputRoundTrip(Operations.AssociateWhatsAppBusinessAccount)
  inputRoundTrip(Operations.DisassociateWhatsAppBusinessAccount)
  inputRoundTrip(Operations.GetLinkedWhatsAppBusinessAccount)
  inputRoundTrip(Operations.ListLinkedWhatsAppBusinessAccounts)
  inputRoundTrip(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber)
  inputRoundTrip(Operations.PutWhatsAppBusinessAccountEventDestinations)
  inputRoundTrip(Operations.TagResource)
  inputRoundTrip(Operations.UntagResource)
  inputRoundTrip(Operations.ListTagsForResource)

  outputRoundTrip(Operations.AssociateWhatsAppBusinessAccount)
  outputRoundTrip(Operations.DisassociateWhatsAppBusinessAccount)
  outputRoundTrip(Operations.GetLinkedWhatsAppBusinessAccount)
  outputRoundTrip(Operations.ListLinkedWhatsAppBusinessAccounts)
  outputRoundTrip(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber)
  outputRoundTrip(Operations.PutWhatsAppBusinessAccountEventDestinations)
  outputRoundTrip(Operations.TagResource)
  outputRoundTrip(Operations.UntagResource)
  outputRoundTrip(Operations.ListTagsForResource)

  // The model's input as the model has it (both steps optional), which the Request refines.
  const modelInput = WhatsAppSignup.AssociateWhatsAppBusinessAccountInput
  it.effect.prop(
    "AssociateWhatsAppBusinessAccountInput (model form): encode → JSON → decode gives the same value",
    [Arbitrary.make(modelInput)],
    ([value]) =>
      Effect.gen(function*() {
        const wire = yield* Schema.encode(modelInput)(value)
        const back = yield* Schema.decodeUnknown(modelInput, Operations.validationOptions)(
          JSON.parse(JSON.stringify(wire))
        )
        sameValue(modelInput, value, back)
      }),
    { fastCheck, timeout: 60_000 }
  )
})

describe("lengths count Unicode code points", () => {
  // Full-range code points, astral ones included (each is 2 UTF-16 units).
  const anyText = (maxLength: number) => fc.string({ unit: "binary", maxLength })

  it.prop(
    "a two-factor PIN is accepted exactly when it has 1 to 6 code points",
    [anyText(9)],
    ([pin]) => {
      const decoded = Schema.decodeUnknownEither(WhatsAppSignup.TwoFactorPin)(pin)
      assert.strictEqual(Either.isRight(decoded), codePoints(pin) >= 1 && codePoints(pin) <= 6)
    },
    { fastCheck, timeout: 60_000 }
  )

  it.prop(
    "a tag key is accepted exactly when it has 1 to 128 code points",
    [fc.oneof(anyText(140), fc.string({ unit: fc.constantFrom("😀", "a", "é"), minLength: 120, maxLength: 135 }))],
    ([key]) => {
      const decoded = Schema.decodeUnknownEither(Tagging.Tag)({ key })
      assert.strictEqual(Either.isRight(decoded), codePoints(key) >= 1 && codePoints(key) <= 128)
    },
    { fastCheck, timeout: 60_000 }
  )

  it.prop(
    "an in-progress token is accepted exactly when it has at most 50 code points",
    [fc.string({ unit: fc.constantFrom("😀", "x"), maxLength: 60 })],
    ([token]) => {
      const decoded = Schema.decodeUnknownEither(WhatsAppSignup.AssociateInProgressToken)(token)
      assert.strictEqual(Either.isRight(decoded), codePoints(token) <= 50)
    },
    { fastCheck, timeout: 60_000 }
  )
})
