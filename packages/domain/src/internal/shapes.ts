/**
 * Schema building blocks the generated shapes (src/generated/Shapes.ts) use beside internal/constraints.ts:
 * the constraint traits on numbers, maps and blobs, epoch-seconds timestamps and secrets of any type. Every
 * constraint filter carries `ModelConstraintId`, so `withoutModelConstraints` strips it from output schemas.
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { ModelConstraintId } from "./constraints.js"

/** The bounds of a smithy `@length` on a blob (in bytes), as an annotation the conformance test reads. */
export const BlobLengthId: unique symbol = Symbol.for("@social-messaging/domain/BlobLength")

const describe = (min: number | undefined, max: number | undefined, unit: string): string =>
  min !== undefined && max !== undefined
    ? `between ${min} and ${max} ${unit}`
    : min !== undefined
    ? `at least ${min} ${unit}`
    : `at most ${max} ${unit}`

const within = (n: number, min: number | undefined, max: number | undefined): boolean =>
  (min === undefined || n >= min) && (max === undefined || n <= max)

/** smithy `@range(min, max)` on an integer. */
export const range =
  (min: number | undefined, max: number | undefined) => <A extends number, I, R>(self: Schema.Schema<A, I, R>) =>
    self.pipe(
      Schema.filter(
        (n: A) =>
          within(n, min, max) ? undefined : `${`expected a number ${describe(min, max, "")}`.trim()}, actual ${n}`,
        {
          [ModelConstraintId]: true,
          jsonSchema: { ...(min === undefined ? {} : { minimum: min }), ...(max === undefined ? {} : { maximum: max }) }
        }
      )
    )

/** smithy `@length(min, max)` on a map, in entries. */
export const entries =
  (min: number | undefined, max: number | undefined) =>
  <A extends { readonly [key: string]: unknown }, I, R>(self: Schema.Schema<A, I, R>) =>
    self.pipe(
      Schema.filter((a: A) => {
        const n = Object.keys(a).length
        return within(n, min, max) ? undefined : `expected ${describe(min, max, "entries")}, got ${n}`
      }, {
        [ModelConstraintId]: true,
        jsonSchema: {
          ...(min === undefined ? {} : { minProperties: min }),
          ...(max === undefined ? {} : { maxProperties: max })
        }
      })
    )

/** smithy `@length(min, max)` on a blob, in bytes (of the decoded value, not of its base64 form). */
export const bytes =
  (min: number | undefined, max: number | undefined) => <A extends Uint8Array, I, R>(self: Schema.Schema<A, I, R>) =>
    self.pipe(
      Schema.filter(
        (a: A) => within(a.length, min, max) ? undefined : `expected ${describe(min, max, "bytes")}, got ${a.length}`,
        { [ModelConstraintId]: true, [BlobLengthId]: { min, max } }
      )
    )

/**
 * A string that is a map key: as any string, but test values (`Arbitrary`) never draw `__proto__`, which cannot
 * survive as a key of a plain object (in Schema's decoding as anywhere else).
 */
export const MapKeyString = Schema.String.annotations({
  arbitrary: () => (fc) => fc.string().filter((k) => k !== "__proto__")
})

/** A restJson1 blob: bytes in the type, standard base64 (with padding) on the wire. */
export const Blob = Schema.Uint8ArrayFromBase64

/**
 * A smithy timestamp without `@timestampFormat` in a restJson1 body: epoch seconds (a JSON number, maybe
 * fractional) on the wire, a `DateTime.Utc` in the type.
 */
export const EpochSeconds = Schema.transformOrFail(
  Schema.Number.pipe(Schema.finite()),
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (seconds, _, ast) =>
      ParseResult.fromOption(
        DateTime.make(Math.round(seconds * 1000)),
        () => new ParseResult.Type(ast, seconds, "expected epoch seconds")
      ),
    encode: (date) => ParseResult.succeed(DateTime.toEpochMillis(date) / 1000)
  }
).annotations({
  // Epoch seconds in a JSON double keep milliseconds exactly only while |seconds| < ~2^41 (year ~71,000),
  // so generated dates stay within years 1..9999 (AWS sends dates near now).
  arbitrary: () => (fc) => fc.integer({ min: -62135596800000, max: 253402300799999 }).map(DateTime.unsafeMake)
})

/**
 * A `@sensitive` value that is not a string (a blob, a structure): `Redacted` in the type, the plain value on
 * the wire; a failure of the `Redacted` check never shows the value. (Strings use `secret` from
 * internal/constraints.ts, whose type errors do not echo the value either.)
 */
export const redacted = <A, I, R>(inner: Schema.Schema<A, I, R>) =>
  Schema.transform(
    inner,
    Schema.RedactedFromSelf(Schema.typeSchema(inner)).annotations({
      message: () => "expected a Redacted value (the value is not shown)"
    }),
    { strict: true, decode: (a) => Redacted.make(a), encode: (r) => Redacted.value(r) }
  )
