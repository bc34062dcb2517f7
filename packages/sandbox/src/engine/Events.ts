/**
 * Events: what AWS delivers to a WABA's event destination after a send, played by the sandbox, and the
 * in-memory feed they go to.
 *
 * - Only a WABA with an event destination (step 2's `waba.eventDestinations`, or
 *   PutWhatsAppBusinessAccountEventDestinations) gets events, as with AWS; they are scheduled when
 *   SendWhatsAppMessage accepts a message (a mark-as-read gets none: Meta sends no status for it).
 * - A recipient on WhatsApp: `sent`, `delivered`, `read` at `eventDelays.sent` / `.delivered` / `.read` after
 *   the send (`Clock` time, so `TestClock` drives them; each at least as late as the one before).
 * - `Fixtures.recipients.notOnWhatsApp`: one `failed` status at `eventDelays.sent`, with Meta's error 131026
 *   "Message undeliverable" (Meta's error codes page: "the recipient phone number is not a WhatsApp phone
 *   number"); AWS accepts the send, as it does for such recipients, and only this status tells.
 * - `Fixtures.recipients.replyingCustomer`: `sent`, `delivered`, `read`, then at `eventDelays.reply` an inbound
 *   text (`Fixtures.customerReply`) whose `context.id` is the sent message's `wamid` (a reply in WhatsApp).
 *
 * Each event is encoded as AWS delivers it, with the `WhatsAppEvent` schemas' encoders (so its decoder reads it
 * back): an SNS `Notification` as SNS POSTs it to an HTTPS subscriber, whose `Message` is AWS's event record
 * (`context` with the WABA's and number's Meta ids and ARNs, `aws_account_id`, `message_timestamp` in RFC 3339
 * with nanoseconds, `messageId`: for a status, the id SendWhatsAppMessage answered) holding Meta's webhook entry
 * as a JSON string. `TopicArn` is the destination's ARN. The sandbox cannot sign: `Signature` is a placeholder
 * and `SigningCertURL` names no certificate, so a handler that verifies SNS signatures must skip that step for
 * sandbox deliveries.
 *
 * The feed keeps the newest `eventFeedSize` deliveries (default 1000). `stream` replays those already due and
 * follows: each delivery is emitted once its time has come, ordered by time.
 */
import type * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Fixtures from "../Fixtures.js"
import { hex, uuid } from "../internal/random.js"
import type { Config } from "./Config.js"

// =============================================================================
// Deliveries and the feed
// =============================================================================

/** One event as delivered to the WABA's event destination. */
export interface Delivery {
  /** Position in the feed (1, 2, …), in scheduling order. */
  readonly sequence: number
  /** When the event is delivered (`Clock` millis). */
  readonly atMillis: number
  /** The WABA's event destination (the SNS `TopicArn`). */
  readonly eventDestinationArn: string
  readonly linkedWhatsAppBusinessAccountId: string
  readonly originationPhoneNumberId: string
  /** AWS's `messageId` of the event record: for a status, what SendWhatsAppMessage answered. */
  readonly messageId: string
  /** `status:sent`, `status:delivered`, `status:read`, `status:failed` or `message:text`. */
  readonly kind: string
  /** The headers SNS sends with the POST (`x-amz-sns-message-type: Notification`, …). */
  readonly headers: Readonly<Record<string, string>>
  /** The SNS notification as SNS POSTs it (JSON text): what `WhatsAppEvent.fromSnsHttp` takes. */
  readonly body: string
}

/** A delivery before the feed numbers it. */
export type Scheduled = Omit<Delivery, "sequence">

