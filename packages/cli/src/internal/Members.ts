/**
 * What the command line needs to know about an operation's input, read from its schema's AST: each top-level
 * member's name, its flag (the AWS CLI's kebab-case), whether it is required or secret, and its kind (text,
 * integer, boolean, enum, blob, timestamp, list, structure, map). Nothing here is written per operation.
 */
import { Predicate, type Schema, SchemaAST } from "effect"

/** What a member holds, as far as a flag is concerned. */
export type Kind =
  | { readonly _tag: "String" }
  | { readonly _tag: "Integer" }
  | { readonly _tag: "Boolean" }
  | { readonly _tag: "Enum"; readonly values: ReadonlyArray<string> }
  /** bytes; base64 on the wire */
  | { readonly _tag: "Blob" }
  /** epoch seconds on the wire */
  | { readonly _tag: "Timestamp" }
  | { readonly _tag: "List"; readonly item: Kind }
  | { readonly _tag: "Structure"; readonly members: ReadonlyArray<Member> }
  | { readonly _tag: "Map"; readonly value: Kind }
  /** anything else (a union of shapes): JSON only */
  | { readonly _tag: "Json" }

/** One member of a structure. */
export interface Member {
  /** The API's member name, e.g. `originationPhoneNumberId`. */
  readonly name: string
  /** The flag, without dashes: `origination-phone-number-id`. */
  readonly flag: string
  readonly kind: Kind
  readonly required: boolean
  /** `Redacted` in the typed input (the model's `@sensitive`): never printed. */
  readonly secret: boolean
}

// =============================================================================
// Names
// =============================================================================

/**
 * The AWS CLI's name for an operation or member (botocore's `xform_name` with `-`): `SendWhatsAppMessage` →
 * `send-whatsapp-message`, `sourceS3File` → `source-s3-file`. "WhatsApp" is one word, as in the AWS CLI.
 */
export const kebab = (name: string): string =>
  name
    .replace(/WhatsApp/g, "Whatsapp")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()

/** The service method of an operation: its name in camelCase (`SendWhatsAppMessage` → `sendWhatsAppMessage`). */
export const methodName = (operation: string): string => operation.charAt(0).toLowerCase() + operation.slice(1)

// =============================================================================
// Reading the AST
// =============================================================================

const identifier = (ast: SchemaAST.AST): string | undefined => {
  const id = ast.annotations[SchemaAST.IdentifierAnnotationId]
  return typeof id === "string" ? id : undefined
}

const isRedacted = (ast: SchemaAST.AST): boolean => {
  const constructor = ast.annotations[SchemaAST.TypeConstructorAnnotationId]
  return ast._tag === "Declaration" && Predicate.hasProperty(constructor, "_tag") &&
    constructor._tag === "effect/Redacted"
}

/** The member's kind, and whether any layer of its schema makes it `Redacted`. */
const classify = (ast: SchemaAST.AST, seen: ReadonlySet<SchemaAST.AST>): { kind: Kind; secret: boolean } => {
  if (seen.has(ast)) return { kind: { _tag: "Json" }, secret: false }
  const next = new Set(seen).add(ast)
  switch (ast._tag) {
    case "Refinement":
      return classify(ast.from, next)
    case "Suspend":
      return classify(ast.f(), next)
    case "Transformation": {
      if (isRedacted(ast.to)) return { ...classify(ast.from, next), secret: true }
      const to = identifier(ast.to)
      if (to === "Uint8ArrayFromSelf") return { kind: { _tag: "Blob" }, secret: false }
      if (to === "DateTimeUtcFromSelf") return { kind: { _tag: "Timestamp" }, secret: false }
      return classify(ast.from, next)
    }
    case "StringKeyword":
    case "TemplateLiteral":
      return { kind: { _tag: "String" }, secret: false }
    case "NumberKeyword":
      return { kind: { _tag: "Integer" }, secret: false }
    case "BooleanKeyword":
      return { kind: { _tag: "Boolean" }, secret: false }
    case "Literal":
      return typeof ast.literal === "string"
        ? { kind: { _tag: "Enum", values: [ast.literal] }, secret: false }
        : { kind: { _tag: "Json" }, secret: false }
    case "Union": {
      const types = ast.types.filter((t) => t._tag !== "UndefinedKeyword")
      const literals = types.flatMap((t) => (t._tag === "Literal" && typeof t.literal === "string" ? [t.literal] : []))
      if (literals.length > 0 && literals.length === types.length) {
        return { kind: { _tag: "Enum", values: literals }, secret: false }
      }
      const [only] = types
      return types.length === 1 && only !== undefined ? classify(only, next) : { kind: { _tag: "Json" }, secret: false }
    }
    case "TupleType": {
      const rest = ast.rest[0]
      if (rest === undefined || ast.elements.length > 0) return { kind: { _tag: "Json" }, secret: false }
      const item = classify(rest.type, next)
      return { kind: { _tag: "List", item: item.kind }, secret: item.secret }
    }
    case "TypeLiteral": {
      const [index] = ast.indexSignatures
      if (index !== undefined && ast.propertySignatures.length === 0) {
        const value = classify(index.type, next)
        return { kind: { _tag: "Map", value: value.kind }, secret: value.secret }
      }
      return { kind: { _tag: "Structure", members: membersOfAst(ast, next) }, secret: false }
    }
    default:
      return { kind: { _tag: "Json" }, secret: false }
  }
}

const membersOfAst = (ast: SchemaAST.TypeLiteral, seen: ReadonlySet<SchemaAST.AST>): ReadonlyArray<Member> =>
  ast.propertySignatures.flatMap((ps) => {
    if (typeof ps.name !== "string") return []
    const { kind, secret } = classify(ps.type, seen)
    return [{ name: ps.name, flag: kebab(ps.name), kind, required: !ps.isOptional, secret }]
  })

/** The structure an input schema describes (through refinements and transformations), if it is one. */
const structureOf = (ast: SchemaAST.AST): SchemaAST.TypeLiteral | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast
    case "Refinement":
      return structureOf(ast.from)
    case "Transformation":
      return structureOf(ast.from)
    case "Suspend":
      return structureOf(ast.f())
    default:
      return undefined
  }
}

/** The top-level members of an operation's input schema, in model order. */
export const members = (input: Schema.Schema.All): ReadonlyArray<Member> => {
  const structure = structureOf(input.ast)
  return structure === undefined ? [] : membersOfAst(structure, new Set())
}

/** Whether a kind is one value on the command line (not a list, structure, map or JSON). */
export const isScalar = (kind: Kind): boolean =>
  kind._tag === "String" || kind._tag === "Integer" || kind._tag === "Boolean" || kind._tag === "Enum" ||
  kind._tag === "Blob" || kind._tag === "Timestamp"

/** A short name of a kind, for help texts: `text`, `integer`, `list of text`, `structure`... */
export const describeKind = (kind: Kind): string => {
  switch (kind._tag) {
    case "String":
      return "text"
    case "Integer":
      return "integer"
    case "Boolean":
      return "boolean"
    case "Enum":
      return `one of ${kind.values.join(", ")}`
    case "Blob":
      return "bytes"
    case "Timestamp":
      return "timestamp"
    case "List":
      return `list of ${describeKind(kind.item)}`
    case "Structure":
      return "structure"
    case "Map":
      return "map"
    case "Json":
      return "JSON"
  }
}
