/**
 * The model-facts fixture (written by scripts/model-facts.ts), decoded, and the domain's schemas indexed by
 * the model shape they stand for.
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Tagging from "@social-messaging/domain/Tagging"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Option, Schema, SchemaAST } from "effect"
import { readFileSync } from "node:fs"

// =============================================================================
// The fixture
// =============================================================================

const Bounds = Schema.Struct({ min: Schema.optional(Schema.Number), max: Schema.optional(Schema.Number) })
export type Bounds = typeof Bounds.Type

const valueFacts = {
  type: Schema.String,
  length: Schema.optional(Bounds),
  pattern: Schema.optional(Schema.String),
  range: Schema.optional(Bounds),
  listLength: Schema.optional(Bounds),
  enum: Schema.optional(Schema.Array(Schema.String)),
  sensitive: Schema.optional(Schema.Literal(true)),
  timestamp: Schema.optional(Schema.Literal("epoch-seconds")),
  member: Schema.optional(Schema.String),
  key: Schema.optional(Schema.String),
  value: Schema.optional(Schema.String),
  botocorePattern: Schema.optional(Schema.String),
  patternSource: Schema.optional(Schema.Literal("smithy", "botocore, un-rewritten"))
}
export type ValueFacts = Schema.Struct.Type<typeof valueFacts>

const Usage = Schema.Literal("input", "output", "error")
export type Usage = typeof Usage.Type

const MemberFacts = Schema.Struct({
  name: Schema.String,
  target: Schema.String,
  required: Schema.Boolean,
  ...valueFacts,
  httpQuery: Schema.optional(Schema.String),
  source: Schema.Literal("smithy", "botocore")
})
export type MemberFacts = typeof MemberFacts.Type

const ShapeFacts = Schema.Struct({
  ...valueFacts,
  usage: Schema.Array(Usage),
  members: Schema.optional(Schema.Array(MemberFacts)),
  error: Schema.optional(Schema.Struct({
    fault: Schema.Literal("client", "server"),
    httpStatus: Schema.Number,
    retryable: Schema.Boolean,
    throttling: Schema.Boolean
  }))
})
export type ShapeFacts = typeof ShapeFacts.Type

const OperationFacts = Schema.Struct({
  name: Schema.String,
  method: Schema.String,
  uri: Schema.String,
  code: Schema.Number,
  input: Schema.String,
  output: Schema.String,
  errors: Schema.Array(Schema.String),
  readonly: Schema.Boolean,
  idempotent: Schema.Boolean
})
export type OperationFacts = typeof OperationFacts.Type

const Source = Schema.Struct({ file: Schema.String, sha256: Schema.String })
const ModelFacts = Schema.Struct({
  $comment: Schema.String,
  sources: Schema.Struct({ smithy: Source, botocore: Source }),
  serviceErrors: Schema.Array(Schema.String),
  operations: Schema.Array(OperationFacts),
  shapes: Schema.Record({ key: Schema.String, value: ShapeFacts })
})
export type ModelFacts = typeof ModelFacts.Type

/** The fixture; decoding is strict, so a fact the fixture gains must be handled here too. */
export const facts: ModelFacts = Schema.decodeUnknownSync(Schema.parseJson(ModelFacts), {
  onExcessProperty: "error"
})(readFileSync(new URL("../fixtures/model-facts.json", import.meta.url), "utf8"))

export const shapeFacts = (name: string): ShapeFacts => {
  const shape = facts.shapes[name]
  if (shape === undefined) throw new Error(`model-facts.json has no shape ${name}`)
  return shape
}

export const isModelShape = (name: string): boolean => name in facts.shapes

export const isPrelude = (target: string): boolean => target.startsWith("smithy.api#")

/** Facts of a member's target shape (prelude shapes carry no constraints of their own). */
export const targetFacts = (target: string): ValueFacts =>
  isPrelude(target)
    ? { type: target === "smithy.api#Integer" ? "integer" : "string" }
    : shapeFacts(target)

// =============================================================================
// The domain's schemas, by identifier
// =============================================================================

const schemaModules: ReadonlyArray<object> = [Ids, Tagging, LinkedAccounts, WhatsAppSignup]

/** The AST of every exported schema of the domain with an `identifier`, by that identifier. */
export const schemasByIdentifier: ReadonlyMap<string, SchemaAST.AST> = (() => {
  const map = new Map<string, SchemaAST.AST>()
  for (const module of schemaModules) {
    const exported: ReadonlyArray<unknown> = Object.values(module)
    for (const value of exported) {
      if (!Schema.isSchema(value)) continue
      const id = SchemaAST.getIdentifierAnnotation(value.ast)
      if (Option.isNone(id)) continue
      const previous = map.get(id.value)
      if (previous !== undefined && previous !== value.ast) {
        throw new Error(`two different schemas are both named ${id.value}`)
      }
      map.set(id.value, value.ast)
    }
  }
  // Error classes carry their tag instead of an identifier.
  for (const error of Errors.SocialMessagingError.members) map.set(error._tag, error.ast)
  return map
})()
