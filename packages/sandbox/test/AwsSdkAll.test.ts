/**
 * AWS's JS SDK (`@aws-sdk/client-socialmessaging` 3.1069.0, 31 operations) against the sandbox server for
 * every operation beyond the association that it has: messages, media, templates, the library, flows, then
 * disassociation. (AwsSdk.test.ts covers the association nine; the SDK predates datasets, business keys and
 * calling, which the boto3 script drives.)
 */
import {
  AssociateWhatsAppBusinessAccountCommand,
  CreateWhatsAppFlowCommand,
  CreateWhatsAppMessageTemplateCommand,
  CreateWhatsAppMessageTemplateFromLibraryCommand,
  CreateWhatsAppMessageTemplateMediaCommand,
  DeleteWhatsAppFlowCommand,
  DeleteWhatsAppMessageMediaCommand,
  DeleteWhatsAppMessageTemplateCommand,
  DeprecateWhatsAppFlowCommand,
  DisassociateWhatsAppBusinessAccountCommand,
  GetLinkedWhatsAppBusinessAccountCommand,
  GetWhatsAppFlowCommand,
  GetWhatsAppFlowPreviewCommand,
  GetWhatsAppMessageMediaCommand,
  GetWhatsAppMessageTemplateCommand,
  ListWhatsAppFlowAssetsCommand,
  ListWhatsAppFlowsCommand,
  ListWhatsAppMessageTemplatesCommand,
  ListWhatsAppTemplateLibraryCommand,
  PostWhatsAppMessageMediaCommand,
  PublishWhatsAppFlowCommand,
  SendWhatsAppMessageCommand,
  SocialMessagingClient,
  SocialMessagingServiceException,
  UpdateWhatsAppFlowAssetsCommand,
  UpdateWhatsAppFlowCommand,
  UpdateWhatsAppMessageTemplateCommand
} from "@aws-sdk/client-socialmessaging"
import { assert, describe, it } from "@effect/vitest"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Schema } from "effect"
import { sandboxKeys } from "./support/SignedClient.js"

class SdkFailed extends Schema.TaggedError<SdkFailed>()("SdkFailed", {
  name: Schema.String,
  status: Schema.optional(Schema.Number),
  detail: Schema.String
}) {}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))

