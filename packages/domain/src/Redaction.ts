/**
 * Which values are secret, from the schemas: a member is secret where its schema is `Redacted` (the model's
 * `@sensitive`, plus Meta's access token). Two views:
 *
 * - by value: the revealed values of every `Redacted` in a typed input (`revealedSecrets`), which an error or a
 *   trace must never show, even where an answer echoes them;
 * - by name: the JSON member names that are secret wherever they occur (`secretMembers`), for redacting wire
 *   JSON whose values are not known (a request a server received, a truncated answer). A name that is also a
 *   plain member somewhere (`message`: the message blob of SendWhatsAppMessage, and every AWS error's text) is
 *   left to the value view, so redaction never blanks AWS's error messages.
 */
import * as Encoding from "effect/Encoding"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as AstRewrite from "./AstRewrite.js"
import * as Shapes from "./generated/Shapes.js"

// =============================================================================
// By value
// =============================================================================

const collect = (value: unknown, out: Array<string>, inSecret: boolean): void => {
  if (Redacted.isRedacted(value)) return collect(Redacted.value(value), out, true)
  if (typeof value === "string") {
    if (inSecret && value !== "") out.push(value)
  } else if (value instanceof Uint8Array) {
    // A secret blob travels as base64.
    if (inSecret && value.byteLength > 0) out.push(Encoding.encodeBase64(value))
  } else if (typeof value === "number" || typeof value === "boolean") {
    if (inSecret) out.push(String(value))
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, out, inSecret)
  } else if (Predicate.isRecord(value)) {
    for (const member of Object.values(value)) collect(member, out, inSecret)
  }
}

/**
 * The revealed values of every `Redacted` in a typed value, at any depth, as they go on the wire (a blob as
 * base64; a secret structure's every string): what scrubbing must hide.
 */
export const revealedSecrets = (typed: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  collect(typed, out, false)
  return out
}

// =============================================================================
// What a secret schema is
// =============================================================================

const isRedactedDeclaration = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Declaration" &&
  Predicate.hasProperty(ast.annotations[SchemaAST.TypeConstructorAnnotationId], "_tag") &&
  ast.annotations[SchemaAST.TypeConstructorAnnotationId]._tag === "effect/Redacted"

/** Whether a member's schema makes its value `Redacted` (through refinements, transformations, unions). */
const isSecretSchema = (ast: SchemaAST.AST): boolean => AstRewrite.alternatives(ast).some(isRedactedDeclaration)

/** Every member name under `ast`, as secret or plain (a name may be both, in different structs). */
const walk = (
  ast: SchemaAST.AST,
  secret: Set<string>,
  plain: Set<string>,
  seen: Set<SchemaAST.AST>
): void => {
  if (seen.has(ast)) return
  seen.add(ast)
  if (ast._tag === "TypeLiteral") {
    for (const ps of ast.propertySignatures) {
      if (typeof ps.name === "string") (isSecretSchema(ps.type) ? secret : plain).add(ps.name)
    }
  }
  for (const child of AstRewrite.children(ast)) walk(child, secret, plain, seen)
}

// =============================================================================
// By schema, on wire JSON
// =============================================================================

/** The object-shaped members of a schema, merged over unions (a member secret in any alternative is secret). */
const membersOf = (ast: SchemaAST.AST, out: Map<string, Array<SchemaAST.AST>>): void => {
  for (const node of AstRewrite.alternatives(ast)) {
    if (node._tag !== "TypeLiteral") continue
    for (const ps of node.propertySignatures) {
      if (typeof ps.name === "string") out.set(ps.name, [...(out.get(ps.name) ?? []), ps.type])
    }
    for (const is of node.indexSignatures) out.set("", [...(out.get("") ?? []), is.type])
  }
}

/** The item schemas of a list schema, over unions. */
const itemsOf = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> =>
  AstRewrite.alternatives(ast).flatMap((node) =>
    node._tag === "TupleType" ? [...node.elements.map((e) => e.type), ...node.rest.map((r) => r.type)] : []
  )

/**
 * Wire JSON of a schema (e.g. a request body) with every member whose schema is `Redacted` replaced, however its
 * value looks (`replace` gets the wire value: a string, a base64 blob, a structure).
 */
const mapSecrets = (
  asts: ReadonlyArray<SchemaAST.AST>,
  json: unknown,
  replace: (wire: unknown) => unknown
): unknown => {
  if (asts.some(isSecretSchema)) return replace(json)
  if (Array.isArray(json)) {
    const items = asts.flatMap(itemsOf)
    return items.length === 0 ? json : json.map((item) => mapSecrets(items, item, replace))
  }
  if (Predicate.isRecord(json)) {
    const members = new Map<string, Array<SchemaAST.AST>>()
    for (const ast of asts) membersOf(ast, members)
    if (members.size === 0) return json
    return Object.fromEntries(
      Object.entries(json).map(([key, value]) => {
        const schemas = members.get(key) ?? members.get("") ?? []
        return [key, schemas.length === 0 ? value : mapSecrets(schemas, value, replace)]
      })
    )
  }
  return json
}

/** Wire JSON of `schema` with the value of every `Redacted` member replaced by `"<redacted>"`. */
export const redactWire = (schema: Schema.Schema.All, json: unknown): unknown =>
  mapSecrets([schema.ast], json, () => "<redacted>")

/** The secret values in wire JSON of `schema` (as `revealedSecrets` finds them in the typed value). */
export const wireSecrets = (schema: Schema.Schema.All, json: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  mapSecrets([schema.ast], json, (wire) => {
    const collectWire = (value: unknown): void => {
      if (typeof value === "string") {
        if (value !== "") out.push(value)
      } else if (typeof value === "number" || typeof value === "boolean") out.push(String(value))
      else if (Array.isArray(value)) value.forEach(collectWire)
      else if (Predicate.isRecord(value)) Object.values(value).forEach(collectWire)
    }
    collectWire(wire)
    return wire
  })
  return out
}

// =============================================================================
// By name
// =============================================================================

const names: ReadonlySet<string> = new Set(Shapes.secretMemberNames)

/**
 * The JSON member names that hold a secret wherever they occur: members whose schema is `Redacted` somewhere
 * in the model (the generator's `secretMemberNames`, the same names the hand-written step types of the
 * association keep secret), less the names that are plain members elsewhere. Data, not a walk over every
 * shape, so a program that scrubs text does not carry the whole model; `schemaSecretMembers` is the walk.
 */
export const secretMembers = (): ReadonlySet<string> => names

/**
 * The same names found by walking schemas: every member whose schema is `Redacted` in one of them, less the
 * names plain in any. What `secretMembers` must equal over every shape of the model (a test checks it).
 */
export const schemaSecretMembers = (schemas: ReadonlyArray<unknown>): ReadonlySet<string> => {
  const secret = new Set<string>()
  const plain = new Set<string>()
  const seen = new Set<SchemaAST.AST>()
  for (const schema of schemas) if (Schema.isSchema(schema)) walk(schema.ast, secret, plain, seen)
  return new Set([...secret].filter((name) => !plain.has(name)))
}

/** Replaces the value of every secret member (`secretMembers`), at any depth, with `"<redacted>"`. */
export const redactSecretMembers = (json: unknown): unknown => {
  const secret = secretMembers()
  const redact = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(redact)
      : Predicate.isRecord(value)
      ? Object.fromEntries(
        Object.entries(value).map(([key, member]) => [key, secret.has(key) ? "<redacted>" : redact(member)])
      )
      : value
  return redact(json)
}
