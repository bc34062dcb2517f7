/**
 * Media in the engine: the S3 stand-in (seeded, writable), Post from an S3 file or a pre-signed URL, Get
 * (metadata, or into S3), Delete (idempotent), template header samples, and each declared error reached.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, Redacted, TestClock } from "effect"
import { failure, linkedEngine } from "./support/Linked.js"

const file = (key: string, bucketName: string = Fixtures.mediaBucket) => Redacted.make({ bucketName, key })
const presigned = (url: string) => Redacted.make({ url, headers: {} })
const phone = Shapes.WhatsAppPhoneNumberId.make
const media = Shapes.WhatsAppMediaId.make

describe("Media", () => {
  it.effect("posts from an S3 file or a pre-signed URL, reads metadata, copies into S3, deletes (twice)", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const origin = phone(number)
      const fromFile = yield* engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: origin,
        sourceS3File: file("documents/invoice-0001.pdf")
      })
      const fromUrl = yield* engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: origin,
        sourceS3PresignedUrl: presigned(
          `https://${Fixtures.mediaBucket}.s3.us-east-1.amazonaws.com/images/logo.png?X-Amz-Signature=abc`
        )
      })
      const pathStyle = yield* engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: origin,
        sourceS3PresignedUrl: presigned(
          `https://s3.us-east-1.amazonaws.com/${Fixtures.mediaBucket}/audio/hold-music.mp3`
        )
      })
      assert.isDefined(fromFile.mediaId)
      assert.isDefined(fromUrl.mediaId)
      assert.isDefined(pathStyle.mediaId)
      const meta = yield* engine.getWhatsAppMessageMedia({
        mediaId: fromFile.mediaId,
        originationPhoneNumberId: origin,
        metadataOnly: true
      })
      assert.deepStrictEqual(meta, { mimeType: "application/pdf", fileSize: Math.ceil(83_452 / 1024) })
      yield* engine.getWhatsAppMessageMedia({
        mediaId: fromUrl.mediaId,
        originationPhoneNumberId: origin,
        destinationS3File: file("copies/logo.png", "my-bucket")
      })
      const copied = yield* engine.getObject("my-bucket", "copies/logo.png")
      assert.strictEqual(copied?.contentType, "image/png")
      assert.strictEqual(copied?.bytes.length, 12_034)
      assert.deepStrictEqual(
        yield* engine.deleteWhatsAppMessageMedia({ mediaId: fromFile.mediaId, originationPhoneNumberId: origin }),
        { success: true }
      )
      // Idempotent: deleting again succeeds; reading it is ResourceNotFound.
      yield* engine.deleteWhatsAppMessageMedia({ mediaId: fromFile.mediaId, originationPhoneNumberId: origin })
      const gone = yield* failure(engine.getWhatsAppMessageMedia({
        mediaId: fromFile.mediaId,
        originationPhoneNumberId: origin,
        metadataOnly: true
      }))
      assert.strictEqual(gone._tag, "ResourceNotFoundException")
    }))

  it.effect("refuses what Meta or S3 would: missing object, unsupported type, too large, no or two sources", () =>
    Effect.gen(function*() {
      const { engine, number } = yield* linkedEngine()
      const post = (input: Omit<Parameters<typeof engine.postWhatsAppMessageMedia>[0], "originationPhoneNumberId">) =>
        failure(engine.postWhatsAppMessageMedia({ originationPhoneNumberId: phone(number), ...input }))
      for (
        const [input, text] of [
          [{ sourceS3File: file("nope.jpg") }, "does not exist"],
          [{ sourceS3File: file("misc/archive.zip") }, "application/zip"],
          [{ sourceS3File: file("video/too-large.mp4") }, "bytes"],
          [{}, "Give the source"],
          [
            { sourceS3File: file("images/logo.png"), sourceS3PresignedUrl: presigned("https://s3.amazonaws.com/a/b") },
            "not both"
          ],
          [{ sourceS3PresignedUrl: presigned("https://example.com/x.jpg") }, "pre-signed URL"]
        ] as const
      ) {
        const error = yield* post(input)
        assert.strictEqual(error._tag, "InvalidParametersException")
        assert.include(error.message ?? "", text)
      }
      const unknownNumber = yield* failure(engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: phone("phone-number-id-0"),
        sourceS3File: file("images/logo.png")
      }))
      assert.strictEqual(unknownNumber._tag, "ResourceNotFoundException")
      const unknownMedia = yield* failure(engine.deleteWhatsAppMessageMedia({
        mediaId: media("999"),
        originationPhoneNumberId: phone(number)
      }))
      assert.strictEqual(unknownMedia._tag, "ResourceNotFoundException")
      const noDestination = yield* failure(
        engine.postWhatsAppMessageMedia({
          originationPhoneNumberId: phone(number),
          sourceS3File: file("images/logo.png")
        }).pipe(
          Effect.flatMap(({ mediaId }) =>
            engine.getWhatsAppMessageMedia({ mediaId: media(mediaId ?? ""), originationPhoneNumberId: phone(number) })
          )
        )
      )
      assert.strictEqual(noDestination._tag, "InvalidParametersException")
    }))

  it.effect("objects written to the stand-in can be posted; media expires after 30 days; Meta revoked or down", () =>
    Effect.gen(function*() {
      const { engine, id, number } = yield* linkedEngine()
      yield* engine.putObject({
        bucket: "uploads",
        key: "a.webp",
        contentType: "image/webp",
        bytes: new Uint8Array(10)
      })
      const { mediaId } = yield* engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: phone(number),
        sourceS3File: file("a.webp", "uploads")
      })
      assert.isDefined(mediaId)
      yield* TestClock.adjust("30 days")
      const expired = yield* failure(engine.getWhatsAppMessageMedia({
        mediaId,
        originationPhoneNumberId: phone(number),
        metadataOnly: true
      }))
      assert.strictEqual(expired._tag, "ResourceNotFoundException")
      yield* engine.setMetaStatus(id, "accessRevoked")
      const revoked = yield* failure(engine.postWhatsAppMessageMedia({
        originationPhoneNumberId: phone(number),
        sourceS3File: file("images/logo.png")
      }))
      assert.strictEqual(revoked._tag, "AccessDeniedByMetaException")
      yield* engine.setMetaStatus(id, "unavailable")
      const down = yield* failure(
        engine.createWhatsAppMessageTemplateMedia({ id, sourceS3File: file("images/logo.png") })
      )
      assert.strictEqual(down._tag, "DependencyException")
    }))

  it.effect("CreateWhatsAppMessageTemplateMedia: a header handle for image, video or PDF samples", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const { metaHeaderHandle } = yield* engine.createWhatsAppMessageTemplateMedia({
        id,
        sourceS3File: file("images/welcome.jpg")
      })
      assert.match(metaHeaderHandle ?? "", /^4::/)
      assert.strictEqual((yield* engine.state).headerHandles.size, 1)
      const audio = yield* failure(
        engine.createWhatsAppMessageTemplateMedia({ id, sourceS3File: file("audio/hold-music.mp3") })
      )
      assert.strictEqual(audio._tag, "InvalidParametersException")
      const none = yield* failure(engine.createWhatsAppMessageTemplateMedia({ id }))
      assert.strictEqual(none._tag, "InvalidParametersException")
      const unknown = yield* failure(engine.createWhatsAppMessageTemplateMedia({
        id: Shapes.LinkedWhatsAppBusinessAccountId.make("waba-0"),
        sourceS3File: file("images/welcome.jpg")
      }))
      assert.strictEqual(unknown._tag, "ResourceNotFoundException")
    }))
})
