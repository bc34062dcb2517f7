/**
 * SendWhatsAppMessage in the engine: only from a registered number of a linked WABA, the message blob
 * checked as Meta message JSON (ValidationException naming the member), templates and media checked against
 * the account, a fresh messageId, the outbox per number (bounded), Meta's availability.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import type * as Engine from "@social-messaging/sandbox/Engine"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, Redacted, TestClock } from "effect"
import { bytes, failure, jsonBytes, linkedEngine } from "./support/Linked.js"

const text = (to = "+16505551234", body = "Hello") => ({
  messaging_product: "whatsapp",
  to,
  type: "text",
  text: { body }
})

const send = (engine: Engine.Service, number: string, message: Uint8Array) =>
  engine.sendWhatsAppMessage({
    originationPhoneNumberId: Shapes.WhatsAppPhoneNumberId.make(number),
    message: Redacted.make(message),
    metaApiVersion: "v20.0"
  })

describe("SendWhatsAppMessage", () => {
  it.effect("sends from a registered number: a fresh messageId, and the message in that number's outbox", () =>
    Effect.gen(function*() {
      const { engine, number, other } = yield* linkedEngine()
      const first = yield* send(engine, number, jsonBytes(text()))
      const second = yield* send(engine, number, jsonBytes(text("+447700900123", "Hi")))
      assert.isString(first.messageId)
      assert.notStrictEqual(first.messageId, second.messageId)
      const outbox = yield* engine.outbox(number)
      assert.deepStrictEqual(outbox.map((m) => [m.messageId, m.to, m.type]), [
        [first.messageId, "+16505551234", "text"],
        [second.messageId, "+447700900123", "text"]
      ])
      assert.match(outbox[0]?.metaMessageId ?? "", /^wamid\./)
      assert.deepStrictEqual(yield* engine.outbox(other), [])
      assert.strictEqual((yield* engine.outbox()).length, 2)
    }))

  it.effect("ResourceNotFoundException from a number that is not registered to a linked WABA", () =>
    Effect.gen(function*() {
      const { engine } = yield* linkedEngine()
      const error = yield* failure(send(engine, "phone-number-id-00000000000000000000000000000000", jsonBytes(text())))
      assert.strictEqual(error._tag, "ResourceNotFoundException")
    }))

  it.effect("ValidationException naming what is wrong: not JSON, unknown type, no recipient, a bad member, the API version", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const notJson = yield* failure(send(engine, number, bytes("{nope")))
      assert.strictEqual(notJson._tag, "ValidationException")
      assert.match(notJson.message ?? "", /^message: /)
      const unknownType = yield* failure(send(engine, number, jsonBytes({ ...text(), type: "hologram" })))
      assert.strictEqual(unknownType._tag, "ValidationException")
      assert.include(unknownType.message ?? "", "known message type")
      const { to: _, ...noRecipient } = text()
      const missing = yield* failure(send(engine, number, jsonBytes(noRecipient)))
      assert.strictEqual(missing._tag, "ValidationException")
      assert.include(missing.message ?? "", "to")
      const empty = yield* failure(send(engine, number, jsonBytes(text("+16505551234", ""))))
      assert.include(empty.message ?? "", "text.body")
      const version = yield* failure(engine.sendWhatsAppMessage({
        originationPhoneNumberId: Shapes.WhatsAppPhoneNumberId.make(number),
        message: Redacted.make(jsonBytes(text())),
        metaApiVersion: "20"
      }))
      assert.strictEqual(version._tag, "ValidationException")
      assert.include(version.message ?? "", "metaApiVersion")
      assert.deepStrictEqual(yield* engine.outbox(number), [])
    }))

  it.effect("a template message needs an APPROVED template of the WABA in that language (#132001)", () =>
    Effect.gen(function*() {
      const { engine, id, number } = yield* linkedEngine({ templateReviewDelay: "1 minute" })
      const template = (name: string, code = "en_US") =>
        jsonBytes({
          messaging_product: "whatsapp",
          to: "+16505551234",
          type: "template",
          template: { name, language: { code } }
        })
      yield* send(engine, number, template("hello_world"))
      const unknown = yield* failure(send(engine, number, template("no_such_template")))
      assert.strictEqual(unknown._tag, "InvalidParametersException")
      assert.include(unknown.message ?? "", "#132001")
      const wrongLanguage = yield* failure(send(engine, number, template("hello_world", "de")))
      assert.strictEqual(wrongLanguage._tag, "InvalidParametersException")
      const rejected = yield* failure(send(engine, number, template(Fixtures.rejectedSpringSale.name)))
      assert.include(rejected.message ?? "", "REJECTED")
      yield* engine.createWhatsAppMessageTemplate({
        id,
        templateDefinition: jsonBytes({
          name: "fresh_one",
          language: "en_US",
          category: "UTILITY",
          components: [{ type: "BODY", text: "Hi" }]
        })
      })
      const pending = yield* failure(send(engine, number, template("fresh_one")))
      assert.include(pending.message ?? "", "PENDING")
      yield* TestClock.adjust("1 minute")
      yield* send(engine, number, template("fresh_one"))
    }))

  it.effect("media by id must have been uploaded for this number", () =>
    Effect.gen(function*() {
      const { engine, number, other } = yield* linkedEngine()
      const image = (id: string) =>
        jsonBytes({ messaging_product: "whatsapp", to: "+16505551234", type: "image", image: { id } })
      const missing = yield* failure(send(engine, number, image("1234567890")))
      assert.strictEqual(missing._tag, "InvalidParametersException")
      const { mediaId } = yield* engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: Shapes.WhatsAppPhoneNumberId.make(number),
        sourceS3File: Redacted.make({ bucketName: Fixtures.mediaBucket, key: "images/welcome.jpg" })
      })
      assert.isDefined(mediaId)
      yield* send(engine, number, image(mediaId))
      assert.isDefined(other)
      const elsewhere = yield* failure(send(engine, other, image(mediaId)))
      assert.strictEqual(elsewhere._tag, "InvalidParametersException")
      // A link needs no upload.
      yield* send(
        engine,
        number,
        jsonBytes({
          messaging_product: "whatsapp",
          to: "+16505551234",
          type: "image",
          image: { link: "https://example.com/a.jpg" }
        })
      )
    }))

  it.effect("mark-as-read is accepted and kept as type read; Meta down is a DependencyException", () =>
    Effect.gen(function*() {
      const { engine, id, number } = yield* linkedEngine()
      yield* send(engine, number, jsonBytes({ messaging_product: "whatsapp", status: "read", message_id: "wamid.ABC" }))
      assert.deepStrictEqual((yield* engine.outbox(number)).map((m) => [m.type, m.to]), [["read", undefined]])
      assert.isTrue(yield* engine.setMetaStatus(id, "unavailable"))
      const down = yield* failure(send(engine, number, jsonBytes(text())))
      assert.strictEqual(down._tag, "DependencyException")
    }))

  it.effect("the outbox keeps the newest outboxSize messages per number", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine({ outboxSize: 2 })
      for (const body of ["one", "two", "three"]) yield* send(engine, number, jsonBytes(text("+16505551234", body)))
      const kept = yield* engine.outbox(number)
      assert.deepStrictEqual(kept.map((m) => JSON.stringify(m.message).includes("three")), [false, true])
      assert.strictEqual(kept.length, 2)
    }))
})
