/**
 * Sending: SendWhatsAppMessage, from a registered phone number of a linked WABA, into that number's outbox.
 *
 * - The origination number must be a registered number of a linked WABA (`…phone-number-id-…` or its ARN),
 *   else `ResourceNotFoundException`.
 * - `metaApiVersion` is `v{major}.{minor}` (`v20.0`), else `ValidationException`.
 * - `message` must be Meta message JSON (`WhatsAppMessage.decode`: UTF-8 JSON with a known `type`, a
 *   recipient and that type's members, or a mark-as-read), else `ValidationException` naming each member
 *   that is wrong, with its path.
 * - What Meta would refuse after that is `InvalidParametersException` with Meta's error code: a template
 *   message must name an APPROVED template of the WABA in that language (#132001), and media sent by id
 *   must have been uploaded for this number (PostWhatsAppMessageMedia) and not deleted (#131053).
 * - Meta unreachable for the WABA (`Service.setMetaStatus`) is `DependencyException`.
 *
 * The answer's `messageId` is fresh (a UUID); the outbox entry also has the `wamid.…` Meta would use in
 * events. The outbox keeps the newest `outboxSize` messages per number (`Service.outbox`, and the server's
 * `GET /_sandbox/outbox`).
 *
 * When the number's WABA has an event destination, the send also schedules the status events (and, for the
 * seeded customer, the reply) that AWS would deliver there (`Events.afterSend`; see `Events.ts`).
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as WhatsAppMessage from "@social-messaging/domain/WhatsAppMessage"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { hex, uuid } from "../internal/random.js"
import * as Events from "./Events.js"
import {
  type Context,
  describeIssues,
  type FoundNumber,
  invalid,
  metaReachable,
  type Methods,
  newest,
  requireNumber,
  type SentMessage,
  type State,
  validation
} from "./State.js"
import { statusAt } from "./Templates.js"

/** The media id a message refers to, if it sends media by id. */
const mediaIdOf = (message: WhatsAppMessage.Message): string | undefined => {
  if ("status" in message) return undefined
  switch (message.type) {
    case "image":
      return "id" in message.image ? message.image.id : undefined
    case "video":
      return "id" in message.video ? message.video.id : undefined
    case "document":
      return "id" in message.document ? message.document.id : undefined
    case "audio":
      return "id" in message.audio ? message.audio.id : undefined
    case "sticker":
      return "id" in message.sticker ? message.sticker.id : undefined
    default:
      return undefined
  }
}

/** What Meta checks against the account: the template is approved, the media was uploaded here. */
const checkAgainstAccount = (
  state: State,
  found: FoundNumber,
  message: WhatsAppMessage.Message,
  now: number
): Effect.Effect<void, Errors.InvalidParametersException> => {
  if (!("status" in message) && message.type === "template") {
    const { language, name } = message.template
    const template = state.templates.find((t) =>
      t.waba === found.waba.id && t.name === name && t.language === language.code
    )
    const status = template === undefined ? undefined : statusAt(template, now).status
    if (status !== "APPROVED") {
      return Effect.fail(invalid(
        status === undefined
          ? `(#132001) Template name does not exist in the translation: ${name} (${language.code}) is not a ` +
            `template of WABA ${found.waba.wabaId}.`
          : `(#132001) Template ${name} (${language.code}) is ${status}; only APPROVED templates can be sent.`
      ))
    }
  }
  const mediaId = mediaIdOf(message)
  if (mediaId !== undefined) {
    const media = state.media.get(mediaId)
    if (media === undefined || media.phoneNumberId !== found.phoneNumber.phoneNumberId) {
      return Effect.fail(invalid(
        `(#131053) Media upload error: media ${mediaId} was not uploaded for phone number ` +
          `${found.phoneNumber.phoneNumberId} (PostWhatsAppMessageMedia), or it was deleted.`
      ))
    }
  }
  return Effect.void
}

/** Meta's pricing category of a message: its template's, in lower case, else `service`. */
const categoryOf = (state: State, found: FoundNumber, message: WhatsAppMessage.Message): string => {
  if ("status" in message || message.type !== "template") return "service"
  const { language, name } = message.template
  const template = state.templates.find((t) =>
    t.waba === found.waba.id && t.name === name && t.language === language.code
  )
  return (template?.category ?? "utility").toLowerCase()
}

/** The message operations. */
export const make = ({ config, feed, ref }: Context): Methods<"SendWhatsAppMessage"> => ({
  sendWhatsAppMessage: (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const found = yield* requireNumber(state, input.originationPhoneNumberId)
        if (!/^v[0-9]+\.[0-9]+$/.test(input.metaApiVersion)) {
          return yield* validation(
            `metaApiVersion: expected v{major}.{minor} (for example v20.0), got ${JSON.stringify(input.metaApiVersion)}`
          )
        }
        const message = yield* WhatsAppMessage.decode(Redacted.value(input.message)).pipe(
          Effect.mapError((error) => validation(`message: ${describeIssues(error)}`))
        )
        yield* metaReachable(found.waba)
        const now = yield* Clock.currentTimeMillis
        yield* checkAgainstAccount(state, found, message, now)
        const messageId = yield* uuid
        const numberId = found.phoneNumber.phoneNumberId
        const sent: SentMessage = {
          messageId,
          metaMessageId: `wamid.${Encoding.encodeBase64(`HBgL${yield* hex(24)}`)}`,
          originationPhoneNumberId: numberId,
          to: "status" in message ? undefined : message.to,
          type: "status" in message ? "read" : message.type,
          metaApiVersion: input.metaApiVersion,
          message,
          sentAtMillis: now
        }
        const outbox = new Map(state.outbox)
        outbox.set(numberId, newest([...(state.outbox.get(numberId) ?? []), sent], config.outboxSize))
        const destination = found.waba.eventDestinations[0]
        const events = destination === undefined || sent.to === undefined
          ? []
          : yield* Events.afterSend({
            config,
            eventDestinationArn: destination.eventDestinationArn,
            linkedWabaId: found.waba.id,
            wabaArn: found.waba.arn,
            wabaId: found.waba.wabaId,
            phoneNumber: found.phoneNumber
          }, {
            messageId,
            wamid: sent.metaMessageId,
            to: sent.to,
            category: categoryOf(state, found, message),
            sentAtMillis: now
          })
        return [{ output: { messageId }, events }, { ...state, outbox }] as const
      })).pipe(Effect.flatMap(({ events, output }) => Effect.as(feed.schedule(events), output)))
})
