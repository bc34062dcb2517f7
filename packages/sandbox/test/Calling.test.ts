/**
 * The engine's smaller areas: call settings, call permissions and call events; datasets and conversion
 * events; business public keys (PEM checked); and disassociation removing what hangs off a WABA.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, Redacted } from "effect"
import { bytes, failure, jsonBytes, linkedEngine } from "./support/Linked.js"

const rsa1024 = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCT8gXc3oGfUM07ytnHg2wrtMwt
zSgR1gmzfbsaaf/aFr1fT7tuvgJ1CB7QDqUEcAuloWrLgclzgu0cKa9zixXTmg1g
1tbyou0YD0La1w49oiD3ac3Ggp7W5+wmdtY5qFyUgO3cwwhJzJP7Pba1Vricaby+
lw1dn4kDd4nGzHHw2wIDAQAB
-----END PUBLIC KEY-----`
const ec = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+88Yt117DUMd1Z65UJsXmfGXMD8G
asNxCgWDszNwlvXh0upD3V1r1MAEEcspbajmU0U5080isTLngMutYlFzBQ==
-----END PUBLIC KEY-----`
const phone = Shapes.WhatsAppPhoneNumberId.make

const hours = {
  enabled: true,
  timezone: "America/New_York",
  weeklyOperatingHours: [
    { dayOfWeek: "MONDAY", openTime: { hours: 9, minutes: 0 }, closeTime: { hours: 12, minutes: 0 } },
    { dayOfWeek: "MONDAY", openTime: { hours: 13, minutes: 0 }, closeTime: { hours: 17, minutes: 30 } }
  ],
  holidaySchedule: [{ date: "2026-12-25", startTime: { hours: 10, minutes: 0 }, endTime: { hours: 12, minutes: 0 } }]
} as const

describe("Calling", () => {
  it.effect("call settings: stored and shown with the phone number; refused when they make no sense", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const id = phone(number)
      assert.deepStrictEqual(
        yield* engine.updateLinkedWhatsAppBusinessAccountPhoneNumber({
          id,
          callSettings: { callEnabled: true, callHours: hours, callIconVisibility: "DEFAULT" }
        }),
        { phoneNumberId: id }
      )
      const shown = yield* engine.getLinkedWhatsAppBusinessAccountPhoneNumber({ id })
      assert.strictEqual(shown.callSettings?.callHours?.timezone, "America/New_York")
      for (
        const [callSettings, text] of [
          [{ callEnabled: true, callHours: { ...hours, timezone: "Mars/Olympus" } }, "IANA"],
          [{ callEnabled: true, callIconVisibility: "LOUD" }, "callIconVisibility"],
          [{ callEnabled: true, callbackPermissionStatus: "MAYBE" }, "callbackPermissionStatus"],
          [{
            callEnabled: true,
            callHours: {
              ...hours,
              weeklyOperatingHours: [{
                dayOfWeek: "FRIDAY",
                openTime: { hours: 18, minutes: 0 },
                closeTime: { hours: 9, minutes: 0 }
              }]
            }
          }, "before"],
          [{
            callEnabled: true,
            callHours: {
              ...hours,
              weeklyOperatingHours: [hours.weeklyOperatingHours[0], { ...hours.weeklyOperatingHours[0] }]
            }
          }, "overlaps"],
          [{
            callEnabled: true,
            callHours: { ...hours, holidaySchedule: [{ ...hours.holidaySchedule[0], date: "2026-02-30" }] }
          }, "not a date"]
        ] as const
      ) {
        const error = yield* failure(engine.updateLinkedWhatsAppBusinessAccountPhoneNumber({ id, callSettings }))
        assert.strictEqual(error._tag, "InvalidParametersException")
        assert.include(error.message ?? "", text)
      }
      const unknown = yield* failure(engine.updateLinkedWhatsAppBusinessAccountPhoneNumber({
        id: phone("phone-number-id-0"),
        callSettings: { callEnabled: false }
      }))
      assert.strictEqual(unknown._tag, "ResourceNotFoundException")
    }))

  it.effect("permission: granted for the seeded end users, not others; needs calling enabled and one destination", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const origin = phone(number)
      const ask = (destination: string) =>
        engine.getWhatsAppCallPermission({
          originationPhoneNumberId: origin,
          destinationPhoneNumber: Redacted.make(destination)
        })
      assert.strictEqual((yield* failure(ask("+14255550100")))._tag, "InvalidParametersException")
      yield* engine.updateLinkedWhatsAppBusinessAccountPhoneNumber({ id: origin, callSettings: { callEnabled: true } })
      const granted = yield* ask(Fixtures.callPermissions[0] ?? "")
      assert.strictEqual(granted.permission.status, "granted")
      assert.isDefined(granted.permission.expirationTime)
      assert.deepStrictEqual(granted.actions.map((a) => [a.actionName, a.canPerformAction]), [
        ["send_call_permission_request", false],
        ["start_call", true]
      ])
      assert.strictEqual((yield* ask("+16505550000")).permission.status, "no_permission")
      const neither = yield* failure(engine.getWhatsAppCallPermission({ originationPhoneNumberId: origin }))
      assert.strictEqual(neither._tag, "InvalidParametersException")
    }))

  it.effect("call events: connect to a user who granted permission, terminate once; accept is a conflict; bad JSON", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const origin = phone(number)
      yield* engine.updateLinkedWhatsAppBusinessAccountPhoneNumber({ id: origin, callSettings: { callEnabled: true } })
      const event = (callEvent: Uint8Array) =>
        engine.sendWhatsAppCallEvent({
          originationPhoneNumberId: origin,
          metaApiVersion: "v23.0",
          callEvent: Redacted.make(callEvent)
        })
      const session = { sdp_type: "offer", sdp: "v=0" }
      const { callId } = yield* event(
        jsonBytes({ messaging_product: "whatsapp", action: "connect", to: "+14255550100", session })
      )
      assert.match(callId, /^wacid\./)
      const noPermission = yield* failure(
        event(jsonBytes({ messaging_product: "whatsapp", action: "connect", to: "+16505550000", session }))
      )
      assert.include(noPermission.message ?? "", "#138006")
      const accept = yield* failure(
        event(jsonBytes({ messaging_product: "whatsapp", action: "accept", call_id: callId }))
      )
      assert.strictEqual(accept._tag, "ConflictException")
      yield* event(jsonBytes({ messaging_product: "whatsapp", action: "terminate", call_id: callId }))
      const twice = yield* failure(
        event(jsonBytes({ messaging_product: "whatsapp", action: "terminate", call_id: callId }))
      )
      assert.strictEqual(twice._tag, "ConflictException")
      const unknown = yield* failure(
        event(jsonBytes({ messaging_product: "whatsapp", action: "terminate", call_id: "wacid.x" }))
      )
      assert.strictEqual(unknown._tag, "ResourceNotFoundException")
      const bad = yield* failure(event(bytes("{")))
      assert.strictEqual(bad._tag, "ValidationException")
      const badAction = yield* failure(event(jsonBytes({ messaging_product: "whatsapp", action: "dance" })))
      assert.include(badAction.message ?? "", "action")
    }))
})

describe("Datasets and conversion events", () => {
  it.effect("one dataset per WABA (created once, shown on the account); events to it are kept", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const { datasetId } = yield* engine.createWhatsAppDataset({ id })
      assert.strictEqual((yield* engine.createWhatsAppDataset({ id })).datasetId, datasetId)
      assert.strictEqual((yield* engine.getLinkedWhatsAppBusinessAccount({ id })).account?.datasetId, datasetId)
      const event = {
        data: [{
          event_name: "Purchase",
          event_time: 1_767_225_600,
          action_source: "business_messaging",
          messaging_channel: "whatsapp",
          user_data: { whatsapp_business_account_id: "100000000000001", ctwa_clid: "abc" }
        }]
      }
      const { requestId } = yield* engine.sendWhatsAppConversionEvent({
        id,
        datasetId,
        eventData: Redacted.make(jsonBytes(event))
      })
      assert.isString(requestId)
      assert.strictEqual((yield* engine.state).conversionEvents.length, 1)
      const bad = yield* failure(engine.sendWhatsAppConversionEvent({
        id,
        datasetId,
        eventData: Redacted.make(jsonBytes({ data: [{ ...event.data[0], action_source: "website" }] }))
      }))
      assert.strictEqual(bad._tag, "ValidationException")
      assert.include(bad.message ?? "", "action_source")
      const otherDataset = yield* failure(engine.sendWhatsAppConversionEvent({
        id,
        datasetId: Shapes.WhatsAppDatasetId.make("1234567890"),
        eventData: Redacted.make(jsonBytes(event))
      }))
      assert.strictEqual(otherDataset._tag, "ResourceNotFoundException")
      const unknownWaba = yield* failure(
        engine.createWhatsAppDataset({ id: Shapes.LinkedWhatsAppBusinessAccountId.make("waba-0") })
      )
      assert.strictEqual(unknownWaba._tag, "ResourceNotFoundException")
    }))
})

describe("Business public keys", () => {
  it.effect("a 2048-bit RSA PEM or a KMS key is stored and read back; other keys are refused", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const origin = phone(number)
      assert.deepStrictEqual(yield* engine.getWhatsAppBusinessPublicKey({ originationPhoneNumberId: origin }), {})
      yield* engine.putWhatsAppBusinessPublicKey({
        originationPhoneNumberId: origin,
        businessPublicKey: Fixtures.kmsBusinessPublicKey
      })
      assert.deepStrictEqual(yield* engine.getWhatsAppBusinessPublicKey({ originationPhoneNumberId: origin }), {
        businessPublicKey: Fixtures.kmsBusinessPublicKey,
        businessPublicKeySignatureStatus: "VALID"
      })
      yield* engine.putWhatsAppBusinessPublicKey({
        originationPhoneNumberId: origin,
        kmsKeyArn: Shapes.KmsKeyArn.make("arn:aws:kms:us-east-1:123456789012:key/abc")
      })
      for (
        const [input, text] of [[{ businessPublicKey: "not a key" }, "PEM"], [{ businessPublicKey: rsa1024 }, "1024"], [
          { businessPublicKey: ec },
          "ec"
        ], [{}, "exactly one"]] as const
      ) {
        const error = yield* failure(
          engine.putWhatsAppBusinessPublicKey({ originationPhoneNumberId: origin, ...input })
        )
        assert.strictEqual(error._tag, "InvalidParametersException")
        assert.include(error.message ?? "", text)
      }
      const unknown = yield* failure(
        engine.getWhatsAppBusinessPublicKey({ originationPhoneNumberId: phone("phone-number-id-0") })
      )
      assert.strictEqual(unknown._tag, "ResourceNotFoundException")
    }))
})

describe("Disassociation", () => {
  it.effect("removes what hangs off the WABA: templates, flows, media, keys, call settings, tags; keeps the outbox", () =>
    Effect.gen(function*() {
      const { account, engine, id, number } = yield* linkedEngine()
      const origin = phone(number)
      yield* engine.createWhatsAppFlow({ id, flowName: "F", categories: ["OTHER"] })
      yield* engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: origin,
        sourceS3File: Redacted.make({ bucketName: Fixtures.mediaBucket, key: "images/logo.png" })
      })
      yield* engine.putWhatsAppBusinessPublicKey({
        originationPhoneNumberId: origin,
        businessPublicKey: Fixtures.kmsBusinessPublicKey
      })
      yield* engine.updateLinkedWhatsAppBusinessAccountPhoneNumber({ id: origin, callSettings: { callEnabled: true } })
      yield* engine.tagResource({ resourceArn: Shapes.Arn.make(account.arn), tags: [{ key: "team", value: "a" }] })
      yield* engine.tagResource({
        resourceArn: Shapes.Arn.make(account.phoneNumbers[0]?.arn ?? ""),
        tags: [{ key: "n", value: "1" }]
      })
      yield* engine.sendWhatsAppMessage({
        originationPhoneNumberId: origin,
        metaApiVersion: "v20.0",
        message: Redacted.make(
          jsonBytes({ messaging_product: "whatsapp", to: "+16505551234", type: "text", text: { body: "bye" } })
        )
      })
      yield* engine.disassociateWhatsAppBusinessAccount({ id })
      const state = yield* engine.state
      assert.deepStrictEqual(
        [
          state.templates.length,
          state.flows.length,
          state.media.size,
          state.publicKeys.size,
          state.callSettings.size,
          state.tags.size
        ],
        [0, 0, 0, 0, 0, 0]
      )
      assert.strictEqual((yield* engine.outbox(number)).length, 1)
      const gone = yield* failure(engine.listWhatsAppMessageTemplates({ id }))
      assert.strictEqual(gone._tag, "ResourceNotFoundException")
    }))
})
