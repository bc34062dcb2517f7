/**
 * Compares a domain schema with the model facts: member names and order, required flags, and every
 * constraint as `JSONSchema.make` shows it (encoded side), plus the Type side read from the AST (secrets are
 * `Redacted`, the timestamp is a transformation to `DateTime.Utc`).
 */
import { JSONSchema, Option, Schema, SchemaAST } from "effect"
import {
  isModelShape,
  isPrelude,
  type MemberFacts,
  type ShapeFacts,
  shapeFacts,
  targetFacts,
  type Usage,
  type ValueFacts
} from "./ModelFacts.js"

// =============================================================================
// Deliberate differences (each one a decision, named here so nothing else slips through)
// =============================================================================

/** Members whose schema carries a name other than the model's target. */
const namedDifferently: Readonly<Record<string, string>> = {
  // A member-level @length on smithy.api#String, made a secret (Meta's bearer token).
  "WhatsAppSignupCallback.accessToken": "MetaAccessToken"
}

/** Enum shapes read leniently from AWS (unknown values decode), by the name of the lenient schema. */
const lenientOnOutput: Readonly<Record<string, string>> = { RegistrationStatus: "RegistrationStatusOutput" }

/** Members kept `Redacted` although the model has no `@sensitive` on them. */
const extraSecrets: ReadonlySet<string> = new Set(["WhatsAppSignupCallback.accessToken"])

/**
 * Members of the newest model (botocore 1.43.107) that the facts fixture predates; GeneratedConformance.test.ts
 * checks them against that model.
 */
const newerThanFacts: Readonly<Record<string, ReadonlyArray<string>>> = {
  GetLinkedWhatsAppBusinessAccountPhoneNumberOutput: ["callSettings"]
}

/** Fields the error classes add to the model's members (`_tag` aside). */
const errorExtras: ReadonlySet<string> = new Set(["requestId"])

// =============================================================================
// JSON Schema reading
// =============================================================================