/** The in-memory feed of deliveries. */
export interface Feed {
  /** Adds deliveries (each emitted when its `atMillis` comes). */
  readonly schedule: (deliveries: ReadonlyArray<Scheduled>) => Effect.Effect<void>
  /** The retained deliveries whose time has come, ordered by time. */
  readonly due: Effect.Effect<ReadonlyArray<Delivery>>
  /** The due deliveries numbered above `after`, and where the next poll resumes (see `Poll`). */
  readonly poll: (after: number) => Effect.Effect<Poll>
  /** The retained deliveries (those already due first), then each new one when its time comes; never ends. */
  readonly stream: Stream.Stream<Delivery>
}

/**
 * One poll of the feed. Sequences follow scheduling, not delivery: a `read` scheduled before a later send's
 * `sent` arrives after it, so "the largest sequence seen" is no resume point. `next` is: every delivery numbered
 * up to `next` is in this answer or an earlier one (it is the sequence before the first still pending). Poll
 * again with `after=next`; deliveries above `next` already seen come again and are told apart by `sequence`.
 */
export interface Poll {
  readonly deliveries: ReadonlyArray<Delivery>
  readonly next: number
}

interface FeedState {
  readonly entries: ReadonlyArray<Delivery>
  readonly nextSequence: number
  /** Completed (and replaced) whenever deliveries are added, to wake the streams waiting for them. */
  readonly added: Deferred.Deferred<void>
}

const byTime = (a: Delivery, b: Delivery) => a.atMillis - b.atMillis || a.sequence - b.sequence

/** What one stream has seen: every sequence up to `seen`, and those of them not yet due. */
interface Cursor {
  readonly seen: number
  readonly pending: ReadonlyArray<Delivery>
}

/** A feed keeping the newest `size` deliveries. */
export const makeFeed = (size: number): Effect.Effect<Feed> =>
  Effect.gen(function*() {
    const ref = yield* Ref.make<FeedState>({ entries: [], nextSequence: 1, added: yield* Deferred.make<void>() })

    const schedule = (deliveries: ReadonlyArray<Scheduled>): Effect.Effect<void> =>
      deliveries.length === 0 ? Effect.void : Effect.gen(function*() {
        const fresh = yield* Deferred.make<void>()
        const previous = yield* Ref.modify(ref, (state) => {
          const added = deliveries.map((d, i) => ({ ...d, sequence: state.nextSequence + i }))
          const entries = [...state.entries, ...added]
          return [state.added, {
            entries: entries.length > size ? entries.slice(entries.length - size) : entries,
            nextSequence: state.nextSequence + added.length,
            added: fresh
          }] as const
        })
        yield* Deferred.succeed(previous, undefined)
      })

    // One step of a stream: what came since the last step and is due now, or, with nothing due, a wait for the
    // next due time or for new deliveries. The `added` signal is read with the entries, so none is missed.
    const step = (cursor: Cursor) =>
      Effect.gen(function*() {
        const state = yield* Ref.get(ref)
        const now = yield* Clock.currentTimeMillis
        const pending = [...cursor.pending, ...state.entries.filter((d) => d.sequence > cursor.seen)]
        const ready = pending.filter((d) => d.atMillis <= now).sort(byTime)
        const later = pending.filter((d) => d.atMillis > now)
        if (ready.length === 0) {
          const next = later.reduce((min, d) => Math.min(min, d.atMillis), Number.POSITIVE_INFINITY)
          const wake = Deferred.await(state.added)
          yield* Number.isFinite(next) ? Effect.race(wake, Effect.sleep(Duration.millis(next - now))) : wake
        }
        const nextCursor: Cursor = { seen: state.nextSequence - 1, pending: later }
        return Option.some([Chunk.fromIterable(ready), nextCursor] as const)
      })

    const poll = (after: number): Effect.Effect<Poll> =>
      Effect.zipWith(Ref.get(ref), Clock.currentTimeMillis, (state, now) => {
        const pending = state.entries.filter((d) => d.atMillis > now)
        const firstPending = pending.reduce((min, d) => Math.min(min, d.sequence), state.nextSequence)
        return {
          deliveries: state.entries.filter((d) => d.atMillis <= now && d.sequence > after).sort(byTime),
          next: Math.max(after, firstPending - 1)
        }
      })

    return {
      schedule,
      poll,
      due: Effect.map(poll(0), (polled) => polled.deliveries),
      stream: Stream.unfoldChunkEffect<Cursor, Delivery, never, never>({ seen: 0, pending: [] }, step)
    }
  })

