/**
 * Media: PostWhatsAppMessageMedia (from the S3 stand-in into a Meta media id), GetWhatsAppMessageMedia
 * (metadata, or a copy into the S3 stand-in), DeleteWhatsAppMessageMedia, and
 * CreateWhatsAppMessageTemplateMedia (a template header sample, answered with a header handle).
 *
 * The S3 stand-in is an in-memory object store (`State.objects`, seeded from `Fixtures.defaultObjects`,
 * replaced by the `objects` option, written by `Service.putObject`). An object is named by `sourceS3File`
 * (`bucketName`, `key`) or by a pre-signed URL in either S3 form (`https://<bucket>.s3.<region>.amazonaws.com/<key>`
 * or `https://s3.<region>.amazonaws.com/<bucket>/<key>`); the URL's query (the signature) is not checked.
 *
 * Following Meta's media rules: the MIME type must be one WhatsApp supports, within its size limit (image
 * 5 MB, video and audio 16 MB, document 100 MB, sticker 500 KB); a media id is usable by the number that
 * uploaded it for 30 days. `fileSize` is in KB, as the API reference says (rounded up). Deleting a deleted
 * media id succeeds again (the operation is idempotent); one never uploaded is `ResourceNotFoundException`,
 * as is an unknown number, WABA or object... except a missing S3 object, which is the caller's parameter:
 * `InvalidParametersException`, as are a missing or doubled source/destination and unsupported media.
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { decimalDigits, hex } from "../internal/random.js"
import {
  type Context,
  type FoundNumber,
  invalid,
  type Media,
  metaAccess,
  type Method,
  type Methods,
  notFound,
  objectKey,
  requireNumber,
  requireWaba,
  type State,
  type StoredObject
} from "./State.js"

type Operation =
  | "PostWhatsAppMessageMedia"
  | "GetWhatsAppMessageMedia"
  | "DeleteWhatsAppMessageMedia"
  | "CreateWhatsAppMessageTemplateMedia"

const MB = 1024 * 1024

/** The MIME types WhatsApp accepts and their size limits in bytes (Meta's "Supported media types"). */
export const supportedMedia: ReadonlyMap<string, number> = new Map([
  ["image/jpeg", 5 * MB],
  ["image/png", 5 * MB],
  ["image/webp", 500 * 1024],
  ["video/mp4", 16 * MB],
  ["video/3gpp", 16 * MB],
  ["audio/aac", 16 * MB],
  ["audio/amr", 16 * MB],
  ["audio/mpeg", 16 * MB],
  ["audio/mp4", 16 * MB],
  ["audio/ogg", 16 * MB],
  ["text/plain", 100 * MB],
  ["application/pdf", 100 * MB],
  ["application/msword", 100 * MB],
  ["application/vnd.ms-excel", 100 * MB],
  ["application/vnd.ms-powerpoint", 100 * MB],
  ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100 * MB],
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 100 * MB],
  ["application/vnd.openxmlformats-officedocument.presentationml.presentation", 100 * MB]
])

/** The MIME types a template header sample may have (image, video or document headers). */
export const headerMedia: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "video/mp4", "application/pdf"])

/** How long Meta keeps uploaded media. */
export const mediaRetention: Duration.Duration = Duration.days(30)

/** An S3 location: bucket and key. */
export interface S3Location {
  readonly bucket: string
  readonly key: string
}

/** The bucket and key a pre-signed S3 URL names, in virtual-hosted or path style. */
export const presignedLocation = (url: string): S3Location | undefined => {
  if (!URL.canParse(url)) return undefined
  const parsed = new URL(url)
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ""))
  const virtual = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(parsed.hostname)
  if (virtual?.[1] !== undefined) return path === "" ? undefined : { bucket: virtual[1], key: path }
  if (/^s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(parsed.hostname)) {
    const slash = path.indexOf("/")
    return slash <= 0 || slash === path.length - 1
      ? undefined
      : { bucket: path.slice(0, slash), key: path.slice(slash + 1) }
  }
  return undefined
}

type S3File = Redacted.Redacted<{ readonly bucketName: string; readonly key: string }>
type PresignedUrl = Redacted.Redacted<{ readonly url: string; readonly headers: { readonly [key: string]: string } }>

/** Exactly one of an S3 file or a pre-signed URL, as a location. */
const oneLocation = (
  what: string,
  file: S3File | undefined,
  presigned: PresignedUrl | undefined
): Effect.Effect<S3Location, Errors.InvalidParametersException> => {
  if (file !== undefined && presigned !== undefined) {
    return Effect.fail(invalid(`Give one ${what}: an S3 file or a pre-signed URL, not both.`))
  }
  if (file !== undefined) {
    const { bucketName, key } = Redacted.value(file)
    return Effect.succeed({ bucket: bucketName, key })
  }
  if (presigned !== undefined) {
    const location = presignedLocation(Redacted.value(presigned).url)
    return location === undefined
      ? Effect.fail(invalid(`The pre-signed URL of the ${what} does not name an S3 bucket and key.`))
      : Effect.succeed(location)
  }
  return Effect.fail(invalid(`Give the ${what}: an S3 file or a pre-signed URL.`))
}

