/**
 * Every domain schema agrees with the model facts (test/fixtures/model-facts.json, written by
 * scripts/model-facts.ts from the Smithy JSON plus botocore's newer members), member by member.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Effect, Option, Schema, SchemaAST } from "effect"
import { checkSimple, checkStructure, emptyReport, jsonSchemaOf, type Report } from "./support/Conformance.js"
import { facts, schemasByIdentifier, shapeFacts } from "./support/ModelFacts.js"

const shapeNames = Object.keys(facts.shapes)
const structures = shapeNames.filter((name) => shapeFacts(name).type === "structure")
const simpleWithSchema = shapeNames.filter((name) =>
  shapeFacts(name).type !== "structure" && schemasByIdentifier.has(name)
)
const memberCount = structures.reduce((n, name) => n + (shapeFacts(name).members?.length ?? 0), 0)

const checkShape = (report: Report, name: string): void => {
  const ast = schemasByIdentifier.get(name)
  if (ast === undefined) report.mismatches.push(`${name}: no domain schema has this identifier`)
  else if (shapeFacts(name).type === "structure") checkStructure(report, name, shapeFacts(name), ast)
  else checkSimple(report, name, ast)
}

/** All checks at once: what the per-shape tests below check, plus what they cover together. */
const checkAll = (): Report => {
  const report = emptyReport()
  for (const name of [...structures, ...simpleWithSchema]) checkShape(report, name)
  return report
}

describe("model facts fixture", () => {
  it("covers the nine operations, their shapes and every error shape: 71 shapes, 93 members", () => {
    expect(facts.operations.map((op) => op.name).sort()).toEqual(Object.keys(Operations.association).sort())
    expect(shapeNames.length).toBe(71)
    expect(memberCount).toBe(93)
    expect(facts.serviceErrors).toEqual(["AccessDeniedException", "ValidationException"])
  })

  it("carries the botocore-only members at botocore's position, without botocore's rewritten patterns", () => {
    const names = (shape: string) => (shapeFacts(shape).members ?? []).map((m) => m.name)
    expect(names("AssociateWhatsAppBusinessAccountOutput")).toEqual([
      "signupCallbackResult",
      "statusCode",
      "linkedWhatsAppBusinessAccountId"
    ])
    expect(names("LinkedWhatsAppBusinessAccountSummary").slice(-2)).toEqual([
      "marketingMessagesOnboardingStatus",
      "datasetId"
    ])
    expect(names("LinkedWhatsAppBusinessAccount").slice(-3)).toEqual([
      "marketingMessagesOnboardingStatus",
      "datasetId",
      "phoneNumbers"
    ])
    // Smithy's form of the alternation, not botocore's `.*(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$).*`
    expect(shapeFacts("LinkedWhatsAppBusinessAccountId").pattern).toBe("(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$)")
    expect(shapeFacts("WhatsAppDatasetId")).toMatchObject({ pattern: "^[0-9]+$", botocorePattern: "[0-9]+" })
    // Member-level constraints are part of the member's facts.
    expect(shapeFacts("Tag").members?.[0]).toMatchObject({ name: "key", required: true, length: { min: 1, max: 128 } })
  })
})

describe("domain schemas agree with the model", () => {
  for (const name of structures) {
    it(`structure ${name}`, () => {
      const report = emptyReport()
      checkShape(report, name)
      expect(report.mismatches).toEqual([])
    })
  }

  for (const name of simpleWithSchema) {
    it(`named shape ${name}`, () => {
      const report = emptyReport()
      checkShape(report, name)
      expect(report.mismatches).toEqual([])
    })
  }

  it("every shape and member of the fixture is compared", () => {
    const report = checkAll()
    expect(report.mismatches).toEqual([])
    expect([...report.shapes].sort()).toEqual([...shapeNames].sort())
    expect(report.members.size).toBe(memberCount)
  })

  it("a drifting schema is caught", () => {
    // The checker itself, on a Tag whose key allows 127 code points and whose value became required.
    const drifted = Schema.Struct({
      key: Schema.String.annotations({ jsonSchema: { minLength: 1, maxLength: 127 } }),
      value: Schema.String
    })
    const report = emptyReport()
    checkStructure(report, "Tag", shapeFacts("Tag"), drifted.ast)
    expect(report.mismatches).toEqual([
      "Tag: required members is [\"key\",\"value\"] in the schema, [\"key\"] in the model",
      "Tag.key: maxLength is 127 in the schema, 128 in the model",
      "Tag.value: maxLength is none in the schema, 256 in the model"
    ])
  })

  it("AssociateWhatsAppBusinessAccountRequest is the model input, refined", () => {
    const request = WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest
    assert.strictEqual(request.from, WhatsAppSignup.AssociateWhatsAppBusinessAccountInput)
    const report = emptyReport()
    const model = "AssociateWhatsAppBusinessAccountInput"
    checkStructure(report, model, shapeFacts(model), request.ast)
    expect(report.mismatches).toEqual([])
  })

  it("WhatsAppPhoneNumberSummary and WhatsAppPhoneNumberDetail have the same members", () => {
    const json = (name: string) => {
      const ast = schemasByIdentifier.get(name)
      return ast === undefined ? undefined : jsonSchemaOf(ast).root.node.properties
    }
    expect(json("WhatsAppPhoneNumberSummary")).toEqual(json("WhatsAppPhoneNumberDetail"))
    expect(shapeFacts("WhatsAppPhoneNumberSummary").members).toEqual(shapeFacts("WhatsAppPhoneNumberDetail").members)
  })
})

describe("the operation table agrees with the model", () => {
  for (const model of facts.operations) {
    it.effect(model.name, () =>
      Effect.gen(function*() {
        const op = yield* Effect.fromNullable(
          Object.values(Operations.association).find((candidate) => candidate.name === model.name)
        )
        expect({ method: op.method, path: op.path }).toEqual({ method: model.method, path: model.uri })
        expect(model.code).toBe(200)
        const input = shapeFacts(model.input)
        expect(op.query.map((q) => q.member)).toEqual(
          (input.members ?? []).filter((m) => m.httpQuery !== undefined).map((m) => m.name)
        )
        for (const member of input.members ?? []) {
          // the query name equals the member name everywhere in this domain
          if (member.httpQuery !== undefined) expect(member.httpQuery).toBe(member.name)
        }
        const identifier = (ast: SchemaAST.AST) => Option.getOrUndefined(SchemaAST.getIdentifierAnnotation(ast))
        const inputAst = model.input === "AssociateWhatsAppBusinessAccountInput"
          ? WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest.from.ast
          : op.input.ast
        expect(identifier(inputAst)).toBe(model.input)
        expect(identifier(op.output.ast)).toBe(model.output)
        // Errors: the model's list plus the service-wide ones, from the fixture.
        expect(op.errors).toEqual([...model.errors, ...facts.serviceErrors])
      }))
  }
})
