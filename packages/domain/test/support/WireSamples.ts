/**
 * Valid wire values built from the model facts (every optional member present, one item per list), and
 * the "just outside" mutations of every constraint an input shape has, each made from a valid value.
 */
import { Schema } from "effect"
import { type MemberFacts, shapeFacts, targetFacts, type ValueFacts } from "./ModelFacts.js"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** JSON values, to read an encoded (wire) value as `Json` without a cast. */
export const Json: Schema.Schema<Json> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Number,
  Schema.String,
  Schema.Array(Schema.suspend(() => Json)),
  Schema.Record({ key: Schema.String, value: Schema.suspend(() => Json) })
)
export type PathKey = string | number

export const isJsonArray = (json: Json | undefined): json is ReadonlyArray<Json> => Array.isArray(json)
const isJsonObject = (json: Json | undefined): json is { readonly [key: string]: Json } =>
  typeof json === "object" && json !== null && !Array.isArray(json)

/** A valid value for each pattern of the model (the length bounds hold too; a test checks it). */
export const patternSamples: Readonly<Record<string, string>> = {
  "^arn:.*$": "arn:aws:social-messaging:us-east-1:123456789012:waba/0123abcd",
  "(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$)": "waba-0123456789abcdef",
  "(^phone-number-id-.*$)|(^arn:.*:phone-number-id/[0-9a-zA-Z]+$)": "phone-number-id-0123456789abcdef",
  "^arn:.*:waba/[0-9a-zA-Z]+$": "arn:aws:social-messaging:us-east-1:123456789012:waba/0123abcd",
  "^arn:.*:phone-number-id/[0-9a-zA-Z]+$": "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/0123abcd",
  "^arn:.*:[a-z-]+([/:](.*))?$": "arn:aws:sns:us-east-1:123456789012:whatsapp-events",
  "^arn:.*:iam::\\d{12}:role\\/[a-zA-Z0-9+=,.@\\-_]+$": "arn:aws:iam::123456789012:role/SocialMessagingEvents",
  "^[A-Z]{2}$": "US",
  "^[0-9]+$": "1234567890"
}

const codePoints = (s: string): number => Array.from(s).length

/** A valid string for the facts: the pattern's sample, or "a" repeated to the minimum length. */
export const sampleString = (facts: ValueFacts): string => {
  if (facts.pattern !== undefined) {
    const sample = patternSamples[facts.pattern]
    if (sample === undefined) throw new Error(`no sample for pattern ${facts.pattern}`)
    return sample
  }
  return "a".repeat(Math.max(1, facts.length?.min ?? 1))
}

/** A valid wire value of a member or shape, with every optional member present. */
export const sample = (facts: ValueFacts): Json => {
  switch (facts.type) {
    case "string":
      return sampleString(facts)
    case "integer":
      return facts.range?.min ?? 1
    case "timestamp":
      return 1718000000.123
    case "enum":
      return facts.enum?.[0] ?? ""
    case "list":
      return [sampleTarget(facts.member ?? "?")]
    case "map":
      return { [sampleString(targetFacts(facts.key ?? "?"))]: sampleTarget(facts.value ?? "?") }
    default:
      throw new Error(`no sample for type ${facts.type}`)
  }
}

/** A structure's sample (the `structure` case of `sample`, by shape name). */
export const sampleStructure = (name: string): { readonly [key: string]: Json } =>
  Object.fromEntries((shapeFacts(name).members ?? []).map((m) => [m.name, sampleMember(m)]))

const sampleMember = (member: MemberFacts): Json =>
  member.type === "structure" ? sampleStructure(member.target) : sample(member)

/** A valid wire value of a shape (or prelude type) by name. */
export const sampleTarget = (target: string): Json => {
  const facts = targetFacts(target)
  return facts.type === "structure" ? sampleStructure(target) : sample(facts)
}

// =============================================================================
// Paths
// =============================================================================

