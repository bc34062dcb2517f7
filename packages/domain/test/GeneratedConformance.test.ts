/**
 * The generated schemas cover the newest model, shape by shape and member by member: every one of its shapes
 * has a schema named after it whose constraints, secrets, brands, enums, timestamps and blobs are the model's
 * (after the decisions of scripts/overrides.ts), every structure member points at its target's schema, and
 * every operation's binding, errors and pagination are the model's. Expectations are derived here from the
 * model directly (read by the generator's own decoder), not from the generator's code.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as GeneratedErrors from "@social-messaging/domain/generated/Errors"
import * as GeneratedOperations from "@social-messaging/domain/generated/Operations"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Operations from "@social-messaging/domain/Operations"
import { Either, Option, Redacted, Schema, SchemaAST } from "effect"
import { load, lowerBound, type Shape, smithyPattern } from "../scripts/botocore-model.js"
import { overrides } from "../scripts/overrides.js"
import { ModelConstraintId, withoutModelConstraints } from "../src/internal/constraints.js"
import { BlobLengthId } from "../src/internal/shapes.js"
import { checkStructure, emptyReport as emptyFactsReport } from "./support/Conformance.js"
import { facts as domainFacts, shapeFacts } from "./support/ModelFacts.js"

const { model, paginators } = load()
const shapeNames = Object.keys(model.shapes).sort()
const shapeOf = (name: string): Shape => {
  const shape = model.shapes[name]
  if (shape === undefined) throw new Error(`no model shape ${name}`)
  return shape
}

// =============================================================================
// Expectations from the model
// =============================================================================

const targets = (shape: Shape): ReadonlyArray<string> => [
  ...(shape.member === undefined ? [] : [shape.member.shape]),
  ...(shape.key === undefined ? [] : [shape.key.shape]),
  ...(shape.value === undefined ? [] : [shape.value.shape]),
  ...Object.values(shape.members ?? {}).map((m) => m.shape)
]

const usedOn = (side: "input" | "output" | "error"): ReadonlySet<string> => {
  const seen = new Set<string>()
  const walk = (name: string): void => {
    if (seen.has(name)) return
    seen.add(name)
    targets(shapeOf(name)).forEach(walk)
  }
  for (const op of Object.values(model.operations)) {
    if (side === "error") op.errors.forEach((e) => walk(e.shape))
    else walk(side === "input" ? op.input.shape : op.output.shape)
  }
  return seen
}
const onInput = usedOn("input")
const onOutput = usedOn("output")
const onError = usedOn("error")

const isOpenEnum = (name: string): boolean =>
  shapeOf(name).enum !== undefined && onOutput.has(name) && !overrides.closedOnOutput.includes(name)
const containsOpenEnum = (name: string): boolean => isOpenEnum(name) || targets(shapeOf(name)).some(containsOpenEnum)
/** Shapes that have an `…Output` twin: open enums, and shapes used both ways that contain one. */
const hasOutputTwin = (name: string): boolean =>
  isOpenEnum(name) || (onInput.has(name) && onOutput.has(name) && containsOpenEnum(name))

const isSecret = (name: string): boolean => shapeOf(name).sensitive === true || overrides.extraSecrets.includes(name)

// =============================================================================
// Reading a schema's AST
// =============================================================================

const exported: Readonly<Record<string, unknown>> = Shapes
const schemaNamed = (name: string): Schema.Schema.AnyNoContext => {
  const value = exported[name]
  if (!Schema.isSchema(value)) throw new Error(`Shapes.${name} is not a schema`)
  return value as Schema.Schema.AnyNoContext
}
const astOf = (name: string): SchemaAST.AST => schemaNamed(name).ast

const typeConstructor = (ast: SchemaAST.AST): string | undefined =>
  Option.getOrUndefined(Option.map(SchemaAST.getTypeConstructorAnnotation(ast), (a) => a._tag))

interface Read {
  /** the node under refinements, secrets and the blob/timestamp transformations */
  readonly base: SchemaAST.AST
  readonly constraints: Readonly<Record<string, unknown>>
  readonly bytes: { readonly min?: number | undefined; readonly max?: number | undefined } | undefined
  readonly redacted: boolean
  readonly brands: ReadonlyArray<string | symbol>
  readonly integer: boolean
  readonly special: "timestamp" | "blob" | undefined
}

