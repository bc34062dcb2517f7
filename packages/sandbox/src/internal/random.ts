/**
 * Identifiers from Effect's `Random`, so a seeded `Random` (or `TestRandom`) makes them reproducible.
 */
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"

const digits = "0123456789abcdef"

/** `n` lower-case hex digits. */
export const hex = (n: number): Effect.Effect<string> =>
  Effect.map(
    Effect.all(Array.from({ length: n }, () => Random.nextIntBetween(0, 16))),
    (values) => values.map((v) => digits.charAt(v)).join("")
  )

/** A version-4 UUID (what `x-amzn-requestid` carries). */
export const uuid: Effect.Effect<string> = Effect.zipWith(
  hex(32),
  Random.nextIntBetween(8, 12),
  (h, variant) =>
    `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${digits.charAt(variant)}${h.slice(17, 20)}-${
      h.slice(20, 32)
    }`
)

/** `n` decimal digits, the first not 0: Meta's numeric ids (templates, flows, media, datasets). */
export const decimalDigits = (n: number): Effect.Effect<string> =>
  Effect.map(
    Effect.all([Random.nextIntBetween(1, 10), ...Array.from({ length: n - 1 }, () => Random.nextIntBetween(0, 10))]),
    (values) => values.join("")
  )
