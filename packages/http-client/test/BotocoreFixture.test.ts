/**
 * The requests botocore 1.43.107 serialised and signed (test/fixtures/botocore-requests.json, recorded by
 * scripts/record-botocore.py) agree with the generated operation table: method, path, the query parameters
 * (names, `locationName` renames, boolean and integer values, order) and the JSON body members. Each
 * recorded input decodes with the operation's model input schema and encodes back to the same wire form, so
 * the schemas accept every value botocore accepts. The signatures themselves are for the differential test.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { errorNames } from "@social-messaging/domain/generated/Errors"
import * as Operations from "@social-messaging/domain/generated/Operations"
import { Either, Schema } from "effect"
import { fixture } from "./support/BotocoreFixture.js"

// =============================================================================
// The fixture
// =============================================================================

const entries = Operations.allOperations
const entryOf = (name: string): Operations.AnyOperationEntry => {
  const entry = entries.find((e) => e.name === name)
  if (entry === undefined) throw new Error(`no generated operation ${name}`)
  return entry
}

/** How botocore writes a query value of each binding type. */
const queryValue = (type: Operations.QueryBinding["type"], value: unknown): string =>
  type === "boolean" ? (value === true ? "true" : "false") : String(value)

const JsonBody = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

// =============================================================================
// Tests
// =============================================================================

describe("botocore's requests agree with the generated operation table", () => {
  it("cover all 38 operations, a minimal and a full input each, from botocore 1.43.107", () => {
    expect(fixture.botocore).toBe("1.43.107")
    expect(fixture.operations).toBe(38)
    const cases = new Set(fixture.requests.map((r) => `${r.operation}/${r.case}`))
    for (const entry of entries) {
      expect(cases.has(`${entry.name}/minimal`)).toBe(true)
      expect(cases.has(`${entry.name}/full`)).toBe(true)
    }
    expect(fixture.requests.length).toBe(76)
  })

  for (const record of fixture.requests) {
    it(`${record.operation} (${record.case} input)`, () => {
      const entry = entryOf(record.operation)
      const { input, request } = record
      expect(request.method).toBe(entry.method)
      expect(request.path).toBe(entry.path)
      expect(request.url).toBe(
        `https://social-messaging.${fixture.region}.amazonaws.com${entry.path}${
          request.rawQuery === "" ? "" : "?"
        }${request.rawQuery}`
      )

      // Query: the bound members present in the input, in model order, under their wire names.
      expect(request.query).toEqual(
        entry.query.filter((q) => input[q.member] !== undefined).map((
          q
        ) => [q.name, queryValue(q.type, input[q.member])])
      )
      for (const member of Object.keys(input)) {
        const bound = entry.query.some((q) => q.member === member) || entry.body.includes(member)
        expect({ member, bound }).toEqual({ member, bound: true })
      }

      // Body: the body members present, as given; `{}` when the operation has body members but none is set;
      // no body (and no Content-Type) when it has none.
      const bodyMembers = Object.fromEntries(entry.body.filter((m) => input[m] !== undefined).map((m) => [m, input[m]]))
      if (entry.body.length === 0) {
        expect(request.body).toBeNull()
        expect(request.headers["content-type"]).toBeUndefined()
      } else {
        assert(request.body !== null)
        expect(Schema.decodeUnknownSync(JsonBody)(request.body)).toEqual(bodyMembers)
        expect(request.headers["content-type"]).toBe("application/json")
      }
      expect(request.headers["x-amz-date"]).toBe("20260101T000000Z")
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260101\/us-east-1\/social-messaging\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/
      )

      // The model input schema accepts what botocore accepted, and encodes it back to the same wire form.
      const decoded = Schema.decodeUnknownEither(entry.modelInput, { onExcessProperty: "error" })(input)
      assert(Either.isRight(decoded), Either.isLeft(decoded) ? String(decoded.left) : "")
      expect(Schema.encodeSync(entry.modelInput)(decoded.right)).toEqual(input)
    })
  }
})

describe("botocore's reading of answers", () => {
  for (const record of fixture.responses) {
    it(`${record.operation}: ${record.case}`, () => {
      const entry = entryOf(record.operation)
      if (record.parsed !== undefined) {
        const body = record.response.body === null ? {} : Schema.decodeUnknownSync(JsonBody)(record.response.body)
        expect(Either.isRight(Schema.decodeUnknownEither(entry.output)(body))).toBe(true)
      } else {
        assert(record.error !== undefined)
        const declared: ReadonlyArray<string> = entry.errors
        const known: ReadonlyArray<string> = errorNames
        // botocore names the error from x-amzn-errortype (cut at ':'), else `__type` (after '#'), else `code`;
        // an undeclared or unknown name stays a plain ClientError, as an HTML 5xx does (its code the status).
        expect(record.error.exception === record.error.code).toBe(known.includes(record.error.code))
        if (known.includes(record.error.code)) expect(declared).toContain(record.error.code)
      }
    })
  }
})