const read = (ast: SchemaAST.AST): Read => {
  let node = ast
  let redacted = false
  let integer = false
  let special: Read["special"]
  let bytes: Read["bytes"]
  const constraints: Record<string, unknown> = {}
  const brands: Array<string | symbol> = []
  for (;;) {
    if (SchemaAST.isRefinement(node)) {
      const jsonSchema = Option.getOrUndefined(SchemaAST.getJSONSchemaAnnotation(node))
      if (node.annotations[ModelConstraintId] === true) Object.assign(constraints, jsonSchema)
      if (BlobLengthId in node.annotations) bytes = node.annotations[BlobLengthId] as Read["bytes"]
      if (jsonSchema !== undefined && "type" in jsonSchema && jsonSchema.type === "integer") integer = true
      brands.push(...Option.getOrElse(SchemaAST.getBrandAnnotation(node), () => []))
      node = node.from
      continue
    }
    if (SchemaAST.isTransformation(node)) {
      const to = typeConstructor(node.to)
      if (to === "effect/Redacted" && !redacted) {
        redacted = true
        node = node.from
        continue
      }
      if (to === "effect/DateTime.Utc") special = "timestamp"
      else if (to === "Uint8Array") special = "blob"
    }
    // a brand without a filter annotates the node itself
    brands.push(...Option.getOrElse(SchemaAST.getBrandAnnotation(node), () => []))
    break
  }
  return { base: node, constraints, bytes, redacted, brands, integer, special }
}

const identifierOf = (ast: SchemaAST.AST): string | undefined =>
  Option.getOrUndefined(SchemaAST.getIdentifierAnnotation(ast))

// =============================================================================
// Checking one shape
// =============================================================================

interface Report {
  readonly mismatches: Array<string>
  readonly members: Set<string>
}

/** JSON with object keys sorted, so constraint order does not matter. */
const canonical = (u: unknown): string =>
  JSON.stringify(u, (_, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : 1))
      : v)

const same = (report: Report, where: string, what: string, actual: unknown, expected: unknown): void => {
  if (canonical(actual) !== canonical(expected)) {
    report.mismatches.push(`${where}: ${what} is ${canonical(actual)}, the model says ${canonical(expected)}`)
  }
}

const bounds = (lo: string, hi: string, min: number | undefined, max: number | undefined) => ({
  ...(min === undefined ? {} : { [lo]: min }),
  ...(max === undefined ? {} : { [hi]: max })
})

/** Checks `Shapes[exportName]` against model shape `name`; `side` picks how references resolve. */
const checkShape = (report: Report, name: string, exportName: string, side: "input" | "output"): void => {
  const shape = shapeOf(name)
  const ast = astOf(exportName)
  const where = exportName
  const ref = (target: string) => side === "output" && hasOutputTwin(target) ? astOf(`${target}Output`) : astOf(target)
  same(report, where, "identifier", identifierOf(ast), exportName)
  const r = read(ast)
  same(report, where, "Redacted", r.redacted, isSecret(name))
  const brand = overrides.brands.includes(name)
  same(report, where, "brands", r.brands, brand ? [name] : [])
  switch (shape.type) {
    case "string": {
      if (shape.enum !== undefined) {
        const literals = SchemaAST.isUnion(r.base) ? r.base.types : [r.base]
        same(
          report,
          where,
          "enum",
          literals.map((l) => SchemaAST.isLiteral(l) ? l.literal : `<${l._tag}>`),
          shape.enum
        )
        return
      }
      same(report, where, "base", r.base._tag, "StringKeyword")
      same(report, where, "constraints", r.constraints, {
        // A service-issued token keeps its length as a fact (marked: not enforced on input; see Mutations.test.ts).
        ...bounds("minLength", "maxLength", lowerBound(shape.min), shape.max),
        ...(shape.pattern === undefined ? {} : { pattern: smithyPattern(shape.pattern) })
      })
      return
    }
    case "boolean":
      same(report, where, "base", r.base._tag, "BooleanKeyword")
      return
    case "integer":
    case "long":
      same(report, where, "integer", r.integer, true)
      same(report, where, "range", r.constraints, bounds("minimum", "maximum", shape.min, shape.max))
      return
    case "float":
    case "double":
      same(report, where, "base", r.base._tag, "NumberKeyword")
      same(report, where, "range", r.constraints, bounds("minimum", "maximum", shape.min, shape.max))
      return
    case "timestamp":
      same(report, where, "kind", r.special, "timestamp")
      same(report, where, "wire type", SchemaAST.encodedAST(ast)._tag, "NumberKeyword") // epoch seconds
      return
    case "blob": {
      same(report, where, "kind", r.special, "blob")
      const min = lowerBound(shape.min)
      same(
        report,
        where,
        "bytes",
        r.bytes,
        min === undefined && shape.max === undefined ? undefined : { min, max: shape.max }
      )
      same(report, where, "wire type", SchemaAST.encodedAST(ast)._tag, "StringKeyword")
      return
    }
    case "list": {
      same(report, where, "items", r.constraints, bounds("minItems", "maxItems", lowerBound(shape.min), shape.max))
      const element = SchemaAST.isTupleType(r.base) ? r.base.rest[0]?.type : undefined
      if (element !== ref(shape.member?.shape ?? "")) {
        report.mismatches.push(
          `${where}: items are not ${side === "output" ? "the open form of " : ""}${shape.member?.shape}`
        )
      }
      return
    }
    case "map": {
      same(
        report,
        where,
        "entries",
        r.constraints,
        bounds("minProperties", "maxProperties", lowerBound(shape.min), shape.max)
      )
      const signature = SchemaAST.isTypeLiteral(r.base) ? r.base.indexSignatures[0] : undefined
      if (signature?.parameter !== ref(shape.key?.shape ?? "")) report.mismatches.push(`${where}: wrong key schema`)
      if (signature?.type !== ref(shape.value?.shape ?? "")) report.mismatches.push(`${where}: wrong value schema`)
      return
    }
    case "structure": {
      if (!SchemaAST.isTypeLiteral(r.base)) {
        report.mismatches.push(`${where}: not a struct`)
        return
      }
      const members = Object.entries(shape.members ?? {})
      same(report, where, "members (in order)", r.base.propertySignatures.map((p) => p.name), members.map(([m]) => m))
      for (const [memberName, member] of members) {
        const property = r.base.propertySignatures.find((p) => p.name === memberName)
        if (property === undefined) continue
        report.members.add(`${exportName}.${memberName}`)
        same(
          report,
          `${where}.${memberName}`,
          "optional",
          property.isOptional,
          !(shape.required ?? []).includes(memberName)
        )
        if (property.type !== ref(member.shape)) {
          report.mismatches.push(
            `${where}.${memberName}: the schema is ${
              identifierOf(property.type)
            }, the model's target is ${member.shape}`
          )
        }
      }
      return
    }
  }
}

