/**
 * The new areas over loopback HTTP with SigV4 (AWS's signer, `support/SignedClient.ts`): every operation
 * beyond the association, with the model's bindings (query members, base64 blobs in JSON bodies); the
 * outbox endpoint (unsigned, Host-checked); every declared error of every operation reaching the wire
 * through the fault plan; and AWS's documented quotas for the media operations.
 */
import { assert, describe, it } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Faults from "@social-messaging/sandbox/Faults"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, TestClock } from "effect"
import { exchange, head } from "./support/RawHttp.js"
import { call, messageOf, type WireResponse } from "./support/SignedClient.js"

const ok = (response: WireResponse): unknown => {
  assert.strictEqual(response.status, 200, `${response.text}`)
  return response.json
}

const get = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (acc, key) =>
      typeof acc === "object" && acc !== null && Object.prototype.hasOwnProperty.call(acc, key)
        ? Object.getOwnPropertyDescriptor(acc, key)?.value
        : undefined,
    value
  )

const str = (value: unknown, ...path: ReadonlyArray<string | number>): string => {
  const v = get(value, ...path)
  assert.isString(v, `${path.join(".")} in ${JSON.stringify(value)}`)
  return typeof v === "string" ? v : ""
}

const blob = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64")

/** Links "Example Retail Support" (both numbers) over HTTP: the WABA id and its numbers. */
const linkRetail = (url: string) =>
  Effect.gen(function*() {
    const step1 = ok(
      yield* call(url, "AssociateWhatsAppBusinessAccount", {
        signupCallback: { accessToken: Fixtures.tokens.twoWabas }
      })
    )
    const token = str(step1, "signupCallbackResult", "associateInProgressToken")
    const step2 = ok(
      yield* call(url, "AssociateWhatsAppBusinessAccount", {
        setupFinalization: {
          associateInProgressToken: token,
          phoneNumbers: Fixtures.retailSupport.phoneNumbers.map((n) => ({
            id: n.metaPhoneNumberId,
            twoFactorPin: "123456"
          })),
          waba: { id: Fixtures.retailSupport.wabaId }
        }
      })
    )
    const id = str(step2, "linkedWhatsAppBusinessAccountId")
    const account = ok(yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id }))
    return { id, number: str(account, "account", "phoneNumbers", 0, "phoneNumberId") }
  })

const fetchText = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { status: response.status, json: JSON.parse(await response.text()) as unknown }
  })