const JsonNode = Schema.Struct({
  $ref: Schema.optional(Schema.String),
  $defs: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  type: Schema.optional(Schema.String),
  minLength: Schema.optional(Schema.Number),
  maxLength: Schema.optional(Schema.Number),
  pattern: Schema.optional(Schema.String),
  minimum: Schema.optional(Schema.Number),
  maximum: Schema.optional(Schema.Number),
  minItems: Schema.optional(Schema.Number),
  maxItems: Schema.optional(Schema.Number),
  enum: Schema.optional(Schema.Array(Schema.Unknown)),
  anyOf: Schema.optional(Schema.Array(Schema.Unknown)),
  items: Schema.optional(Schema.Unknown),
  properties: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  required: Schema.optional(Schema.Array(Schema.String)),
  propertyNames: Schema.optional(Schema.Unknown),
  patternProperties: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
type JsonNode = typeof JsonNode.Type
const decodeNode = Schema.decodeUnknownSync(JsonNode)

type Defs = Readonly<Record<string, unknown>>

/** A JSON Schema node with its `$ref`s followed: `names` are the identifiers passed on the way. */
interface Resolved {
  readonly names: ReadonlyArray<string>
  readonly node: JsonNode
}

const resolve = (defs: Defs, raw: unknown): Resolved => {
  const names: Array<string> = []
  let node = decodeNode(raw)
  while (node.$ref !== undefined) {
    const name = node.$ref.replace(/^#\/\$defs\//, "")
    names.push(name)
    node = decodeNode(defs[name])
  }
  return { names, node }
}

/** `JSONSchema.make` of a schema AST: its `$defs` and its resolved root. */
export const jsonSchemaOf = (ast: SchemaAST.AST): { readonly defs: Defs; readonly root: Resolved } => {
  const document = decodeNode(JSONSchema.make(Schema.make(ast)))
  const defs = document.$defs ?? {}
  return { defs, root: resolve(defs, document) }
}

// =============================================================================
// AST reading (Type side)
// =============================================================================

const stripRefinements = (ast: SchemaAST.AST): SchemaAST.AST =>
  SchemaAST.isRefinement(ast) ? stripRefinements(ast.from) : ast

/** The `typeConstructor` tag of a schema's Type side (`effect/Redacted`, `effect/DateTime.Utc`...). */
export const typeConstructorOf = (ast: SchemaAST.AST): string | undefined =>
  Option.getOrUndefined(
    Option.map(SchemaAST.getTypeConstructorAnnotation(stripRefinements(SchemaAST.typeAST(ast))), (a) => a._tag)
  )

const typeLiteralOf = (ast: SchemaAST.AST): SchemaAST.TypeLiteral | undefined =>
  SchemaAST.isTypeLiteral(ast)
    ? ast
    : SchemaAST.isRefinement(ast) || SchemaAST.isTransformation(ast)
    ? typeLiteralOf(ast.from)
    : undefined

// =============================================================================
// Checking
// =============================================================================

/** What a check found, and what it covered. */
export interface Report {
  readonly mismatches: Array<string>
  /** model shapes compared (structures by their schema, the others through the members that target them) */
  readonly shapes: Set<string>
  /** structure members compared, as `Shape.member` */
  readonly members: Set<string>
}

export const emptyReport = (): Report => ({ mismatches: [], shapes: new Set(), members: new Set() })

const show = (u: unknown): string => u === undefined ? "none" : JSON.stringify(u)

const same = (report: Report, where: string, what: string, schema: unknown, model: unknown): void => {
  if (JSON.stringify(schema) !== JSON.stringify(model)) {
    report.mismatches.push(`${where}: ${what} is ${show(schema)} in the schema, ${show(model)} in the model`)
  }
}

// length >= 0 holds for every string, so `minLength: 0` is no constraint (botocore writes it, Smithy does not)
const minLength = (n: number | undefined) => n === 0 ? undefined : n

const isExactEnum = (node: JsonNode, values: ReadonlyArray<string>): boolean =>
  node.type === "string" && JSON.stringify(node.enum) === JSON.stringify(values)

const isPlainString = (node: JsonNode): boolean =>
  node.type === "string" && node.enum === undefined && node.minLength === undefined &&
  node.maxLength === undefined && node.pattern === undefined

/** Checks one value (a member, a list item, a map key/value, or a named simple shape). */
const checkValue = (
  report: Report,
  where: string,
  target: string,
  facts: ValueFacts,
  usage: ReadonlyArray<Usage>,
  defs: Defs,
  resolved: Resolved
): void => {
  if (!isPrelude(target)) report.shapes.add(target)
  const { names, node } = resolved
  const outputOnly = !usage.includes("input")
  const named = names[0]
  const acceptable = named === undefined || named === target || named === namedDifferently[where] ||
    (outputOnly && named === lenientOnOutput[target]) ||
    // a prelude target (smithy.api#Integer...) may use effect's own named schemas (`Int`), never a model shape
    (isPrelude(target) && !isModelShape(named))
  if (!acceptable) {
    report.mismatches.push(`${where}: the schema is named ${named}, the model's target is ${target}`)
  }
  switch (facts.type) {
    case "string": {
      same(report, where, "JSON type", node.type, "string")
      same(report, where, "minLength", minLength(node.minLength), minLength(facts.length?.min))
      same(report, where, "maxLength", node.maxLength, facts.length?.max)
      same(report, where, "pattern", node.pattern, facts.pattern)
      return
    }
    case "integer": {
      same(report, where, "JSON type", node.type, "integer")
      same(report, where, "minimum", node.minimum, facts.range?.min)
      same(report, where, "maximum", node.maximum, facts.range?.max)
      return
    }
    case "timestamp": {
      same(report, where, "JSON type (epoch seconds)", node.type, "number")
      return
    }
    case "enum": {
      const values = facts.enum ?? []
      if (isExactEnum(node, values)) return
      const [first, second, ...rest] = (node.anyOf ?? []).map((raw) => resolve(defs, raw).node)
      const lenient = outputOnly && first !== undefined && second !== undefined && rest.length === 0 &&
        isExactEnum(first, values) && isPlainString(second)
      if (!lenient) {
        report.mismatches.push(
          `${where}: expected the enum ${show(values)}${outputOnly ? " (or it or any string, on output)" : ""}`
        )
      }
      return
    }
    case "list": {
      same(report, where, "JSON type", node.type, "array")
      same(report, where, "minItems", node.minItems, facts.listLength?.min)
      same(report, where, "maxItems", node.maxItems, facts.listLength?.max)
      const item = facts.member ?? "?"
      if (node.items === undefined) report.mismatches.push(`${where}: no items schema`)
      else checkValue(report, `${where}[]`, item, targetFacts(item), usage, defs, resolve(defs, node.items))
      return
    }
    case "map": {
      same(report, where, "JSON type", node.type, "object")
      const key = facts.key ?? "?"
      const value = facts.value ?? "?"
      const valueSchema = node.patternProperties?.[""]
      if (node.propertyNames === undefined) report.mismatches.push(`${where}: no key schema`)
      else checkValue(report, `${where}{key}`, key, targetFacts(key), usage, defs, resolve(defs, node.propertyNames))
      if (valueSchema === undefined) report.mismatches.push(`${where}: no value schema`)
      else checkValue(report, `${where}{value}`, value, targetFacts(value), usage, defs, resolve(defs, valueSchema))
      return
    }
    case "structure": {
      if (!names.includes(target)) report.mismatches.push(`${where}: expected the schema ${target}, got ${show(names)}`)
      return
    }
    default:
      report.mismatches.push(`${where}: model type ${facts.type} not handled by this test`)
  }
}

/** Secrets are `Redacted` in the Type, the timestamp a transformation to `DateTime.Utc`, nothing else is either. */
const checkTypeSide = (report: Report, where: string, facts: ValueFacts, ast: SchemaAST.AST): void => {
  const constructor = typeConstructorOf(ast)
  const secret = facts.sensitive === true || extraSecrets.has(where)
  if (secret !== (constructor === "effect/Redacted")) {
    const problem = secret ? "a secret must be Redacted" : "not a secret, yet Redacted"
    report.mismatches.push(`${where}: ${problem} in the Type`)
  }
  const timestamp = facts.timestamp !== undefined
  const stripped = stripRefinements(ast)
  if (timestamp !== (SchemaAST.isTransformation(stripped) && constructor === "effect/DateTime.Utc")) {
    const problem = timestamp
      ? "a timestamp must be a transformation to DateTime.Utc"
      : "not a timestamp, yet a DateTime"
    report.mismatches.push(`${where}: ${problem}`)
  }
}

/** Checks a schema against a structure shape of the model, member by member. */
export const checkStructure = (report: Report, name: string, shape: ShapeFacts, ast: SchemaAST.AST): void => {
  report.shapes.add(name)
  const { defs, root } = jsonSchemaOf(ast)
  const members: ReadonlyArray<MemberFacts> = shape.members ?? []
  const properties = Object.keys(root.node.properties ?? {})
  const isError = shape.error !== undefined
  const newer = newerThanFacts[name] ?? []
  const own = (isError ? properties.filter((p) => p !== "_tag" && !errorExtras.has(p)) : properties)
    .filter((p) => !newer.includes(p))
  same(report, name, "member list (in order)", own, members.map((m) => m.name))
  same(
    report,
    name,
    "required members",
    (root.node.required ?? []).filter((p) => p !== "_tag").slice().sort(),
    members.filter((m) => m.required).map((m) => m.name).sort()
  )
  const literal = typeLiteralOf(ast)
  for (const member of members) {
    const where = `${name}.${member.name}`
    const raw = root.node.properties?.[member.name]
    const property = literal?.propertySignatures.find((ps) => ps.name === member.name)
    if (raw === undefined || property === undefined) continue // reported by the member list
    report.members.add(where)
    checkValue(report, where, member.target, member, shape.usage, defs, resolve(defs, raw))
    checkTypeSide(report, where, member, property.type)
  }
}

/** Checks a schema named after a simple (non-structure) shape against that shape. */
export const checkSimple = (report: Report, name: string, ast: SchemaAST.AST): void => {
  const shape = shapeFacts(name)
  const { defs, root } = jsonSchemaOf(ast)
  checkValue(report, name, name, shape, shape.usage, defs, root)
  checkTypeSide(report, name, shape, ast)
}