// =============================================================================
// Building AWS's deliveries
// =============================================================================

/** Where a send came from, and where its events go. */
export interface Origin {
  readonly config: Config
  readonly eventDestinationArn: string
  readonly linkedWabaId: Shapes.LinkedWhatsAppBusinessAccountId
  readonly wabaArn: string
  /** Meta's WABA id. */
  readonly wabaId: string
  readonly phoneNumber: Shapes.WhatsAppPhoneNumberSummary
}

/** What was sent. */
export interface Sent {
  readonly messageId: string
  readonly wamid: string
  /** The recipient as the message named it. */
  readonly to: string
  /** Meta's pricing category: the template's category (lower case), else `service`. */
  readonly category: string
  readonly sentAtMillis: number
}

/** Digits only: Meta's `wa_id` / `recipient_id` / `display_phone_number` form of a phone number. */
export const digitsOf = (phoneNumber: string): string => phoneNumber.replace(/[^0-9]/g, "")

const seconds = (millis: number): string => String(Math.floor(millis / 1000))

/** RFC 3339 with nanoseconds, as AWS writes `message_timestamp` (`2025-01-08T23:30:43.271000000Z`). */
const nanoTimestamp = (millis: number): string =>
  DateTime.formatIso(DateTime.unsafeMake(millis)).replace(/\.(\d{3})Z$/, ".$1000000Z")

const encodeRecord = Schema.encode(Schema.parseJson(WhatsAppEvent.EventRecord))
const encodeNotification = Schema.encode(Schema.parseJson(WhatsAppEvent.SnsSignedNotification))

/** A placeholder signature (base64 of a note): the sandbox has no SNS signing key. */
const unsignedSignature = Encoding.encodeBase64("sandbox: not signed by Amazon SNS")

/** One event: Meta's `value` for the number, in AWS's record, in SNS's envelope. */
const deliver = (
  origin: Origin,
  messageId: string,
  atMillis: number,
  kind: string,
  value: Omit<WhatsAppEvent.MessagesValue, "messaging_product" | "metadata">
): Effect.Effect<Scheduled> =>
  Effect.gen(function*() {
    const { config, phoneNumber } = origin
    const record: WhatsAppEvent.EventRecord = {
      context: {
        MetaWabaIds: [{ wabaId: origin.wabaId, arn: origin.wabaArn }],
        MetaPhoneNumberIds: [{ metaPhoneNumberId: phoneNumber.metaPhoneNumberId, arn: phoneNumber.arn }]
      },
      whatsAppWebhookEntry: {
        id: origin.wabaId,
        changes: [{
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: {
              display_phone_number: digitsOf(phoneNumber.phoneNumber),
              phone_number_id: phoneNumber.metaPhoneNumberId
            },
            ...value
          }
        }]
      },
      aws_account_id: config.accountId,
      message_timestamp: nanoTimestamp(atMillis),
      messageId
    }
    // The sandbox built these values from the schemas' types: an encode failure is a sandbox bug.
    const message = yield* Effect.orDie(encodeRecord(record))
    const snsMessageId = yield* uuid
    const subscriptionArn = `${origin.eventDestinationArn}:${yield* uuid}`
    const snsHost = `sns.${config.region}.amazonaws.com`
    const body = yield* Effect.orDie(encodeNotification({
      Type: "Notification",
      MessageId: snsMessageId,
      TopicArn: origin.eventDestinationArn,
      Message: message,
      Timestamp: DateTime.formatIso(DateTime.unsafeMake(atMillis)),
      SignatureVersion: "2",
      Signature: unsignedSignature,
      SigningCertURL: `https://${snsHost}/SimpleNotificationService-sandbox-unsigned.pem`,
      UnsubscribeURL: `https://${snsHost}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`
    }))
    return {
      atMillis,
      eventDestinationArn: origin.eventDestinationArn,
      linkedWhatsAppBusinessAccountId: origin.linkedWabaId,
      originationPhoneNumberId: phoneNumber.phoneNumberId,
      messageId,
      kind,
      // What SNS sends to an HTTP/HTTPS subscriber (SNS guide, "HTTP/HTTPS headers").
      headers: {
        "content-type": "text/plain; charset=UTF-8",
        "user-agent": "Amazon Simple Notification Service Agent",
        "x-amz-sns-message-type": "Notification",
        "x-amz-sns-message-id": snsMessageId,
        "x-amz-sns-topic-arn": origin.eventDestinationArn,
        "x-amz-sns-subscription-arn": subscriptionArn
      },
      body
    }
  })

