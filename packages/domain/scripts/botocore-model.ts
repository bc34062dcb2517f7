/**
 * The parts of botocore's `service-2.json` and `paginators-1.json` that the generator and the conformance test
 * read, as Schemas. Decoding is strict (`onExcessProperty: "error"`), so a key AWS adds to the model format
 * fails here instead of being silently ignored by the generator.
 */
import { Schema } from "effect"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { basename, join } from "node:path"
import { fileURLToPath } from "node:url"

// =============================================================================
// service-2.json
// =============================================================================

const Ref = Schema.Struct({ shape: Schema.String })

/** A structure member: its target and, for inputs, where it travels (`querystring`, `header`, `uri`...). */
export const Member = Schema.Struct({
  shape: Schema.String,
  documentation: Schema.optional(Schema.String),
  location: Schema.optional(Schema.Literal("querystring", "header", "headers", "uri", "statusCode")),
  locationName: Schema.optional(Schema.String),
  jsonvalue: Schema.optional(Schema.Boolean),
  idempotencyToken: Schema.optional(Schema.Boolean),
  timestampFormat: Schema.optional(Schema.String),
  deprecated: Schema.optional(Schema.Boolean),
  deprecatedMessage: Schema.optional(Schema.String)
})
export type Member = typeof Member.Type

/** A shape as botocore writes it: member-level Smithy traits are already folded into synthesized shapes. */
export const Shape = Schema.Struct({
  type: Schema.Literal(
    "structure",
    "string",
    "list",
    "map",
    "boolean",
    "blob",
    "integer",
    "long",
    "float",
    "double",
    "timestamp"
  ),
  documentation: Schema.optional(Schema.String),
  members: Schema.optional(Schema.Record({ key: Schema.String, value: Member })),
  required: Schema.optional(Schema.Array(Schema.String)),
  member: Schema.optional(Ref),
  key: Schema.optional(Ref),
  value: Schema.optional(Ref),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  pattern: Schema.optional(Schema.String),
  enum: Schema.optional(Schema.Array(Schema.String)),
  sensitive: Schema.optional(Schema.Boolean),
  box: Schema.optional(Schema.Boolean),
  payload: Schema.optional(Schema.String),
  timestampFormat: Schema.optional(Schema.String),
  exception: Schema.optional(Schema.Boolean),
  fault: Schema.optional(Schema.Boolean),
  error: Schema.optional(Schema.Struct({
    httpStatusCode: Schema.Number,
    senderFault: Schema.optional(Schema.Boolean),
    code: Schema.optional(Schema.String)
  })),
  retryable: Schema.optional(Schema.Struct({ throttling: Schema.Boolean })),
  deprecated: Schema.optional(Schema.Boolean),
  deprecatedMessage: Schema.optional(Schema.String)
})
export type Shape = typeof Shape.Type

export const Operation = Schema.Struct({
  name: Schema.String,
  http: Schema.Struct({ method: Schema.String, requestUri: Schema.String, responseCode: Schema.Number }),
  input: Ref,
  output: Ref,
  errors: Schema.Array(Ref),
  documentation: Schema.optional(Schema.String),
  readonly: Schema.optional(Schema.Boolean),
  idempotent: Schema.optional(Schema.Boolean)
})
export type Operation = typeof Operation.Type

export const ServiceModel = Schema.Struct({
  version: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  operations: Schema.Record({ key: Schema.String, value: Operation }),
  shapes: Schema.Record({ key: Schema.String, value: Shape }),
  documentation: Schema.optional(Schema.String)
})
export type ServiceModel = typeof ServiceModel.Type

// =============================================================================
// paginators-1.json
// =============================================================================

export const Paginator = Schema.Struct({
  input_token: Schema.String,
  output_token: Schema.String,
  limit_key: Schema.String,
  result_key: Schema.String
})
export type Paginator = typeof Paginator.Type

export const Paginators = Schema.Struct({ pagination: Schema.Record({ key: Schema.String, value: Paginator }) })
export type Paginators = typeof Paginators.Type

// =============================================================================
// Loading
// =============================================================================

/** The committed copies the generator reads by default (the newest model; see packages/domain/model/README.md). */
export const modelDir = fileURLToPath(new URL("../model/", import.meta.url))
export const MODEL_FILE = "botocore-1.43.107-socialmessaging-2024-01-01.service-2.json"
export const PAGINATORS_FILE = "botocore-socialmessaging-2024-01-01.paginators-1.json"

/** A model read from disk: the decoded content, its file name and the sha256 of its bytes. */
export interface Loaded {
  readonly model: ServiceModel
  readonly paginators: Paginators
  readonly modelFile: string
  readonly paginatorsFile: string
  readonly modelSha256: string
}

const strict = { onExcessProperty: "error" } as const

/** Reads and decodes the model and paginators (by default the committed copies). */
export const load = (
  modelPath: string = join(modelDir, MODEL_FILE),
  paginatorsPath: string = join(modelDir, PAGINATORS_FILE)
): Loaded => {
  const text = readFileSync(modelPath, "utf8")
  return {
    model: Schema.decodeUnknownSync(Schema.parseJson(ServiceModel), strict)(text),
    paginators: Schema.decodeUnknownSync(Schema.parseJson(Paginators), strict)(readFileSync(paginatorsPath, "utf8")),
    modelFile: basename(modelPath),
    paginatorsFile: basename(paginatorsPath),
    modelSha256: createHash("sha256").update(text).digest("hex")
  }
}

// =============================================================================
// botocore's rendering of Smithy traits
// =============================================================================

/**
 * botocore rewrites Smithy patterns: an anchored `^…$` loses its anchors, anything else is wrapped in
 * `.*…*`. This inverts it, so the pattern is the ECMA-262 expression Smithy has (unanchored `RegExp.test`):
 * `[0-9]+` → `^[0-9]+$`, `.*(^waba-.*$)|(^arn:…$).*` → `(^waba-.*$)|(^arn:…$)`. The conformance test checks the
 * rule on every shape the Smithy JSON also has.
 */
export const smithyPattern = (botocorePattern: string): string =>
  botocorePattern.startsWith(".*") && botocorePattern.endsWith(".*") && botocorePattern.length >= 4
    ? botocorePattern.slice(2, -2)
    : `^${botocorePattern}$`

/** botocore writes `min: 0` for a max-only Smithy `@length`; 0 is no constraint. */
export const lowerBound = (min: number | undefined): number | undefined => min === 0 ? undefined : min