describe("the AWS SDK against the sandbox server: the rest of the API", () => {
  it.scopedLive("sends, uploads media, manages templates and flows, then disassociates", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({ templateReviewDelay: 0 })
      const client = yield* Effect.acquireRelease(
        Effect.sync(() =>
          new SocialMessagingClient({
            endpoint: server.url,
            region: "us-east-1",
            credentials: sandboxKeys,
            maxAttempts: 1
          })
        ),
        (c) => Effect.sync(() => c.destroy())
      )
      const send = <A>(run: (c: SocialMessagingClient) => Promise<A>) =>
        Effect.tryPromise({
          try: () => run(client),
          catch: (error) =>
            error instanceof SocialMessagingServiceException
              ? new SdkFailed({
                name: error.name,
                detail: error.message,
                ...(error.$metadata.httpStatusCode === undefined ? {} : { status: error.$metadata.httpStatusCode })
              })
              : new SdkFailed({ name: "unexpected", detail: String(error) })
        })

      const step1 = yield* send((c) =>
        c.send(
          new AssociateWhatsAppBusinessAccountCommand({ signupCallback: { accessToken: Fixtures.tokens.oneWaba } })
        )
      )
      const token = step1.signupCallbackResult?.associateInProgressToken ?? ""
      const step2 = yield* send((c) =>
        c.send(
          new AssociateWhatsAppBusinessAccountCommand({
            setupFinalization: {
              associateInProgressToken: token,
              phoneNumbers: [{ id: Fixtures.clinic.phoneNumbers[0]?.metaPhoneNumberId ?? "", twoFactorPin: "123456" }]
            }
          })
        )
      )
      const id = step2.linkedWhatsAppBusinessAccountId ?? ""
      const account = yield* send((c) => c.send(new GetLinkedWhatsAppBusinessAccountCommand({ id })))
      const number = account.account?.phoneNumbers?.[0]?.phoneNumberId ?? ""

      // Messages.
      const sent = yield* send((c) =>
        c.send(
          new SendWhatsAppMessageCommand({
            originationPhoneNumberId: number,
            metaApiVersion: "v20.0",
            message: json({ messaging_product: "whatsapp", to: "+61491570001", type: "text", text: { body: "G'day" } })
          })
        )
      )
      assert.isString(sent.messageId)
      assert.strictEqual((yield* server.engine.outbox(number))[0]?.messageId, sent.messageId)
      const refused = yield* Effect.flip(send((c) =>
        c.send(
          new SendWhatsAppMessageCommand({
            originationPhoneNumberId: number,
            metaApiVersion: "v20.0",
            message: json({ type: "text" })
          })
        )
      ))
      assert.strictEqual(refused.name, "ValidationException")

      // Media.
      const posted = yield* send((c) =>
        c.send(
          new PostWhatsAppMessageMediaCommand({
            originationPhoneNumberId: number,
            sourceS3PresignedUrl: {
              url:
                `https://${Fixtures.mediaBucket}.s3.us-east-1.amazonaws.com/video/product-tour.mp4?X-Amz-Signature=0`,
              headers: {}
            }
          })
        )
      )
      const mediaId = posted.mediaId ?? ""
      const meta = yield* send((c) =>
        c.send(
          new GetWhatsAppMessageMediaCommand({
            mediaId,
            originationPhoneNumberId: number,
            destinationS3File: { bucketName: "out-bucket", key: "tour.mp4" }
          })
        )
      )
      assert.strictEqual(meta.mimeType, "video/mp4")
      assert.strictEqual((yield* server.engine.getObject("out-bucket", "tour.mp4"))?.contentType, "video/mp4")
      assert.isTrue(
        (yield* send((c) =>
          c.send(new DeleteWhatsAppMessageMediaCommand({ mediaId, originationPhoneNumberId: number }))
        )).success
      )
      const handle = yield* send((c) =>
        c.send(
          new CreateWhatsAppMessageTemplateMediaCommand({
            id,
            sourceS3File: { bucketName: Fixtures.mediaBucket, key: "images/logo.png" }
          })
        )
      )
      assert.match(handle.metaHeaderHandle ?? "", /^4::/)

      // Templates.
      const created = yield* send((c) =>
        c.send(
          new CreateWhatsAppMessageTemplateCommand({
            id,
            templateDefinition: json({
              name: "sdk_test",
              language: "en",
              category: "MARKETING",
              components: [{ type: "BODY", text: "Hi" }]
            })
          })
        )
      )
      const metaTemplateId = created.metaTemplateId ?? ""
      const listed = yield* send((c) => c.send(new ListWhatsAppMessageTemplatesCommand({ id })))
      assert.deepStrictEqual(listed.templates?.map((t) => t.templateName), ["hello_world", "sdk_test"])
      const got = yield* send((c) => c.send(new GetWhatsAppMessageTemplateCommand({ id, metaTemplateId })))
      assert.strictEqual(JSON.parse(got.template ?? "{}").status, "APPROVED")
      yield* send((c) =>
        c.send(
          new UpdateWhatsAppMessageTemplateCommand({
            id,
            metaTemplateId,
            templateComponents: json([{ type: "BODY", text: "Hello" }])
          })
        )
      )
      const library = yield* send((c) =>
        c.send(new ListWhatsAppTemplateLibraryCommand({ id, filters: { topic: "PAYMENTS" } }))
      )
      assert.deepStrictEqual(library.metaLibraryTemplates?.map((t) => t.templateName), ["payment_reminder"])
      const fromLibrary = yield* send((c) =>
        c.send(
          new CreateWhatsAppMessageTemplateFromLibraryCommand({
            id,
            metaLibraryTemplate: {
              templateName: "pay_up",
              libraryTemplateName: "payment_reminder",
              templateCategory: "UTILITY",
              templateLanguage: "en_US"
            }
          })
        )
      )
      assert.strictEqual(fromLibrary.templateStatus, "APPROVED")
      yield* send((c) =>
        c.send(new DeleteWhatsAppMessageTemplateCommand({ id, templateName: "sdk_test", deleteAllLanguages: true }))
      )
      const missing = yield* Effect.flip(
        send((c) => c.send(new GetWhatsAppMessageTemplateCommand({ id, metaTemplateId })))
      )
      assert.strictEqual(missing.name, "ResourceNotFoundException")

      // Flows.
      const flowJson = json({
        version: "7.3",
        screens: [{ id: "A", terminal: true, layout: { type: "SingleColumnLayout", children: [] } }]
      })
      const flow = yield* send((c) =>
        c.send(new CreateWhatsAppFlowCommand({ id, flowName: "SDK", categories: ["CONTACT_US"] }))
      )
      const flowId = flow.flowId ?? ""
      yield* send((c) => c.send(new UpdateWhatsAppFlowCommand({ id, flowId, flowName: "SDK v2" })))
      yield* send((c) => c.send(new UpdateWhatsAppFlowAssetsCommand({ id, flowId, flowJson })))
      const assets = yield* send((c) => c.send(new ListWhatsAppFlowAssetsCommand({ id, flowId })))
      assert.strictEqual(assets.flowAssets?.[0]?.name, "flow.json")
      const preview = yield* send((c) => c.send(new GetWhatsAppFlowPreviewCommand({ id, flowId })))
      assert.match(preview.preview?.previewUrl ?? "", /^https:/)
      yield* send((c) => c.send(new PublishWhatsAppFlowCommand({ id, flowId })))
      const published = yield* send((c) => c.send(new GetWhatsAppFlowCommand({ id, flowId })))
      assert.deepStrictEqual([published.flowName, published.flowStatus], ["SDK v2", "PUBLISHED"])
      const notDraft = yield* Effect.flip(send((c) => c.send(new DeleteWhatsAppFlowCommand({ id, flowId }))))
      assert.strictEqual(notDraft.name, "InvalidParametersException")
      yield* send((c) => c.send(new DeprecateWhatsAppFlowCommand({ id, flowId })))
      const flows = yield* send((c) => c.send(new ListWhatsAppFlowsCommand({ id })))
      assert.deepStrictEqual(flows.flows?.map((f) => f.flowStatus), ["DEPRECATED"])
      const draft = yield* send((c) =>
        c.send(new CreateWhatsAppFlowCommand({ id, flowName: "Draft", categories: ["OTHER"] }))
      )
      yield* send((c) => c.send(new DeleteWhatsAppFlowCommand({ id, flowId: draft.flowId ?? "" })))

      // Disassociating removes what hangs off the WABA.
      yield* send((c) => c.send(new DisassociateWhatsAppBusinessAccountCommand({ id })))
      const state = yield* server.engine.state
      assert.deepStrictEqual([state.templates.length, state.flows.length, state.headerHandles.size], [0, 0, 0])
    }))
})