/** The deliveries a real send would produce for this recipient (see the module's header). */
export const afterSend = (origin: Origin, sent: Sent): Effect.Effect<ReadonlyArray<Scheduled>> =>
  Effect.gen(function*() {
    const delays = origin.config.eventDelays
    const at = (delay: Duration.Duration, notBefore: number) =>
      Math.max(notBefore, sent.sentAtMillis + Duration.toMillis(delay))
    const sentAt = at(delays.sent, sent.sentAtMillis)
    const recipient = digitsOf(sent.to)
    const base = { id: sent.wamid, recipient_id: recipient }

    if (recipient === digitsOf(Fixtures.recipients.notOnWhatsApp)) {
      const failed: WhatsAppEvent.FailedStatus = {
        ...base,
        status: "failed",
        timestamp: seconds(sentAt),
        errors: [Fixtures.undeliverableError]
      }
      return [yield* deliver(origin, sent.messageId, sentAt, "status:failed", { statuses: [failed] })]
    }

    const deliveredAt = at(delays.delivered, sentAt)
    const readAt = at(delays.read, deliveredAt)
    const conversation: WhatsAppEvent.Conversation = {
      id: yield* hex(32),
      expiration_timestamp: seconds(sentAt + 24 * 60 * 60 * 1000),
      origin: { type: sent.category }
    }
    const pricing: WhatsAppEvent.Pricing = { billable: true, pricing_model: "CBP", category: sent.category }
    const status = (status: "sent" | "delivered" | "read", atMillis: number): WhatsAppEvent.DeliveryStatus => ({
      ...base,
      status,
      timestamp: seconds(atMillis),
      // As in AWS's and Meta's examples: `read` carries neither.
      ...(status === "read" ? {} : { conversation, pricing })
    })
    const statuses = [
      yield* deliver(origin, sent.messageId, sentAt, "status:sent", { statuses: [status("sent", sentAt)] }),
      yield* deliver(origin, sent.messageId, deliveredAt, "status:delivered", {
        statuses: [status("delivered", deliveredAt)]
      }),
      yield* deliver(origin, sent.messageId, readAt, "status:read", { statuses: [status("read", readAt)] })
    ]
    if (recipient !== digitsOf(Fixtures.recipients.replyingCustomer)) return statuses

    const replyAt = at(delays.reply, readAt)
    const reply: WhatsAppEvent.TextMessage = {
      from: recipient,
      id: `wamid.${Encoding.encodeBase64(`HBgL${yield* hex(24)}`)}`,
      timestamp: seconds(replyAt),
      type: "text",
      text: { body: Fixtures.customerReply },
      context: { from: digitsOf(origin.phoneNumber.phoneNumber), id: sent.wamid }
    }
    return [
      ...statuses,
      yield* deliver(origin, yield* uuid, replyAt, "message:text", {
        contacts: [{ profile: { name: Fixtures.customerName }, wa_id: recipient }],
        messages: [reply]
      })
    ]
  })