/** The path as `Operations.violations` prints it: `a.b[0].c`. */
export const formatPath = (path: ReadonlyArray<PathKey>): string =>
  path.reduce<string>(
    (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? key : `${acc}.${key}`,
    ""
  )

export const getAt = (json: Json | undefined, path: ReadonlyArray<PathKey>): Json | undefined => {
  const [head, ...rest] = path
  if (head === undefined) return json
  if (typeof head === "number") return isJsonArray(json) ? getAt(json[head], rest) : undefined
  return isJsonObject(json) ? getAt(json[head], rest) : undefined
}

/** `json` with the value at `path` replaced (or removed when `replace` gives `undefined`). */
export const updateAt = (
  json: Json,
  path: ReadonlyArray<PathKey>,
  replace: (old: Json | undefined) => Json | undefined
): Json => {
  const [head, ...rest] = path
  if (head === undefined) return replace(json) ?? null
  if (typeof head === "number") {
    if (!isJsonArray(json)) throw new Error(`not an array at ${head}`)
    return json.map((item, i) => i === head ? updateAt(item, rest, replace) : item)
  }
  if (!isJsonObject(json)) throw new Error(`not an object at ${head}`)
  if (rest.length === 0) {
    const next = replace(json[head])
    const { [head]: _, ...others } = json
    return next === undefined ? others : { ...json, [head]: next }
  }
  const child = json[head]
  if (child === undefined) throw new Error(`nothing at ${head}`)
  return { ...json, [head]: updateAt(child, rest, replace) }
}

// =============================================================================
// Mutations: one value just outside each constraint
// =============================================================================

export type ConstraintKind =
  | "required"
  | "minLength"
  | "maxLength"
  | "pattern"
  | "minimum"
  | "maximum"
  | "enum"
  | "maxItems"

export interface Mutation {
  readonly kind: ConstraintKind
  /** e.g. `maxLength 6` */
  readonly constraint: string
  /** where, with list items at index 0 (a property test picks a drawn item instead) */
  readonly path: ReadonlyArray<PathKey>
  /**
   * The value just outside the constraint, made from the valid value at `path` (kept as far as the
   * constraint allows: a prefix, a padded copy, the list plus copies of its items); `undefined` removes it.
   */
  readonly mutate: (valid: Json | undefined) => Json | undefined
  /** What the violation's message says (the whole message for `required`, a part of it otherwise). */
  readonly message: string
}

const stringAt = (json: Json | undefined): string => {
  if (typeof json !== "string") throw new Error(`expected a string, got ${JSON.stringify(json)}`)
  return json
}

const listAt = (json: Json | undefined): ReadonlyArray<Json> => {
  if (!isJsonArray(json) || json.length === 0) throw new Error(`expected a non-empty list, got ${JSON.stringify(json)}`)
  return json
}

/** The first `n` code points of `s`. */
const prefix = (s: string, n: number): string => Array.from(s).slice(0, n).join("")

/** `s` padded with "a" to `n` code points (every pattern of the inputs still matches: they end in `.*` or `+`). */
const padTo = (s: string, n: number): string => s + "a".repeat(Math.max(0, n - codePoints(s)))

/** `s` with its first code point replaced by "!": each input pattern is anchored and begins with a letter. */
const breakStart = (s: string): string => `!${Array.from(s).slice(1).join("")}`

const lengthMessage = (n: number) => `characters long (Unicode code points), got ${n}`

const valueMutations = (facts: ValueFacts, path: ReadonlyArray<PathKey>): ReadonlyArray<Mutation> => {
  switch (facts.type) {
    case "string": {
      const out: Array<Mutation> = []
      const min = facts.length?.min
      const max = facts.length?.max
      if (min !== undefined && min > 0) {
        out.push({
          kind: "minLength",
          constraint: `minLength ${min}`,
          path,
          mutate: (valid) => prefix(stringAt(valid), min - 1),
          message: lengthMessage(min - 1)
        })
      }
      if (max !== undefined) {
        out.push({
          kind: "maxLength",
          constraint: `maxLength ${max}`,
          path,
          mutate: (valid) => padTo(stringAt(valid), max + 1),
          message: lengthMessage(max + 1)
        })
      }
      const pattern = facts.pattern
      if (pattern !== undefined) {
        out.push({
          kind: "pattern",
          constraint: `pattern ${pattern}`,
          path,
          mutate: (valid) => breakStart(stringAt(valid)),
          message: `expected a string matching ${pattern}`
        })
      }
      return out
    }
    case "integer": {
      const out: Array<Mutation> = []
      const min = facts.range?.min
      const max = facts.range?.max
      if (min !== undefined) {
        const value = min - 1
        out.push({
          kind: "minimum",
          constraint: `minimum ${min}`,
          path,
          mutate: () => value,
          message: `actual ${value}`
        })
      }
      if (max !== undefined) {
        const value = max + 1
        out.push({
          kind: "maximum",
          constraint: `maximum ${max}`,
          path,
          mutate: () => value,
          message: `actual ${value}`
        })
      }
      return out
    }
    case "enum":
      return [{
        kind: "enum",
        constraint: `enum ${JSON.stringify(facts.enum)}`,
        path,
        mutate: () => "NOT_A_MODEL_VALUE",
        message: "NOT_A_MODEL_VALUE"
      }]
    case "list": {
      const item = facts.member ?? "?"
      const itemFacts = targetFacts(item)
      const out: Array<Mutation> = []
      const max = facts.listLength?.max
      if (max !== undefined) {
        out.push({
          kind: "maxItems",
          constraint: `maxItems ${max}`,
          path,
          // the valid items, repeated: only the count is wrong
          mutate: (valid) => {
            const items = listAt(valid)
            return Array.from({ length: max + 1 }, (_, i) => items[i % items.length] ?? null)
          },
          message: `items, got ${max + 1}`
        })
      }
      return [
        ...out,
        ...(itemFacts.type === "structure"
          ? structureMutations(item, [...path, 0])
          : valueMutations(itemFacts, [...path, 0]))
      ]
    }
    default:
      return []
  }
}

const removal = (path: ReadonlyArray<PathKey>): Mutation => ({
  kind: "required",
  constraint: "required",
  path,
  mutate: () => undefined,
  message: "is missing"
})

/** Every mutation of a structure's members (recursively), including removing each required member. */
export const structureMutations = (name: string, path: ReadonlyArray<PathKey> = []): ReadonlyArray<Mutation> =>
  (shapeFacts(name).members ?? []).flatMap((member) => [
    ...(member.required ? [removal([...path, member.name])] : []),
    ...(member.type === "structure"
      ? structureMutations(member.target, [...path, member.name])
      : valueMutations(member, [...path, member.name]))
  ])
