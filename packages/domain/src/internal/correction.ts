/**
 * Smithy's "client error correction", applied to an answer's JSON before it is decoded.
 *
 * A client must not fail an answer because the service left out a member the model marks `@required`: it
 * fills the member with its zero value (`""`, `0`, `false`, `[]`, `{}` with its own required members filled,
 * epoch 0 for a timestamp, `""` for an enum, which decodes as the enum's unknown value) and treats JSON `null`
 * as absent. AWS's SDKs do the same (their deserialisers skip nulls and default required members), so an
 * answer they read is never a `MalformedResponse` here. Types that are plainly wrong (a string where a list
 * belongs) are left alone for the decoder to refuse.
 *
 * The corrector is compiled once per schema from the schema's encoded side (the JSON shape: refinements and
 * transformations removed), so correcting an answer is one walk over it.
 */
import * as Predicate from "effect/Predicate"
import * as SchemaAST from "effect/SchemaAST"

/** Corrects one JSON value of a known shape (returns the input itself when nothing needed correcting). */
export type Corrector = (json: unknown) => unknown

const identity: Corrector = (json) => json

/** No zero value is known for the shape (e.g. `unknown`): a missing member stays missing. */
const noZero: unique symbol = Symbol("noZero")

/**
 * The zero value of a member of this (encoded) shape, or `noZero`. Structures get `{}` with their own
 * required members filled in turn.
 */
const zeroOf = (ast: SchemaAST.AST, seen: ReadonlySet<SchemaAST.AST>): unknown => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return ""
    case "NumberKeyword":
      return 0
    case "BooleanKeyword":
      return false
    case "Literal":
      return ast.literal
    case "Enums":
      return ast.enums[0]?.[1] ?? noZero
    case "TupleType":
      return []
    case "TypeLiteral": {
      if (seen.has(ast)) return noZero
      const next = new Set(seen).add(ast)
      const out: Record<string, unknown> = {}
      for (const ps of ast.propertySignatures) {
        if (ps.isOptional || typeof ps.name !== "string") continue
        const zero = zeroOf(ps.type, next)
        if (zero === noZero) return noZero
        out[ps.name] = zero
      }
      return out
    }
    case "Union": {
      // An open enum (literals or any string) reads `""` as its unknown value; a closed one its first value.
      const text = ast.types.find((member) => member._tag === "StringKeyword")
      if (text !== undefined) return ""
      for (const member of ast.types) {
        const zero = zeroOf(member, seen)
        if (zero !== noZero) return zero
      }
      return noZero
    }
    case "Suspend":
      return zeroOf(ast.f(), seen)
    case "Refinement":
    case "Transformation":
      // Not on an encoded side; kept for completeness.
      return zeroOf(ast.from, seen)
    default:
      return noZero
  }
}

/** A struct's corrector: each member corrected, a missing required one zero-filled, `null`s dropped. */
const compileStruct = (ast: SchemaAST.TypeLiteral, cache: Map<SchemaAST.AST, Corrector>): Corrector => {
  // Registered before its members compile, so a recursive shape finds itself.
  let members: ReadonlyArray<{
    readonly name: string
    readonly optional: boolean
    readonly zero: unknown
    readonly correct: Corrector
  }> = []
  // Assigned once below, after `correct` exists: a recursive schema's corrector reaches itself through `cache`.
  // eslint-disable-next-line prefer-const
  let rest: Corrector | undefined
  const correct: Corrector = (json) => {
    if (!Predicate.isRecord(json)) return json
    let out: Record<string, unknown> | undefined
    const set = (name: string, value: unknown) => {
      out ??= { ...json }
      if (value === undefined) delete out[name]
      else out[name] = value
    }
    for (const member of members) {
      const value = json[member.name]
      if (value === null || value === undefined) {
        if (!member.optional && member.zero !== noZero) set(member.name, member.zero)
        else if (value === null) set(member.name, undefined)
      } else {
        const corrected = member.correct(value)
        if (corrected !== value) set(member.name, corrected)
      }
    }
    if (rest !== undefined) {
      for (const [name, value] of Object.entries(json)) {
        if (members.some((member) => member.name === name)) continue
        if (value === null) set(name, undefined)
        else {
          const corrected = rest(value)
          if (corrected !== value) set(name, corrected)
        }
      }
    }
    return out ?? json
  }
  cache.set(ast, correct)
  members = ast.propertySignatures.flatMap((ps) =>
    typeof ps.name === "string"
      ? [{
        name: ps.name,
        optional: ps.isOptional,
        zero: zeroOf(ps.type, new Set()),
        correct: compile(ps.type, cache)
      }]
      : []
  )
  const index = ast.indexSignatures[0]
  rest = index === undefined ? undefined : compile(index.type, cache)
  return correct
}

/** A list's corrector: each item corrected, `null`s dropped. */
const compileList = (ast: SchemaAST.TupleType, cache: Map<SchemaAST.AST, Corrector>): Corrector => {
  let element: Corrector = identity
  const correct: Corrector = (json) => {
    if (!Array.isArray(json)) return json
    // A list the model does not mark sparse has no nulls: drop them, as AWS's SDKs do.
    let changed = false
    const out: Array<unknown> = []
    for (const item of json) {
      if (item === null) {
        changed = true
        continue
      }
      const corrected = element(item)
      if (corrected !== item) changed = true
      out.push(corrected)
    }
    return changed ? out : json
  }
  cache.set(ast, correct)
  const items = ast.rest[0]
  element = items === undefined ? identity : compile(items.type, cache)
  return correct
}

const compile = (ast: SchemaAST.AST, cache: Map<SchemaAST.AST, Corrector>): Corrector => {
  const cached = cache.get(ast)
  if (cached !== undefined) return cached
  switch (ast._tag) {
    case "TypeLiteral":
      return compileStruct(ast, cache)
    case "TupleType":
      return compileList(ast, cache)
    case "Union": {
      let forObject: Corrector = identity
      let forArray: Corrector = identity
      const correct: Corrector = (json) =>
        Array.isArray(json) ? forArray(json) : Predicate.isRecord(json) ? forObject(json) : json
      cache.set(ast, correct)
      const object = ast.types.find((member) => member._tag === "TypeLiteral")
      const array = ast.types.find((member) => member._tag === "TupleType")
      if (object !== undefined) forObject = compile(object, cache)
      if (array !== undefined) forArray = compile(array, cache)
      return correct
    }
    case "Suspend": {
      let inner: Corrector | undefined
      const correct: Corrector = (json) => (inner ??= compile(ast.f(), cache))(json)
      cache.set(ast, correct)
      return correct
    }
    case "Refinement":
    case "Transformation":
      return compile(ast.from, cache)
    default:
      return identity
  }
}

/**
 * The corrector of a schema's answers: fills missing required members with zero values and drops `null`s,
 * at every depth, following the schema's encoded (JSON) side.
 */
export const corrector = (ast: SchemaAST.AST): Corrector => compile(SchemaAST.encodedAST(ast), new Map())
