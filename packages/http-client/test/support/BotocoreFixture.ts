/**
 * The botocore fixture (`fixtures/botocore-requests.json`, recorded by `scripts/record-botocore.py`), decoded
 * strictly: botocore 1.43.107's serialised and signed request for a minimal and a full input of every
 * operation, with the inputs in wire form, and how botocore read a few answers.
 */
import { Schema } from "effect"
import { readFileSync } from "node:fs"

const Json = Schema.Unknown

/** A request as botocore would have sent it (the unstable headers dropped before signing). */
export const Recorded = Schema.Struct({
  method: Schema.String,
  url: Schema.String,
  path: Schema.String,
  rawQuery: Schema.String,
  query: Schema.Array(Schema.Tuple(Schema.String, Schema.String)),
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  body: Schema.NullOr(Schema.String)
})
export type Recorded = typeof Recorded.Type

export const Fixture = Schema.Struct({
  $comment: Schema.String,
  botocore: Schema.String,
  region: Schema.String,
  accessKeyId: Schema.String,
  secretAccessKey: Schema.String,
  signingDate: Schema.String,
  droppedHeaders: Schema.Array(Schema.String),
  operations: Schema.Number,
  requests: Schema.Array(Schema.Struct({
    operation: Schema.String,
    case: Schema.Literal("minimal", "full"),
    /** The input in wire form (what the domain's schemas encode to: blobs as base64). */
    input: Schema.Record({ key: Schema.String, value: Json }),
    request: Recorded
  })),
  responses: Schema.Array(Schema.Struct({
    operation: Schema.String,
    case: Schema.String,
    response: Schema.Struct({
      status: Schema.Number,
      headers: Schema.Record({ key: Schema.String, value: Schema.String }),
      body: Schema.NullOr(Schema.String)
    }),
    parsed: Schema.optional(Json),
    error: Schema.optional(Schema.Struct({
      code: Schema.String,
      message: Schema.String,
      exception: Schema.String,
      httpStatus: Schema.Number
    }))
  }))
})
export type Fixture = typeof Fixture.Type

/** The committed fixture. */
export const fixture: Fixture = Schema.decodeUnknownSync(Schema.parseJson(Fixture), { onExcessProperty: "error" })(
  readFileSync(new URL("../fixtures/botocore-requests.json", import.meta.url), "utf8")
)

/** The recorded input of an operation's case. */
export const recordedInput = (operation: string, kind: "minimal" | "full"): Readonly<Record<string, unknown>> => {
  const record = fixture.requests.find((r) => r.operation === operation && r.case === kind)
  if (record === undefined) throw new Error(`the botocore fixture has no ${kind} input of ${operation}`)
  return record.input
}
