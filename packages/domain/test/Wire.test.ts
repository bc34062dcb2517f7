/**
 * `Wire.toWire` and `Wire.fromWire` are inverses: for every operation, every valid input (`Arbitrary.make` of
 * its input schema), encoded and written as a request, read back from the request line and body a server sees,
 * is the same encoded input, and decodes to the same value. Path labels, headers, list and timestamp query
 * members and payloads, which no operation of this model binds yet, are checked on an operation made up for it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import * as Wire from "@social-messaging/domain/Wire"
import { Arbitrary, Effect, Either, Schema, SchemaAST } from "effect"

/** Runs per operation: 38 properties in a few seconds on a loaded 2-core machine. */
const NUM_RUNS = 30

/** What a server receives of `request`: the path and query string parsed back from the request line. */
const received = (request: Wire.Request): Wire.Received => {
  const search = Wire.queryString(request.query)
  const line = search === "" ? request.path : `${request.path}?${search}`
  const queryAt = line.indexOf("?")
  return {
    path: queryAt === -1 ? line : line.slice(0, queryAt),
    query: Wire.parseQuery(queryAt === -1 ? "" : line.slice(queryAt + 1)),
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: request.body
  }
}

const fromWire = (operation: Operations.AnyOperationEntry, request: Wire.Request): unknown => {
  const back = Wire.fromWire(operation, received(request))
  if (Either.isLeft(back)) assert.fail(`fromWire refused ${operation.name}: ${back.left.reason}`)
  return back.right
}

const sameValue = <A, I>(schema: Schema.Schema<A, I>, a: A, b: A): void => {
  if (SchemaAST.isTypeLiteral(schema.ast) && schema.ast.propertySignatures.length === 0) assert.deepStrictEqual(a, b)
  else assert.isTrue(Schema.equivalence(schema)(a, b))
}

const inverse = (op: Operations.AnyOperationEntry) =>
  it.effect.prop(
    `${op.name}: fromWire(toWire(input)) is the input`,
    [Arbitrary.make(op.input)],
    ([value]) =>
      Effect.gen(function*() {
        // What `Operations.encodeInput` and `decodeInput` do, over the table's untyped entries.
        const encoded = yield* Schema.encode(op.wireInput, Operations.validationOptions)(value)
        const request = Wire.toWire(op, encoded)
        assert.strictEqual(request.method, op.method)
        assert.strictEqual(request.body === undefined, op.body.length === 0)
        const back = fromWire(op, request)
        // The JSON text of the encoded input: what a body holds (no `undefined`, `-0` as `0`).
        assert.deepStrictEqual(back, JSON.parse(JSON.stringify(encoded)))
        sameValue(op.input, value, yield* Schema.decodeUnknown(op.wireInput, Operations.validationOptions)(back))
      }),
    { fastCheck: { numRuns: NUM_RUNS } }
  )

describe("Wire over every operation", () => {
  for (const op of Object.values(Operations.operations)) inverse(op)

  it("writes query members under their query names, sorted, with no body for GET and DELETE", () => {
    const request = Wire.toWire(Operations.DeleteWhatsAppMessageTemplate, {
      id: "waba-1",
      templateName: "a b",
      deleteAllLanguages: true
    })
    assert.deepStrictEqual(request, {
      method: "DELETE",
      path: "/v1/whatsapp/template",
      query: { id: "waba-1", templateName: "a b", deleteAllTemplates: "true" },
      headers: {},
      body: undefined
    })
    assert.strictEqual(Wire.queryString(request.query), "deleteAllTemplates=true&id=waba-1&templateName=a%20b")
  })

  it("reads values that are not what their type says as text, for the schema to refuse by name", () => {
    const back = Wire.fromWire(Operations.ListLinkedWhatsAppBusinessAccounts, {
      path: "/v1/whatsapp/waba/list",
      query: { maxResults: "ten", nextToken: ["a", "b"] },
      headers: {},
      body: undefined
    })
    assert.deepStrictEqual(back, Either.right({ maxResults: "ten", nextToken: "a" }))
  })

  it("refuses a body that is not a JSON object, and reads a blank one as none", () => {
    const read = (body: string) =>
      Wire.fromWire(Operations.TagResource, { path: "/v1/tags/tag-resource", query: {}, headers: {}, body })
    const reason = (body: string) => Either.match(read(body), { onLeft: (l) => l.reason, onRight: () => "read" })
    assert.strictEqual(reason("{"), "not JSON")
    assert.strictEqual(reason("[1]"), "not a JSON object")
    assert.strictEqual(reason("null"), "not a JSON object")
    assert.deepStrictEqual(read("  "), Either.right({}))
    // Members the operation does not bind stay, so the input schema refuses them by name.
    assert.deepStrictEqual(read("{\"extra\":1}"), Either.right({ extra: 1 }))
  })
})

