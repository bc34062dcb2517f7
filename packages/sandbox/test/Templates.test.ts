/**
 * Templates in the engine: seeded templates, create → PENDING → APPROVED / REJECTED on the Clock, paging,
 * get by id or name, Meta's edit rules, delete one language or all, the library, each declared error.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, TestClock } from "effect"
import { bytes, failure, jsonBytes, linkedEngine } from "./support/Linked.js"

const definition = (name: string, language = "en_US", extra: Record<string, unknown> = {}) =>
  jsonBytes({ name, language, category: "UTILITY", components: [{ type: "BODY", text: "Hello {{1}}" }], ...extra })

const templateId = Shapes.MetaTemplateId.make

describe("Templates", () => {
  it.effect("a linked WABA has Meta's templates; a new one is PENDING, then APPROVED or REJECTED after the review delay", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine({ templateReviewDelay: "10 seconds" })
      const seeded = yield* engine.listWhatsAppMessageTemplates({ id })
      assert.deepStrictEqual(seeded.templates?.map((t) => [t.templateName, t.templateStatus]), [
        ["hello_world", "APPROVED"],
        ["order_update", "APPROVED"],
        ["rejected_spring_sale", "REJECTED"]
      ])
      const created = yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("welcome") })
      assert.strictEqual(created.templateStatus, "PENDING")
      assert.strictEqual(created.category, "UTILITY")
      const bad = yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("rejected_offer") })
      const status = (metaTemplateId: string | undefined) =>
        Effect.map(
          engine.getWhatsAppMessageTemplate({ id, metaTemplateId: templateId(metaTemplateId ?? "") }),
          ({ template }) => JSON.parse(template ?? "{}").status
        )
      assert.strictEqual(yield* status(created.metaTemplateId), "PENDING")
      yield* TestClock.adjust("9 seconds")
      assert.strictEqual(yield* status(created.metaTemplateId), "PENDING")
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* status(created.metaTemplateId), "APPROVED")
      assert.strictEqual(yield* status(bad.metaTemplateId), "REJECTED")
    }))

  it.effect("lists in pages; gets by id or by name and language", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine({ defaultPageSize: 2 })
      yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("greeting", "en_US") })
      yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("greeting", "de") })
      const first = yield* engine.listWhatsAppMessageTemplates({ id })
      assert.strictEqual(first.templates?.length, 2)
      assert.isDefined(first.nextToken)
      const second = yield* engine.listWhatsAppMessageTemplates({ id, nextToken: first.nextToken, maxResults: 10 })
      assert.deepStrictEqual(second.templates?.map((t) => `${t.templateName}/${t.templateLanguage}`), [
        "rejected_spring_sale/en_US",
        "greeting/en_US",
        "greeting/de"
      ])
      assert.isUndefined(second.nextToken)
      const bad = yield* failure(engine.listWhatsAppMessageTemplates({ id, nextToken: "made-up" }))
      assert.strictEqual(bad._tag, "InvalidParametersException")
      const german = yield* engine.getWhatsAppMessageTemplate({
        id,
        templateName: "greeting",
        templateLanguageCode: "de"
      })
      assert.strictEqual(JSON.parse(german.template ?? "{}").language, "de")
      const ambiguous = yield* failure(engine.getWhatsAppMessageTemplate({ id, templateName: "greeting" }))
      assert.strictEqual(ambiguous._tag, "InvalidParametersException")
      const missing = yield* failure(engine.getWhatsAppMessageTemplate({ id, templateName: "nope" }))
      assert.strictEqual(missing._tag, "ResourceNotFoundException")
      const neither = yield* failure(engine.getWhatsAppMessageTemplate({ id }))
      assert.strictEqual(neither._tag, "InvalidParametersException")
    }))

  it.effect("refuses bad definitions (ValidationException) and account rules (InvalidParametersException)", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const create = (templateDefinition: Uint8Array) =>
        failure(engine.createWhatsAppMessageTemplate({ id, templateDefinition }))
      for (
        const [blob, tag, text] of [
          [bytes("not json"), "ValidationException", "templateDefinition"],
          [definition("Has Spaces"), "ValidationException", "name"],
          [
            jsonBytes({ name: "x", language: "en_US", category: "UTILITY", components: [] }),
            "ValidationException",
            "BODY"
          ],
          [definition("x", "en_US", { parameter_format: "weird" }), "ValidationException", "parameter_format"],
          [definition("x", "xx_XX"), "InvalidParametersException", "language"],
          [definition("x", "en_US", { category: "GOSSIP" }), "InvalidParametersException", "category"],
          [definition("hello_world"), "InvalidParametersException", "already exists"]
        ] as const
      ) {
        const error = yield* create(blob)
        assert.strictEqual(error._tag, tag)
        assert.include(error.message ?? "", text)
      }
      const unknownWaba = yield* failure(engine.createWhatsAppMessageTemplate({
        id: Shapes.LinkedWhatsAppBusinessAccountId.make("waba-0"),
        templateDefinition: definition("x")
      }))
      assert.strictEqual(unknownWaba._tag, "ResourceNotFoundException")
      yield* engine.setMetaStatus(id, "accessRevoked")
      assert.strictEqual((yield* create(definition("y")))._tag, "AccessDeniedByMetaException")
      yield* engine.setMetaStatus(id, "unavailable")
      assert.strictEqual((yield* create(definition("y")))._tag, "DependencyException")
    }))

  it.effect("update: not while PENDING, not the category of an approved one, once per 24 h; back to review", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine({ templateReviewDelay: "1 minute" })
      const { metaTemplateId } = yield* engine.createWhatsAppMessageTemplate({
        id,
        templateDefinition: definition("edit_me")
      })
      const target = { id, metaTemplateId: templateId(metaTemplateId ?? "") }
      const components = jsonBytes([{ type: "BODY", text: "Changed" }])
      assert.strictEqual(
        (yield* failure(engine.updateWhatsAppMessageTemplate({ ...target, templateComponents: components })))._tag,
        "InvalidParametersException"
      )
      yield* TestClock.adjust("1 minute")
      const recategorise = yield* failure(
        engine.updateWhatsAppMessageTemplate({ ...target, templateCategory: "MARKETING" })
      )
      assert.include(recategorise.message ?? "", "category")
      yield* engine.updateWhatsAppMessageTemplate({ ...target, templateComponents: components })
      const after = yield* engine.getWhatsAppMessageTemplate(target)
      assert.deepStrictEqual(JSON.parse(after.template ?? "{}").components, [{ type: "BODY", text: "Changed" }])
      assert.strictEqual(JSON.parse(after.template ?? "{}").status, "PENDING")
      yield* TestClock.adjust("1 minute")
      const tooSoon = yield* failure(
        engine.updateWhatsAppMessageTemplate({ ...target, templateComponents: components })
      )
      assert.include(tooSoon.message ?? "", "24 hours")
      yield* TestClock.adjust("1 day")
      yield* engine.updateWhatsAppMessageTemplate({ ...target, templateComponents: components })
      yield* TestClock.adjust("1 minute")
      const notJson = yield* failure(
        engine.updateWhatsAppMessageTemplate({ ...target, templateComponents: bytes("[") })
      )
      assert.strictEqual(notJson._tag, "ValidationException")
      // A rejected template may change category.
      yield* engine.updateWhatsAppMessageTemplate({
        id,
        templateName: "rejected_spring_sale",
        templateCategory: "UTILITY"
      })
    }))

  it.effect("delete: one language by id, all languages, a name with one language; again succeeds; unknown is not found", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const en = yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("bye", "en_US") })
      yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("bye", "de") })
      yield* engine.createWhatsAppMessageTemplate({ id, templateDefinition: definition("bye", "fr") })
      const names = () =>
        Effect.map(
          engine.listWhatsAppMessageTemplates({ id }),
          (page) => page.templates?.filter((t) => t.templateName === "bye").map((t) => t.templateLanguage)
        )
      const ambiguous = yield* failure(engine.deleteWhatsAppMessageTemplate({ id, templateName: "bye" }))
      assert.strictEqual(ambiguous._tag, "InvalidParametersException")
      yield* engine.deleteWhatsAppMessageTemplate({
        id,
        templateName: "bye",
        metaTemplateId: templateId(en.metaTemplateId ?? "")
      })
      assert.deepStrictEqual(yield* names(), ["de", "fr"])
      yield* engine.deleteWhatsAppMessageTemplate({
        id,
        templateName: "bye",
        metaTemplateId: templateId(en.metaTemplateId ?? "")
      })
      yield* engine.deleteWhatsAppMessageTemplate({ id, templateName: "bye", deleteAllLanguages: true })
      assert.deepStrictEqual(yield* names(), [])
      yield* engine.deleteWhatsAppMessageTemplate({ id, templateName: "bye", deleteAllLanguages: true })
      yield* engine.deleteWhatsAppMessageTemplate({ id, templateName: "order_update" })
      const unknown = yield* failure(engine.deleteWhatsAppMessageTemplate({ id, templateName: "never_was" }))
      assert.strictEqual(unknown._tag, "ResourceNotFoundException")
    }))

  it.effect("the library: filtered and paged; a template from it is APPROVED at once", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const all = yield* engine.listWhatsAppTemplateLibrary({ id, maxResults: 3 })
      assert.strictEqual(all.metaLibraryTemplates?.length, 3)
      assert.isDefined(all.nextToken)
      const rest = yield* engine.listWhatsAppTemplateLibrary({ id, nextToken: all.nextToken })
      assert.strictEqual(rest.metaLibraryTemplates?.length, Fixtures.libraryTemplates.length - 3)
      const shipping = yield* engine.listWhatsAppTemplateLibrary({ id, filters: { topic: "order_management" } })
      assert.deepStrictEqual(shipping.metaLibraryTemplates?.map((t) => t.templateName), [
        "order_confirmation",
        "delivery_update"
      ])
      const badFilter = yield* failure(engine.listWhatsAppTemplateLibrary({ id, filters: { colour: "red" } }))
      assert.strictEqual(badFilter._tag, "InvalidParametersException")
      const created = yield* engine.createWhatsAppMessageTemplateFromLibrary({
        id,
        metaLibraryTemplate: {
          templateName: "my_delivery_update",
          libraryTemplateName: "delivery_update",
          templateCategory: "UTILITY",
          templateLanguage: "en_US"
        }
      })
      assert.strictEqual(created.templateStatus, "APPROVED")
      for (
        const [wanted, text] of [
          [{ libraryTemplateName: "no_such", templateCategory: "UTILITY" }, "library"],
          [{ libraryTemplateName: "delivery_update", templateCategory: "MARKETING" }, "UTILITY"],
          [{ libraryTemplateName: "order_confirmation", templateCategory: "UTILITY" }, "URL"]
        ] as const
      ) {
        const error = yield* failure(engine.createWhatsAppMessageTemplateFromLibrary({
          id,
          metaLibraryTemplate: { templateName: "from_library", templateLanguage: "en_US", ...wanted }
        }))
        assert.strictEqual(error._tag, "InvalidParametersException")
        assert.include(error.message ?? "", text)
      }
    }))
})