const readObject = (
  state: State,
  location: S3Location
): Effect.Effect<StoredObject, Errors.InvalidParametersException> => {
  const object = state.objects.get(objectKey(location.bucket, location.key))
  return object === undefined
    ? Effect.fail(invalid(`The S3 object s3://${location.bucket}/${location.key} does not exist.`))
    : Effect.succeed(object)
}

/** The media `mediaId` of this number, if still kept by Meta. */
const findMedia = (state: State, found: FoundNumber, mediaId: string, now: number): Media | undefined => {
  const media = state.media.get(mediaId)
  return media !== undefined && media.phoneNumberId === found.phoneNumber.phoneNumberId &&
      now < media.uploadedAtMillis + Duration.toMillis(mediaRetention)
    ? media
    : undefined
}

const postWhatsAppMessageMedia = ({ ref }: Context): Method<"PostWhatsAppMessageMedia"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const found = yield* requireNumber(state, input.originationPhoneNumberId)
      const location = yield* oneLocation("source", input.sourceS3File, input.sourceS3PresignedUrl)
      const object = yield* readObject(state, location)
      const limit = supportedMedia.get(object.contentType)
      if (limit === undefined) {
        return yield* invalid(
          `(#131053) Media upload error: ${object.contentType} is not a media type WhatsApp supports.`
        )
      }
      if (object.bytes.length > limit) {
        return yield* invalid(
          `(#131053) Media upload error: ${object.bytes.length} bytes is more than the ${limit} bytes ` +
            `WhatsApp allows for ${object.contentType}.`
        )
      }
      yield* metaAccess(found.waba)
      const mediaId = Shapes.WhatsAppMediaId.make(yield* decimalDigits(16))
      const media = new Map(state.media)
      media.set(mediaId, {
        mediaId,
        phoneNumberId: found.phoneNumber.phoneNumberId,
        mimeType: object.contentType,
        bytes: object.bytes,
        uploadedAtMillis: yield* Clock.currentTimeMillis
      })
      return [{ mediaId }, { ...state, media }] as const
    }))

const getWhatsAppMessageMedia = ({ ref }: Context): Method<"GetWhatsAppMessageMedia"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const found = yield* requireNumber(state, input.originationPhoneNumberId)
      yield* metaAccess(found.waba)
      const media = findMedia(state, found, input.mediaId, yield* Clock.currentTimeMillis)
      if (media === undefined) {
        return yield* notFound(
          `Media ${input.mediaId} of phone number ${input.originationPhoneNumberId} was not found.`
        )
      }
      const output = { mimeType: media.mimeType, fileSize: Math.ceil(media.bytes.length / 1024) }
      if (input.metadataOnly === true) return [output, state] as const
      const location = yield* oneLocation("destination", input.destinationS3File, input.destinationS3PresignedUrl)
      const objects = new Map(state.objects)
      objects.set(objectKey(location.bucket, location.key), { contentType: media.mimeType, bytes: media.bytes })
      return [output, { ...state, objects }] as const
    }))

const deleteWhatsAppMessageMedia = ({ ref }: Context): Method<"DeleteWhatsAppMessageMedia"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const found = yield* requireNumber(state, input.originationPhoneNumberId)
      yield* metaAccess(found.waba)
      const deletedKey = `media:${found.phoneNumber.phoneNumberId}:${input.mediaId}`
      const media = findMedia(state, found, input.mediaId, yield* Clock.currentTimeMillis)
      if (media === undefined) {
        return state.deleted.has(deletedKey)
          ? [{ success: true }, state] as const
          : yield* notFound(
            `Media ${input.mediaId} of phone number ${input.originationPhoneNumberId} was not found.`
          )
      }
      const remaining = new Map(state.media)
      remaining.delete(media.mediaId)
      return [{ success: true }, {
        ...state,
        media: remaining,
        deleted: new Set([...state.deleted, deletedKey])
      }] as const
    }))

const createWhatsAppMessageTemplateMedia =
  ({ ref }: Context): Method<"CreateWhatsAppMessageTemplateMedia"> => (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const waba = yield* requireWaba(state, input.id)
        const location = yield* oneLocation("source", input.sourceS3File, undefined)
        const object = yield* readObject(state, location)
        if (!headerMedia.has(object.contentType)) {
          return yield* invalid(
            `A template header sample must be ${[...headerMedia].join(", ")}; got ${object.contentType}.`
          )
        }
        yield* metaAccess(waba)
        // Meta's resumable-upload handles look like "4::<base64 MIME type>:<opaque>".
        const handle = `4::${Encoding.encodeBase64(object.contentType)}:ARa${yield* hex(40)}`
        const headerHandles = new Map(state.headerHandles)
        headerHandles.set(handle, { waba: waba.id, handle, mimeType: object.contentType, size: object.bytes.length })
        return [{ metaHeaderHandle: handle }, { ...state, headerHandles }] as const
      }))

/** The media operations. */
export const make = (context: Context): Methods<Operation> => ({
  postWhatsAppMessageMedia: postWhatsAppMessageMedia(context),
  getWhatsAppMessageMedia: getWhatsAppMessageMedia(context),
  deleteWhatsAppMessageMedia: deleteWhatsAppMessageMedia(context),
  createWhatsAppMessageTemplateMedia: createWhatsAppMessageTemplateMedia(context)
})