// =============================================================================
// The bindings no operation of this model uses yet
// =============================================================================

const madeUp: Operations.AnyOperationEntry = {
  ...Operations.TagResource,
  method: "PUT",
  path: "/v1/things/{thingId}/files/{key+}",
  labels: [{ member: "thingId", name: "thingId", greedy: false }, { member: "key", name: "key", greedy: true }],
  query: [
    { member: "tags", name: "tag", type: "list" },
    { member: "since", name: "since", type: "timestamp" },
    { member: "count", name: "count", type: "integer" }
  ],
  headers: [{ member: "trace", name: "X-Trace-Id" }],
  payload: "document",
  body: []
}

const MadeUpInput = Schema.Struct({
  thingId: Schema.NonEmptyString,
  key: Schema.NonEmptyString.pipe(Schema.filter((s) => !s.startsWith("/") && !s.endsWith("/") && !s.includes("//"))),
  tags: Schema.optionalWith(Schema.NonEmptyArray(Schema.String), { exact: true }),
  since: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 4_000_000_000)), { exact: true }),
  count: Schema.optionalWith(Schema.Int, { exact: true }),
  trace: Schema.optionalWith(Schema.String, { exact: true }),
  document: Schema.optionalWith(Schema.Struct({ title: Schema.String, pages: Schema.Int }), { exact: true })
})

describe("Wire bindings", () => {
  it.prop("labels, headers, list and timestamp query members and a payload go there and back", [
    Arbitrary.make(MadeUpInput)
  ], ([input]) => {
    const request = Wire.toWire(madeUp, input)
    assert.isFalse(request.path.includes("{"))
    assert.deepStrictEqual(fromWire(madeUp, request), JSON.parse(JSON.stringify(input)))
  }, { fastCheck: { numRuns: 200 } })

  it("fills labels percent-encoded (a greedy one keeps its slashes) and writes timestamps as ISO 8601", () => {
    const request = Wire.toWire(madeUp, {
      thingId: "a/b c",
      key: "x/y z",
      tags: ["p", "q"],
      since: 1718000000,
      trace: "t-1",
      document: { title: "T", pages: 2 }
    })
    assert.strictEqual(request.path, "/v1/things/a%2Fb%20c/files/x/y%20z")
    assert.deepStrictEqual(request.query, { tag: ["p", "q"], since: "2024-06-10T06:13:20.000Z" })
    assert.strictEqual(Wire.queryString(request.query), "since=2024-06-10T06%3A13%3A20.000Z&tag=p&tag=q")
    assert.deepStrictEqual(request.headers, { "X-Trace-Id": "t-1" })
    assert.strictEqual(request.body, "{\"title\":\"T\",\"pages\":2}")
  })

  it("a payload member that is absent sends no body, and a blank body reads as none", () => {
    const request = Wire.toWire(madeUp, { thingId: "t", key: "k" })
    assert.strictEqual(request.body, undefined)
    assert.deepStrictEqual(fromWire(madeUp, request), { thingId: "t", key: "k" })
  })
})