const emptyReport = (): Report => ({ mismatches: [], members: new Set() })
const primarySide = (name: string): "input" | "output" => onOutput.has(name) && !onInput.has(name) ? "output" : "input"

// =============================================================================
// Tests
// =============================================================================

describe("generated shapes cover the newest model", () => {
  it("the model has 38 operations and 259 shapes; every shape is reached by an operation", () => {
    expect(Object.keys(model.operations).length).toBe(38)
    expect(shapeNames.length).toBe(259)
    for (const name of shapeNames) {
      expect({ name, used: onInput.has(name) || onOutput.has(name) || onError.has(name) }).toEqual({ name, used: true })
    }
  })

  for (const name of shapeNames) {
    it(`${shapeOf(name).type} ${name}`, () => {
      const report = emptyReport()
      checkShape(report, name, name, primarySide(name))
      if (hasOutputTwin(name) && !isOpenEnum(name)) checkShape(report, name, `${name}Output`, "output")
      expect(report.mismatches).toEqual([])
    })
  }

  it("every structure member of every shape is compared", () => {
    const report = emptyReport()
    for (const name of shapeNames) checkShape(report, name, name, primarySide(name))
    expect(report.mismatches).toEqual([])
    const memberCount = shapeNames.reduce((n, name) => n + Object.keys(shapeOf(name).members ?? {}).length, 0)
    expect(report.members.size).toBe(memberCount)
    expect(memberCount).toBe(326)
  })

  it("exports nothing but the model's shapes, their enum values, their open `…Output` forms and the secret names", () => {
    // secretMemberNames: the names of members secret wherever they occur (SecretsFromSchemas.test.ts checks them)
    const expected = new Set<string>(["secretMemberNames"])
    for (const name of shapeNames) {
      expected.add(name)
      if (shapeOf(name).enum !== undefined) expected.add(`${name}Values`)
      if (hasOutputTwin(name)) expected.add(`${name}Output`)
    }
    expect(Object.keys(Shapes).sort()).toEqual([...expected].sort())
    expect([...expected].filter((n) => n.endsWith("Output") && !shapeNames.includes(n)).sort()).toEqual([
      "MetaFlowCategoryListOutput",
      "MetaFlowCategoryOutput",
      "RegistrationStatusOutput",
      "WhatsAppCallHoursOutput",
      "WhatsAppCallSettingsOutput",
      "WhatsAppDayOfWeekOutput",
      "WhatsAppWeeklyOperatingHoursEntryOutput",
      "WhatsAppWeeklyOperatingHoursListOutput"
    ])
  })

  it("an open enum is the closed one or a branded unknown string, and outputs use it", () => {
    for (const name of shapeNames.filter(isOpenEnum)) {
      const union = astOf(`${name}Output`)
      assert(SchemaAST.isUnion(union))
      expect(union.types[0]).toBe(astOf(name))
      expect(read(union.types[1] ?? union).brands).toEqual([`Unknown${name}`])
    }
    const flow = { flowId: "1", flowName: "f", flowStatus: "DRAFT", validationErrors: [] }
    const flows = { flows: [{ ...flow, flowCategories: ["SIGN_UP", "NEW_ONE"] }] }
    expect(Either.isRight(Schema.decodeUnknownEither(Shapes.ListWhatsAppFlowsOutput)(flows))).toBe(true)
    const create = { id: "waba-1", flowName: "f", categories: ["NEW_ONE"] }
    expect(Either.isLeft(Schema.decodeUnknownEither(Shapes.CreateWhatsAppFlowInput)(create))).toBe(true)
  })

  it("the sensitive members are Redacted: 9 model shapes plus Meta's access token", () => {
    expect(shapeNames.filter(isSecret)).toEqual([
      "AssociateInProgressToken",
      "S3File",
      "S3PresignedUrl",
      "TwoFactorPin",
      "WhatsAppBusinessScopedUserId",
      "WhatsAppCallEventBlob",
      "WhatsAppConversionEventBlob",
      "WhatsAppDestinationPhoneNumber",
      "WhatsAppMessageBlob",
      "WhatsAppSignupCallbackAccessTokenString"
    ])
    const input = Schema.decodeUnknownSync(Shapes.SendWhatsAppMessageInput)({
      originationPhoneNumberId: "phone-number-id-1",
      message: "eyJ0eXBlIjoidGV4dCJ9",
      metaApiVersion: "v20.0"
    })
    assert(Redacted.isRedacted(input.message))
    expect(new TextDecoder().decode(Redacted.value(input.message))).toBe("{\"type\":\"text\"}")
    expect(String(input.message)).not.toContain("text")
  })

  it("blob lengths count bytes of the decoded value", () => {
    const decode = Schema.decodeUnknownEither(Shapes.MetaTemplateComponents)
    expect(Either.isRight(decode(btoa("x".repeat(3000))))).toBe(true)
    expect(Either.isLeft(decode(btoa("x".repeat(3001))))).toBe(true)
    expect(Either.isLeft(decode(""))).toBe(true)
  })

  it("withoutModelConstraints strips every generated constraint (lenient output decoding), types stay", () => {
    const lenient = Schema.make<unknown, unknown, never>(withoutModelConstraints(Shapes.ListWhatsAppFlowsOutput.ast))
    const flow = {
      flowId: "x",
      flowName: "n".repeat(201),
      flowStatus: "DRAFT",
      validationErrors: [],
      flowCategories: []
    }
    expect(Either.isLeft(Schema.decodeUnknownEither(Shapes.ListWhatsAppFlowsOutput)({ flows: [flow] }))).toBe(true)
    expect(Either.isRight(Schema.decodeUnknownEither(lenient)({ flows: [flow] }))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(lenient)({ flows: [{ ...flow, flowName: 1 }] }))).toBe(true)
    const blob = Schema.make<unknown, unknown, never>(withoutModelConstraints(Shapes.WhatsAppMessageBlob.ast))
    const decoded = Schema.decodeUnknownSync(blob)("")
    assert(Redacted.isRedacted(decoded))
  })

  it("service-issued tokens are accepted exactly as received (what the client validates with)", () => {
    const decode = Schema.decodeUnknownEither(Operations.ListWhatsAppFlows.wireInput)
    expect(Either.isRight(decode({ id: "waba-1", nextToken: "t".repeat(601) }))).toBe(true)
    expect(Either.isRight(decode({ id: "waba-1", nextToken: "" }))).toBe(true)
  })

  it("un-rewrites botocore's patterns into the Smithy JSON's, on every shape both have (model-facts.json)", () => {
    const compared = Object.entries(domainFacts.shapes).filter(([, f]) =>
      f.pattern !== undefined && f.patternSource !== "botocore, un-rewritten"
    )
    expect(compared.length).toBeGreaterThan(5)
    for (const [name, f] of compared) {
      const botocorePattern = shapeOf(name).pattern
      expect({ name, pattern: botocorePattern === undefined ? undefined : smithyPattern(botocorePattern) }).toEqual({
        name,
        pattern: f.pattern
      })
    }
  })
})

