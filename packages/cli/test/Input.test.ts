/** `Input.parseRegions`: `--data-localization-region` as one code for every number and/or `ID=CC` pairs. */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as Input from "../src/internal/Input.js"

const ids = ["phone-number-id-a", "phone-number-id-b", "phone-number-id-c"]
const flag = "--data-localization-region"

const failure = (values: ReadonlyArray<string>) =>
  Effect.map(Effect.flip(Input.parseRegions(flag, values, ids)), (error) => error.detail)

describe("Input.parseRegions", () => {
  it.effect("one code for every number, ID=CC pairs (commas, repeated flags), or both: the pairs win", () =>
    Effect.gen(function*() {
      const none = yield* Input.parseRegions(flag, [], ids)
      assert.isTrue(Option.isNone(none.all))
      assert.strictEqual(none.byId.size, 0)

      const all = yield* Input.parseRegions(flag, ["DE"], ids)
      assert.deepStrictEqual(all.all, Option.some("DE"))
      assert.strictEqual(all.byId.size, 0)

      const pairs = yield* Input.parseRegions(flag, [
        "phone-number-id-a=DE, phone-number-id-b=IN",
        "phone-number-id-c=BR"
      ], ids)
      assert.isTrue(Option.isNone(pairs.all))
      assert.deepStrictEqual([...pairs.byId], [["phone-number-id-a", "DE"], ["phone-number-id-b", "IN"], [
        "phone-number-id-c",
        "BR"
      ]])

      const mixed = yield* Input.parseRegions(flag, ["GB,phone-number-id-b=IN"], ids)
      assert.deepStrictEqual(mixed.all, Option.some("GB"))
      assert.deepStrictEqual([...mixed.byId], [["phone-number-id-b", "IN"]])
    }))

  it.effect("an invalid code is an InputError naming the number it was for", () =>
    Effect.gen(function*() {
      const lower = yield* failure(["phone-number-id-a=DE,phone-number-id-b=de"])
      assert.include(lower, "phone-number-id-b")
      assert.include(lower, "\"de\"")
      assert.notInclude(lower, "phone-number-id-a")
      assert.include(yield* failure(["phone-number-id-c=DEU"]), "phone-number-id-c")
      assert.include(yield* failure(["phone-number-id-c="]), "phone-number-id-c")
      assert.include(yield* failure(["germany"]), "every number")
    }))

  it.effect("a pair for a number not being registered, a number given twice, two codes for all, no id", () =>
    Effect.gen(function*() {
      assert.include(yield* failure(["phone-number-id-z=DE"]), "phone-number-id-z is not one of the phone numbers")
      assert.include(
        yield* failure(["phone-number-id-a=DE", "phone-number-id-a=IN"]),
        "phone-number-id-a is given two regions"
      )
      assert.include(yield* failure(["DE,IN"]), "two regions for every number")
      assert.include(yield* failure(["=DE"]), "names no phone number")
    }))
})
