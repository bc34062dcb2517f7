/**
 * Secrets come from the schemas (`Redacted` members), not from a hand list of names: by value in a typed
 * input, by schema in wire JSON, and by name only where a name is secret everywhere (so `message`, the blob of
 * SendWhatsAppMessage and the text of every AWS error, is never blanked by name).
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Effect, Encoding, Schema } from "effect"
import { readFileSync } from "node:fs"

const ModelFile = Schema.Struct({
  shapes: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({
      sensitive: Schema.optional(Schema.Boolean),
      members: Schema.optional(Schema.Record({
        key: Schema.String,
        value: Schema.Struct({ shape: Schema.String, sensitive: Schema.optional(Schema.Boolean) })
      }))
    })
  })
})
const model = Schema.decodeUnknownSync(Schema.parseJson(ModelFile))(
  readFileSync(new URL("../model/botocore-1.43.107-socialmessaging-2024-01-01.service-2.json", import.meta.url), "utf8")
)

describe("Redaction.secretMembers", () => {
  it("is the model's sensitive member names plus Meta's access token, less names that are plain elsewhere", () => {
    const secret = new Set<string>(["accessToken"])
    const plain = new Set<string>()
    for (const [shapeName, shape] of Object.entries(model.shapes)) {
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const sensitive = member.sensitive === true || model.shapes[member.shape]?.sensitive === true ||
          (shapeName === "WhatsAppSignupCallback" && name === "accessToken")
        ;(sensitive ? secret : plain).add(name)
      }
    }
    const expected = [...secret].filter((name) => !plain.has(name)).sort()
    expect([...Redaction.secretMembers()].sort()).toEqual(expected)
    // the generated names are what walking every schema (and the hand-written association step types) finds
    const walked = Redaction.schemaSecretMembers([
      ...Object.values(Shapes),
      WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest
    ])
    expect([...walked].sort()).toEqual(expected)
    expect(expected).toContain("twoFactorPin")
    expect(expected).toContain("sourceS3PresignedUrl")
    expect(expected).not.toContain("message")
  })
})

describe("by value and by schema", () => {
  const bytes = new TextEncoder().encode(
    JSON.stringify({ messaging_product: "whatsapp", to: "+14255550111", type: "text" })
  )
  const base64 = Encoding.encodeBase64(bytes)

  it("a typed SendWhatsAppMessage input reveals its message blob as the base64 that goes on the wire", () =>
    Effect.gen(function*() {
      const input = yield* Schema.decodeUnknown(Operations.SendWhatsAppMessage.input)({
        originationPhoneNumberId: "phone-number-id-0123456789abcdef0123456789abcdef",
        message: base64,
        metaApiVersion: "v20.0"
      })
      expect(Redaction.revealedSecrets(input)).toEqual([base64])
      const wire = yield* Schema.encode(Operations.SendWhatsAppMessage.input)(input)
      expect(Redaction.wireSecrets(Operations.SendWhatsAppMessage.input, wire)).toEqual([base64])
      const shown = JSON.stringify(Redaction.redactWire(Operations.SendWhatsAppMessage.input, wire))
      assert.notInclude(shown, base64)
      assert.include(shown, "phone-number-id-0123456789abcdef0123456789abcdef")
      assert.include(shown, "v20.0")
    }).pipe(Effect.orDie))

  it("a secret structure (an S3 pre-signed URL) is redacted whole; the PIN beside a plain id too", () => {
    const wire = {
      originationPhoneNumberId: "phone-number-id-1",
      sourceS3PresignedUrl: { url: "https://bucket.s3.amazonaws.com/x?X-Amz-Signature=abc", headers: { a: "b" } }
    }
    const shown = JSON.stringify(Redaction.redactWire(Operations.PostWhatsAppMessageMedia.input, wire))
    assert.notInclude(shown, "X-Amz-Signature")
    assert.include(shown, "phone-number-id-1")
    const step2 = {
      setupFinalization: { associateInProgressToken: "aip", phoneNumbers: [{ id: "123", twoFactorPin: "654321" }] }
    }
    const shownStep2 = JSON.stringify(Redaction.redactWire(Operations.AssociateWhatsAppBusinessAccount.input, step2))
    for (const secret of ["aip", "654321"]) assert.notInclude(shownStep2, `"${secret}"`)
    assert.include(shownStep2, "\"123\"")
  })

  it("an AWS error's message is never redacted by name", () => {
    const answer = { message: "Validation failed for originationPhoneNumberId", __type: "ValidationException" }
    expect(Redaction.redactSecretMembers(answer)).toEqual(answer)
  })
})