describe("generated shapes pass the hand-written domain's model-facts check (Smithy JSON + botocore 1.43.65)", () => {
  it("all 71 shapes and 93 members of the nine association operations, but for the deliberate differences", () => {
    const report = emptyFactsReport()
    for (const name of Object.keys(domainFacts.shapes)) {
      if (shapeFacts(name).type === "structure") checkStructure(report, name, shapeFacts(name), astOf(name))
    }
    expect(report.shapes.size).toBe(71)
    expect(report.members.size).toBe(93)
    // (callSettings, newer than the facts, is named in support/Conformance.ts)
    expect(report.mismatches).toEqual([])
  })
})

describe("generated operations are the model's", () => {
  const entries = GeneratedOperations.allOperations

  it("all 38, five of them pageable", () => {
    expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(model.operations).sort())
    expect(entries.filter((e) => e.pagination !== undefined).map((e) => e.name).sort()).toEqual(
      Object.keys(paginators.pagination).sort()
    )
  })

  for (const [name, op] of Object.entries(model.operations)) {
    it(name, () => {
      const entry = entries.find((e) => e.name === name)
      assert(entry !== undefined)
      const input = shapeOf(op.input.shape)
      const members = Object.entries(input.members ?? {})
      const queryType = (target: string) => {
        const t = shapeOf(target).type
        return t === "long" ? "integer" : t
      }
      expect({
        method: entry.method,
        path: entry.path,
        responseCode: entry.responseCode,
        query: entry.query,
        labels: entry.labels,
        headers: entry.headers,
        payload: entry.payload,
        body: entry.body,
        readonly: entry.readonly,
        idempotent: entry.idempotent
      }).toEqual({
        method: op.http.method,
        path: op.http.requestUri,
        responseCode: op.http.responseCode,
        query: members.filter(([, m]) => m.location === "querystring").map(([member, m]) => ({
          member,
          name: m.locationName ?? member,
          type: queryType(m.shape)
        })),
        labels: [],
        headers: [],
        payload: undefined,
        body: members.filter(([, m]) => m.location === undefined).map(([member]) => member),
        readonly: op.readonly === true,
        idempotent: op.idempotent === true
      })
      expect(entry.modelInput.ast).toBe(astOf(op.input.shape))
      if (overrides.inputs[name] === undefined) expect(entry.input.ast).toBe(astOf(op.input.shape))
      expect(entry.output.ast).toBe(astOf(op.output.shape))
      const modelErrors = op.errors.map((e) => e.shape)
      expect([...entry.errors].sort()).toEqual([...modelErrors].sort())
      expect(entry.errors.slice(-2)).toEqual(overrides.serviceErrors)
      const paginator = paginators.pagination[name]
      expect(entry.pagination).toEqual(
        paginator === undefined ? undefined : {
          inputToken: paginator.input_token,
          outputToken: paginator.output_token,
          limitKey: paginator.limit_key,
          resultKey: paginator.result_key
        }
      )
    })
  }

  it("DeleteWhatsAppMessageTemplate sends deleteAllLanguages as deleteAllTemplates (the one renamed member)", () => {
    const renamed = entries.flatMap((e) =>
      e.query.filter((q) => q.member !== q.name).map((q) => `${e.name}.${q.member}=${q.name}`)
    )
    expect(renamed).toEqual(["DeleteWhatsAppMessageTemplate.deleteAllLanguages=deleteAllTemplates"])
  })
})

describe("generated errors are the model's", () => {
  it("every error shape, classified", () => {
    const errors = shapeNames.filter((name) => shapeOf(name).exception === true)
    expect(GeneratedErrors.errorNames).toEqual(errors)
    for (const name of errors) {
      const shape = shapeOf(name)
      expect({ name, ...GeneratedErrors.errorShapes[name as GeneratedErrors.ErrorName] }).toEqual({
        name,
        httpStatus: shape.error?.httpStatusCode,
        fault: shape.fault === true ? "server" : "client",
        retryable: shape.retryable !== undefined && !overrides.neverRetried.includes(name),
        throttling: shape.retryable?.throttling === true || overrides.throttling.includes(name)
      })
    }
    expect(GeneratedErrors.errorShapes.LimitExceededException.retryable).toBe(false)
    expect(GeneratedErrors.errorShapes.ThrottledRequestException).toMatchObject({ retryable: true, throttling: true })
  })
})