describe("Server: the whole API over loopback HTTP", () => {
  it.scopedLive("messages, media, templates, flows, datasets, keys and calling with the model's bindings", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({ templateReviewDelay: 0 })
      const { url } = server
      const { id, number } = yield* linkRetail(url)

      // Messages, and the outbox outside the AWS API.
      const sent = ok(
        yield* call(url, "SendWhatsAppMessage", {
          originationPhoneNumberId: number,
          metaApiVersion: "v20.0",
          message: blob({ messaging_product: "whatsapp", to: "+16505551234", type: "text", text: { body: "Hello" } })
        })
      )
      const messageId = str(sent, "messageId")
      const invalid = yield* call(url, "SendWhatsAppMessage", {
        originationPhoneNumberId: number,
        metaApiVersion: "v20.0",
        message: blob({ messaging_product: "whatsapp", type: "text", text: { body: "Hello" } })
      })
      assert.strictEqual(invalid.status, 400)
      assert.strictEqual(invalid.headers.get("x-amzn-errortype"), "ValidationException")
      assert.include(messageOf(invalid), "to")
      const outbox = yield* fetchText(`${url}${Server.outboxPath}?originationPhoneNumberId=${number}`)
      assert.strictEqual(outbox.status, 200)
      assert.strictEqual(str(outbox.json, "messages", 0, "messageId"), messageId)
      assert.strictEqual(str(outbox.json, "messages", 0, "to"), "+16505551234")
      const foreign = yield* exchange(server.port, [
        head("GET", Server.outboxPath, { host: "evil.example", connection: "close" })
      ])
      assert.strictEqual(foreign.status, 403)

      // Media.
      const posted = ok(
        yield* call(url, "PostWhatsAppMessageMedia", {
          originationPhoneNumberId: number,
          sourceS3File: { bucketName: Fixtures.mediaBucket, key: "images/welcome.jpg" }
        })
      )
      const mediaId = str(posted, "mediaId")
      assert.deepStrictEqual(
        ok(
          yield* call(url, "GetWhatsAppMessageMedia", { mediaId, originationPhoneNumberId: number, metadataOnly: true })
        ),
        { mimeType: "image/jpeg", fileSize: 48 }
      )
      assert.deepStrictEqual(
        ok(yield* call(url, "DeleteWhatsAppMessageMedia", { mediaId, originationPhoneNumberId: number })),
        {
          success: true
        }
      )
      assert.match(
        str(
          ok(
            yield* call(url, "CreateWhatsAppMessageTemplateMedia", {
              id,
              sourceS3File: { bucketName: Fixtures.mediaBucket, key: "images/logo.png" }
            })
          ),
          "metaHeaderHandle"
        ),
        /^4::/
      )

      // Templates (the review delay is 0: approved at the next read).
      const created = ok(
        yield* call(url, "CreateWhatsAppMessageTemplate", {
          id,
          templateDefinition: blob({
            name: "wire_test",
            language: "en_US",
            category: "UTILITY",
            components: [{ type: "BODY", text: "Hi" }]
          })
        })
      )
      const metaTemplateId = str(created, "metaTemplateId")
      assert.strictEqual(str(created, "templateStatus"), "PENDING")
      const listed = ok(yield* call(url, "ListWhatsAppMessageTemplates", { id, maxResults: 2 }))
      assert.strictEqual((get(listed, "templates") as ReadonlyArray<unknown>).length, 2)
      assert.isString(get(listed, "nextToken"))
      const fetched = ok(yield* call(url, "GetWhatsAppMessageTemplate", { id, metaTemplateId }))
      assert.strictEqual(JSON.parse(str(fetched, "template")).status, "APPROVED")
      ok(
        yield* call(url, "UpdateWhatsAppMessageTemplate", {
          id,
          metaTemplateId,
          templateComponents: blob([{ type: "BODY", text: "Hello" }])
        })
      )
      const library = ok(yield* call(url, "ListWhatsAppTemplateLibrary", { id, filters: { language: "en_US" } }))
      assert.strictEqual(
        (get(library, "metaLibraryTemplates") as ReadonlyArray<unknown>).length,
        Fixtures.libraryTemplates.length
      )
      ok(
        yield* call(url, "CreateWhatsAppMessageTemplateFromLibrary", {
          id,
          metaLibraryTemplate: {
            templateName: "my_reminder",
            libraryTemplateName: "appointment_reminder",
            templateCategory: "UTILITY",
            templateLanguage: "en_US"
          }
        })
      )
      // deleteAllLanguages travels as the query parameter deleteAllTemplates.
      ok(yield* call(url, "DeleteWhatsAppMessageTemplate", { id, templateName: "wire_test", deleteAllLanguages: true }))
      const gone = yield* call(url, "GetWhatsAppMessageTemplate", { id, metaTemplateId })
      assert.strictEqual(gone.status, 404)

      // Flows.
      const flowJson = blob({
        version: "7.3",
        screens: [{ id: "WELCOME", terminal: true, layout: { type: "SingleColumnLayout", children: [] } }]
      })
      const flowId = str(
        ok(yield* call(url, "CreateWhatsAppFlow", { id, flowName: "Wire", categories: ["OTHER"] })),
        "flowId"
      )
      ok(yield* call(url, "UpdateWhatsAppFlow", { id, flowId, flowName: "Wire v2" }))
      assert.deepStrictEqual(ok(yield* call(url, "UpdateWhatsAppFlowAssets", { id, flowId, flowJson })), {
        validationErrors: []
      })
      assert.strictEqual(
        str(ok(yield* call(url, "ListWhatsAppFlowAssets", { id, flowId })), "flowAssets", 0, "name"),
        "flow.json"
      )
      assert.match(
        str(ok(yield* call(url, "GetWhatsAppFlowPreview", { id, flowId, invalidate: true })), "preview", "previewUrl"),
        /^https:/
      )
      ok(yield* call(url, "PublishWhatsAppFlow", { id, flowId }))
      assert.strictEqual(str(ok(yield* call(url, "GetWhatsAppFlow", { id, flowId })), "flowStatus"), "PUBLISHED")
      const notDraft = yield* call(url, "DeleteWhatsAppFlow", { id, flowId })
      assert.strictEqual(notDraft.headers.get("x-amzn-errortype"), "InvalidParametersException")
      ok(yield* call(url, "DeprecateWhatsAppFlow", { id, flowId }))
      assert.strictEqual(str(ok(yield* call(url, "ListWhatsAppFlows", { id })), "flows", 0, "flowStatus"), "DEPRECATED")
      const draft = str(
        ok(yield* call(url, "CreateWhatsAppFlow", { id, flowName: "Draft", categories: ["OTHER"] })),
        "flowId"
      )
      ok(yield* call(url, "DeleteWhatsAppFlow", { id, flowId: draft }))

      // Datasets, conversion events, business public key, calling.
      const datasetId = str(ok(yield* call(url, "CreateWhatsAppDataset", { id })), "datasetId")
      const event = {
        event_name: "Lead",
        event_time: 1_767_225_600,
        action_source: "business_messaging",
        messaging_channel: "whatsapp",
        user_data: {}
      }
      assert.isString(
        get(
          ok(yield* call(url, "SendWhatsAppConversionEvent", { id, datasetId, eventData: blob({ data: [event] }) })),
          "requestId"
        )
      )
      ok(
        yield* call(url, "PutWhatsAppBusinessPublicKey", {
          originationPhoneNumberId: number,
          businessPublicKey: Fixtures.kmsBusinessPublicKey
        })
      )
      assert.strictEqual(
        str(
          ok(yield* call(url, "GetWhatsAppBusinessPublicKey", { originationPhoneNumberId: number })),
          "businessPublicKeySignatureStatus"
        ),
        "VALID"
      )
      ok(
        yield* call(url, "UpdateLinkedWhatsAppBusinessAccountPhoneNumber", {
          id: number,
          callSettings: { callEnabled: true }
        })
      )
      assert.strictEqual(
        get(
          ok(yield* call(url, "GetLinkedWhatsAppBusinessAccountPhoneNumber", { id: number })),
          "callSettings",
          "callEnabled"
        ),
        true
      )
      const permission = ok(
        yield* call(url, "GetWhatsAppCallPermission", {
          originationPhoneNumberId: number,
          destinationPhoneNumber: "+14255550100"
        })
      )
      assert.strictEqual(str(permission, "permission", "status"), "granted")
      assert.isNumber(get(permission, "permission", "expirationTime"))
      const callId = str(
        ok(
          yield* call(url, "SendWhatsAppCallEvent", {
            originationPhoneNumberId: number,
            metaApiVersion: "v23.0",
            callEvent: blob({
              messaging_product: "whatsapp",
              action: "connect",
              to: "+14255550100",
              session: { sdp_type: "offer", sdp: "v=0" }
            })
          })
        ),
        "callId"
      )
      const conflict = yield* call(url, "SendWhatsAppCallEvent", {
        originationPhoneNumberId: number,
        metaApiVersion: "v23.0",
        callEvent: blob({ messaging_product: "whatsapp", action: "accept", call_id: callId })
      })
      assert.strictEqual(conflict.status, 409)
      assert.strictEqual(conflict.headers.get("x-amzn-errortype"), "ConflictException")
      const log = yield* server.requestLog.get
      assert.isTrue(log.every((entry) => entry.operation !== undefined))
    }))

  it.scopedLive("every declared error of every operation reaches the wire (scripted faults), with its status", () =>
    Effect.gen(function*() {
      const scripted = Object.fromEntries(
        Operations.allOperations.map((
          op
        ) => [op.name, op.errors.map((errorType) => ({ kind: "error" as const, errorType }))])
      )
      const { url } = yield* Server.serve({ faults: { scripted } })
      for (const op of Operations.allOperations) {
        for (const errorType of op.errors) {
          const response = yield* call(url, op.name as keyof typeof Operations.operations, {})
          assert.strictEqual(response.headers.get("x-amzn-errortype"), errorType, `${op.name}`)
          assert.strictEqual(response.status, statusOf(errorType), `${op.name} ${errorType}`)
        }
      }
    }))

  it.effect("rateLimits \"aws\": 100 requests a second for the media operations, 1,000 for SendWhatsAppMessage", () =>
    Effect.gen(function*() {
      const injector = yield* Faults.make({ rateLimits: "aws" })
      const burst = (operation: Errors.OperationName, n: number) =>
        Effect.map(
          Effect.forEach(Array.from({ length: n }), () => injector.before(operation)),
          (faults) => faults.filter((f) => f?._tag === "Error" && f.errorType === "ThrottledRequestException").length
        )
      for (
        const operation of [
          "PostWhatsAppMessageMedia",
          "GetWhatsAppMessageMedia",
          "DeleteWhatsAppMessageMedia"
        ] as const
      ) {
        assert.strictEqual(yield* burst(operation, 101), 1, operation)
      }
      assert.strictEqual(yield* burst("SendWhatsAppMessage", 1001), 1)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* burst("SendWhatsAppMessage", 1000), 0)
    }))
})

const statusOf = (errorType: string): number =>
  ({
    AccessDeniedByMetaException: 403,
    AccessDeniedException: 403,
    ConflictException: 409,
    DependencyException: 502,
    InternalServiceException: 500,
    InvalidParametersException: 400,
    LimitExceededException: 400,
    ResourceNotFoundException: 404,
    ThrottledRequestException: 429,
    ValidationException: 400
  } as Record<string, number>)[errorType] ?? 0
