/**
 * What AWS End User Messaging Social delivers to a WABA's event destination, decoded: the SNS notification
 * envelope, AWS's event record inside its `Message`, and Meta's webhook entry that the record carries as a
 * JSON **string** (`whatsAppWebhookEntry`). `events` flattens one notification into typed events: status
 * updates, inbound messages, webhook errors, and an open `Unknown` case for kinds Meta adds later.
 *
 * Sources followed (members, nesting, optionality):
 * - AWS End User Messaging Social User Guide: "Message and event format" (`managing-event-destination-dlrs`:
 *   the event header, a `sent` status entry, an image entry), "Example of responding to a message"
 *   (`example-response`: a text entry, a header without `messageId`), "WhatsApp message status"
 *   (`managing-event-destinations-status`), "Sending messages" (recipients without WhatsApp only show up as a
 *   `failed` status), "Monitoring with Amazon EventBridge" (status events carry AWS's UUID `messageId`).
 * - Amazon SNS Developer Guide: "HTTP/HTTPS notification JSON format", "Amazon SNS raw message delivery"
 *   (SQS and Firehose bodies with and without the envelope), "Amazon SNS notification format for delivery to
 *   HTTP destinations" / "…for storage in Amazon S3 destinations" (Firehose records: no signature members).
 * - Meta's OpenAPI description of the Business Messaging API, `facebook/openapi`
 *   `business-messaging-api_v23.0.yaml`: schemas `Entry`, `Change`, `Metadata`, `ContactProfile`,
 *   `StatusMessageValue`, `Statuses`, `Conversation`, `Pricing`, `StatusError`, `IncomingMessage` and its
 *   kinds (`TextMessage_2`, `ImageMessage_1`, … `OrderMessage`, `SystemMessage`, `UnsupportedMessage`), and
 *   Meta's pages `whatsapp/webhooks/reference/messages` (`…/status`, `…/errors`).
 *
 * Nothing here verifies an SNS signature (that needs the signing certificate, fetched from `SigningCertURL`):
 * verify a body you received over HTTP before trusting it.
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { Contact } from "./WhatsAppMessage.js"

// =============================================================================
// Building blocks
// =============================================================================

/** An optional member: absent or valid (`exact`, matching `exactOptionalPropertyTypes`). */
const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** Members we do not model, kept as they came (for the open cases). */
const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * A Unix time in seconds as Meta sends it: a decimal string (`"1736379042"`). At most 12 digits, so the
 * instant stays inside the range a `Date` can hold (year 275760).
 */
export const UnixSeconds = Schema.String.pipe(
  Schema.pattern(/^[0-9]{1,12}$/, { message: () => "expected Unix seconds as a decimal string" })
).annotations({ identifier: "UnixSeconds" })

// =============================================================================
// SNS envelope
// =============================================================================

/** `MessageAttributes` of a notification (SNS: name → `{ Type, Value }`). */
export const SnsMessageAttributes = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({ Type: Schema.String, Value: Schema.String })
}).annotations({ identifier: "SnsMessageAttributes" })

/**
 * An SNS `Notification` as SNS wraps a published message (HTTP/HTTPS and non-raw SQS bodies, non-raw Firehose
 * records). The signature members are optional here because Firehose records omit them (SNS guide, "…for
 * storage in Amazon S3 destinations": `Type`, `MessageId`, `TopicArn`, `Subject`, `Timestamp`,
 * `UnsubscribeURL`, `MessageAttributes`); `SnsSignedNotification` requires them.
 */
export const SnsNotification = Schema.Struct({
  Type: Schema.Literal("Notification"),
  /** SNS: a UUID per published message; a retry keeps the original's. */
  MessageId: Schema.String,
  TopicArn: Schema.String,
  /** Present only when the publisher gave one (AWS End User Messaging Social gives none in its examples). */
  Subject: optional(Schema.String),
  /** The published message: here, AWS's event record as a JSON string. */
  Message: Schema.String,
  Timestamp: Schema.String,
  SignatureVersion: optional(Schema.String),
  Signature: optional(Schema.String),
  SigningCertURL: optional(Schema.String),
  UnsubscribeURL: optional(Schema.String),
  MessageAttributes: optional(SnsMessageAttributes)
}).annotations({ identifier: "SnsNotification" })
export type SnsNotification = typeof SnsNotification.Type

/** A `Notification` as SNS POSTs it to an HTTP/HTTPS subscriber: signed, with the unsubscribe link. */
export const SnsSignedNotification = Schema.Struct({
  ...SnsNotification.fields,
  /** SNS: `1` (SHA1withRSA) or `2` (SHA256withRSA). */
  SignatureVersion: Schema.String,
  Signature: Schema.String,
  SigningCertURL: Schema.String,
  UnsubscribeURL: Schema.String
}).annotations({ identifier: "SnsSignedNotification" })
export type SnsSignedNotification = typeof SnsSignedNotification.Type

/**
 * `SubscriptionConfirmation` / `UnsubscribeConfirmation`: what SNS POSTs to an HTTP subscriber before (and
 * after) notifications. Confirm by visiting `SubscribeURL`.
 */
export const SnsSubscriptionMessage = Schema.Struct({
  Type: Schema.Literal("SubscriptionConfirmation", "UnsubscribeConfirmation"),
  MessageId: Schema.String,
  Token: Schema.String,
  TopicArn: Schema.String,
  Message: Schema.String,
  SubscribeURL: Schema.String,
  Timestamp: Schema.String,
  SignatureVersion: Schema.String,
  Signature: Schema.String,
  SigningCertURL: Schema.String
}).annotations({ identifier: "SnsSubscriptionMessage" })
export type SnsSubscriptionMessage = typeof SnsSubscriptionMessage.Type

/** Any body SNS POSTs to an HTTP/HTTPS subscriber (the `x-amz-sns-message-type` header names which). */
export const SnsHttpMessage = Schema.Union(SnsSignedNotification, SnsSubscriptionMessage)
  .annotations({ identifier: "SnsHttpMessage" })
export type SnsHttpMessage = typeof SnsHttpMessage.Type

// =============================================================================
// Meta's webhook entry (the `whatsAppWebhookEntry` string, decoded)
// =============================================================================

/** `metadata`: the business phone number the change concerns. */
export const Metadata = Schema.Struct({
  display_phone_number: Schema.String,
  /** Meta's phone number id (not AWS's `phone-number-id-…`). */
  phone_number_id: Schema.String
}).annotations({ identifier: "WhatsAppWebhookMetadata" })
export type Metadata = typeof Metadata.Type

/** `contacts[]`: the sender's profile; Meta: "a WhatsApp user's ID and phone number may not always match". */
export const ContactProfile = Schema.Struct({
  profile: Schema.Struct({ name: Schema.String }),
  wa_id: optional(Schema.String)
}).annotations({ identifier: "WhatsAppContactProfile" })
export type ContactProfile = typeof ContactProfile.Type

/**
 * An error object (Meta `StatusError` / `ErrorObject`): in `statuses[].errors`, `messages[].errors` and
 * `value.errors`. `code` and `title` are in every one of Meta's examples; `message` repeats `title`.
 */
export const MetaError = Schema.Struct({
  code: Schema.Int,
  title: Schema.String,
  message: optional(Schema.String),
  error_data: optional(Schema.Struct({ details: Schema.String })),
  href: optional(Schema.String)
}).annotations({ identifier: "WhatsAppMetaError" })
export type MetaError = typeof MetaError.Type

/** `conversation` of a status (Meta: all members optional; `expiration_timestamp` only on the first). */
export const Conversation = Schema.Struct({
  id: optional(Schema.String),
  expiration_timestamp: optional(UnixSeconds),
  origin: optional(Schema.Struct({ type: Schema.String }))
}).annotations({ identifier: "WhatsAppConversation" })
export type Conversation = typeof Conversation.Type

/** `pricing` of a status; `pricing_model` is `CBP` or `PMP` today, kept open for Meta's next one. */
export const Pricing = Schema.Struct({
  billable: optional(Schema.Boolean),
  pricing_model: optional(Schema.String),
  category: optional(Schema.String)
}).annotations({ identifier: "WhatsAppPricing" })
export type Pricing = typeof Pricing.Type

/** The statuses this module types; anything else (`deleted`, `warning`, …) decodes as `OtherStatus`. */
export const KnownStatus = Schema.Literal("sent", "delivered", "read", "failed")
  .annotations({ identifier: "WhatsAppKnownStatus" })
export type KnownStatus = typeof KnownStatus.Type

const statusFields = {
  /** Meta's message id (`wamid.…`) of the message this status is about. */
  id: Schema.String,
  timestamp: UnixSeconds,
  recipient_id: Schema.String,
  group_id: optional(Schema.String),
  conversation: optional(Conversation),
  pricing: optional(Pricing)
}

/** A `sent`, `delivered` or `read` status (Meta `Statuses`; `errors` absent). */
export const DeliveryStatus = Schema.Struct({
  ...statusFields,
  status: Schema.Literal("sent", "delivered", "read")
}).annotations({ identifier: "WhatsAppDeliveryStatus" })
export type DeliveryStatus = typeof DeliveryStatus.Type

/** A `failed` status: Meta includes at least one error saying why. */
export const FailedStatus = Schema.Struct({
  ...statusFields,
  status: Schema.Literal("failed"),
  errors: Schema.NonEmptyArray(MetaError)
}).annotations({ identifier: "WhatsAppFailedStatus" })
export type FailedStatus = typeof FailedStatus.Type

/** A status this module does not type; every member is kept. */
export const OtherStatus = Schema.Struct(
  {
    id: Schema.String,
    status: Schema.String.pipe(Schema.filter((s) => !Schema.is(KnownStatus)(s), {
      message: (issue) => `status ${JSON.stringify(issue.actual)} is a known one and must match its schema`
    }))
  },
  Rest
).annotations({ identifier: "WhatsAppOtherStatus" })
export type OtherStatus = typeof OtherStatus.Type

/** One `statuses[]` item. */
export const Status = Schema.Union(DeliveryStatus, FailedStatus, OtherStatus)
  .annotations({ identifier: "WhatsAppStatus" })
export type Status = typeof Status.Type

// -----------------------------------------------------------------------------
// Inbound messages
// -----------------------------------------------------------------------------

/**
 * `context` of an inbound message: the business message replied to, tapped or forwarded (`from`, `id`), or
 * the product asked about (`referred_product`).
 */
export const InboundContext = Schema.Struct({
  from: optional(Schema.String),
  id: optional(Schema.String),
  forwarded: optional(Schema.Boolean),
  frequently_forwarded: optional(Schema.Boolean),
  referred_product: optional(Schema.Struct({ catalog_id: Schema.String, product_retailer_id: Schema.String }))
}).annotations({ identifier: "WhatsAppInboundContext" })
export type InboundContext = typeof InboundContext.Type

/** `referral`: present when the user came through a Click to WhatsApp ad or post (Meta `ReferralObject`). */
export const Referral = Schema.Struct({
  source_url: optional(Schema.String),
  source_id: optional(Schema.String),
  source_type: optional(Schema.String),
  body: optional(Schema.String),
  headline: optional(Schema.String),
  media_type: optional(Schema.String),
  image_url: optional(Schema.String),
  video_url: optional(Schema.String),
  thumbnail_url: optional(Schema.String),
  ctwa_clid: optional(Schema.String)
}).annotations({ identifier: "WhatsAppReferral" })
export type Referral = typeof Referral.Type

/** Members every inbound message has (Meta `BaseMessageProperties`). */
const inboundFields = {
  from: Schema.String,
  /** Meta's message id (`wamid.…`): what a reply's `context.message_id` or a mark-as-read names. */
  id: Schema.String,
  timestamp: UnixSeconds,
  context: optional(InboundContext),
  referral: optional(Referral)
}

/**
 * A media object of an inbound message (Meta `MediaMessageProperties`): `id` is the media id to fetch with
 * GetWhatsAppMessageMedia (AWS: "To retrieve the media file, use the GetWhatsAppMessageMedia API").
 */
const media = <F extends Schema.Struct.Fields>(name: string, fields: F) =>
  Schema.Struct({
    id: Schema.String,
    mime_type: Schema.String,
    sha256: Schema.String,
    ...fields
  }).annotations({ identifier: name })

/** `text` message. */
export const TextMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("text"),
  text: Schema.Struct({ body: Schema.String })
}).annotations({ identifier: "WhatsAppInboundText" })
export type TextMessage = typeof TextMessage.Type

/** `image` message, optional caption. */
export const ImageMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("image"),
  image: media("WhatsAppInboundImageMedia", { caption: optional(Schema.String) })
}).annotations({ identifier: "WhatsAppInboundImage" })
export type ImageMessage = typeof ImageMessage.Type

/** `video` message, optional caption. */
export const VideoMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("video"),
  video: media("WhatsAppInboundVideoMedia", { caption: optional(Schema.String) })
}).annotations({ identifier: "WhatsAppInboundVideo" })
export type VideoMessage = typeof VideoMessage.Type

/**
 * `audio` message; `voice` is true for a recording made in WhatsApp. Meta's v23 OpenAPI requires `voice`;
 * it is optional here because earlier payloads lack it.
 */
export const AudioMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("audio"),
  audio: media("WhatsAppInboundAudioMedia", { voice: optional(Schema.Boolean) })
}).annotations({ identifier: "WhatsAppInboundAudio" })
export type AudioMessage = typeof AudioMessage.Type

/** `document` message, `filename` (Meta v23 requires it; optional here like `voice`) and optional caption. */
export const DocumentMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("document"),
  document: media("WhatsAppInboundDocumentMedia", {
    filename: optional(Schema.String),
    caption: optional(Schema.String)
  })
}).annotations({ identifier: "WhatsAppInboundDocument" })
export type DocumentMessage = typeof DocumentMessage.Type

/** `sticker` message; `animated` as Meta v23 sends it (optional here like `voice`). */
export const StickerMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("sticker"),
  sticker: media("WhatsAppInboundStickerMedia", { animated: optional(Schema.Boolean) })
}).annotations({ identifier: "WhatsAppInboundSticker" })
export type StickerMessage = typeof StickerMessage.Type

/**
 * `location` message: JSON numbers, as Meta sends them here. Meta's schema requires `name` and `address`; a
 * dropped pin has neither, so both are optional; `url` only for business locations.
 */
export const LocationMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("location"),
  location: Schema.Struct({
    latitude: Schema.JsonNumber,
    longitude: Schema.JsonNumber,
    name: optional(Schema.String),
    address: optional(Schema.String),
    url: optional(Schema.String)
  })
}).annotations({ identifier: "WhatsAppInboundLocation" })
export type LocationMessage = typeof LocationMessage.Type

/** `contacts` message: contact cards (Meta `ContactObject`, the same shape a business sends). */
export const ContactsMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("contacts"),
  contacts: Schema.Array(Contact)
}).annotations({ identifier: "WhatsAppInboundContacts" })
export type ContactsMessage = typeof ContactsMessage.Type

/**
 * `reaction` message: `emoji` on the business message `message_id`. Meta's schema requires `emoji`; it is
 * optional here because a removed reaction arrives without one.
 */
export const ReactionMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("reaction"),
  reaction: Schema.Struct({ message_id: Schema.String, emoji: optional(Schema.String) })
}).annotations({ identifier: "WhatsAppInboundReaction" })
export type ReactionMessage = typeof ReactionMessage.Type

/** `button` message: a quick-reply button of a template was tapped (`payload` as the template set it). */
export const ButtonMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("button"),
  button: Schema.Struct({ payload: Schema.String, text: Schema.String })
}).annotations({ identifier: "WhatsAppInboundButton" })
export type ButtonMessage = typeof ButtonMessage.Type

/** `interactive.button_reply`: a reply button was tapped (`id`, `title` as the business sent them). */
export const ButtonReply = Schema.Struct({
  type: Schema.Literal("button_reply"),
  button_reply: Schema.Struct({ id: Schema.String, title: Schema.String })
}).annotations({ identifier: "WhatsAppButtonReply" })
export type ButtonReply = typeof ButtonReply.Type

/** `interactive.list_reply`: a list row was chosen (Meta requires `description`; optional here, rows may lack one). */
export const ListReply = Schema.Struct({
  type: Schema.Literal("list_reply"),
  list_reply: Schema.Struct({ id: Schema.String, title: Schema.String, description: optional(Schema.String) })
}).annotations({ identifier: "WhatsAppListReply" })
export type ListReply = typeof ListReply.Type

/**
 * `interactive.nfm_reply`: a WhatsApp Flow was completed; `response_json` is the Flow's response, itself a JSON
 * string (Meta Flows guide, "Flow response message webhook"), left as a string.
 */
export const FlowReply = Schema.Struct({
  type: Schema.Literal("nfm_reply"),
  nfm_reply: Schema.Struct({
    response_json: Schema.String,
    body: optional(Schema.String),
    name: optional(Schema.String)
  })
}).annotations({ identifier: "WhatsAppFlowReply" })
export type FlowReply = typeof FlowReply.Type

/** The interactive replies this module types; others decode as `OtherMessage`. */
export const InteractiveReplyType = Schema.Literal("button_reply", "list_reply", "nfm_reply")

/** `interactive` message: a reply to a business's interactive message. */
export const InteractiveMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("interactive"),
  interactive: Schema.Union(ButtonReply, ListReply, FlowReply)
}).annotations({ identifier: "WhatsAppInboundInteractive" })
export type InteractiveMessage = typeof InteractiveMessage.Type

/** `order` message: products sent from a catalog. */
export const OrderMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("order"),
  order: Schema.Struct({
    catalog_id: Schema.String,
    text: optional(Schema.String),
    product_items: Schema.Array(Schema.Struct({
      product_retailer_id: Schema.String,
      quantity: Schema.JsonNumber,
      item_price: Schema.JsonNumber,
      currency: Schema.String
    }))
  })
}).annotations({ identifier: "WhatsAppInboundOrder" })
export type OrderMessage = typeof OrderMessage.Type

/** `system` message, such as `user_changed_number` (with the new `wa_id`). */
export const SystemMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("system"),
  system: Schema.Struct({ body: Schema.String, type: Schema.String, wa_id: optional(Schema.String) })
}).annotations({ identifier: "WhatsAppInboundSystem" })
export type SystemMessage = typeof SystemMessage.Type

/** `unsupported` (or `unknown`) message: a kind the Cloud API cannot pass on; `errors` says so (131051). */
export const UnsupportedMessage = Schema.Struct({
  ...inboundFields,
  type: Schema.Literal("unsupported", "unknown"),
  errors: Schema.Array(MetaError)
}).annotations({ identifier: "WhatsAppInboundUnsupported" })
export type UnsupportedMessage = typeof UnsupportedMessage.Type

/** The inbound `type`s this module types. */
export const InboundType = Schema.Literal(
  "text",
  "image",
  "video",
  "audio",
  "document",
  "sticker",
  "location",
  "contacts",
  "reaction",
  "button",
  "interactive",
  "order",
  "system",
  "unsupported",
  "unknown"
).annotations({ identifier: "WhatsAppInboundType" })
export type InboundType = typeof InboundType.Type

/** An inbound message of a kind this module types. */
export const KnownMessage = Schema.Union(
  TextMessage,
  ImageMessage,
  VideoMessage,
  AudioMessage,
  DocumentMessage,
  StickerMessage,
  LocationMessage,
  ContactsMessage,
  ReactionMessage,
  ButtonMessage,
  InteractiveMessage,
  OrderMessage,
  SystemMessage,
  UnsupportedMessage
).annotations({ identifier: "WhatsAppKnownInboundMessage" })
export type KnownMessage = typeof KnownMessage.Type

/** Whether a message's `type` (and, for `interactive`, its reply type) is one this module types. */
const isKnownKind = (message: { readonly type: string; readonly [key: string]: unknown }): boolean =>
  Schema.is(InboundType)(message.type) &&
  (message.type !== "interactive" ||
    (Predicate.hasProperty(message.interactive, "type") && Schema.is(InteractiveReplyType)(message.interactive.type)))

/** An inbound message of a kind this module does not type (Meta adds kinds); every member is kept. */
export const OtherMessage = Schema.Struct(
  { from: Schema.String, id: Schema.String, timestamp: UnixSeconds, type: Schema.String },
  Rest
).pipe(
  Schema.filter((m) => !isKnownKind(m), {
    message: (issue) =>
      `a message of a known kind must match its schema (type ${
        JSON.stringify(Predicate.hasProperty(issue.actual, "type") ? issue.actual.type : undefined)
      })`
  })
).annotations({ identifier: "WhatsAppOtherInboundMessage" })
export type OtherMessage = typeof OtherMessage.Type

/** One `messages[]` item: a typed kind, or `OtherMessage`. */
export const Inbound = Schema.Union(KnownMessage, OtherMessage).annotations({ identifier: "WhatsAppInbound" })
export type Inbound = typeof Inbound.Type

// -----------------------------------------------------------------------------
// Changes and the entry
// -----------------------------------------------------------------------------

/**
 * `value` of a `messages` change: statuses, or inbound messages with their senders' profiles, or errors
 * (Meta `StatusMessageValue` / `IncomingMessageValue*`, and the `errors` webhook).
 */
export const MessagesValue = Schema.Struct({
  messaging_product: Schema.Literal("whatsapp"),
  metadata: Metadata,
  contacts: optional(Schema.Array(ContactProfile)),
  messages: optional(Schema.Array(Inbound)),
  statuses: optional(Schema.Array(Status)),
  errors: optional(Schema.Array(MetaError))
}).annotations({ identifier: "WhatsAppMessagesValue" })
export type MessagesValue = typeof MessagesValue.Type

/** A change of the `messages` field. */
export const MessagesChange = Schema.Struct({
  field: Schema.Literal("messages"),
  value: MessagesValue
}).annotations({ identifier: "WhatsAppMessagesChange" })
export type MessagesChange = typeof MessagesChange.Type

/** A change of another field (`group_*`, account and template updates, …): kept as it came. */
export const OtherChange = Schema.Struct({
  field: Schema.String.pipe(Schema.filter((f) => f !== "messages", {
    message: () => "a messages change must match its schema"
  })),
  value: Schema.Unknown
}).annotations({ identifier: "WhatsAppOtherChange" })
export type OtherChange = typeof OtherChange.Type

/** One `changes[]` item. */
export const Change = Schema.Union(MessagesChange, OtherChange).annotations({ identifier: "WhatsAppChange" })
export type Change = typeof Change.Type

/** Meta's webhook entry: `id` is the WABA's Meta id; `changes` what happened. */
export const WebhookEntry = Schema.Struct({
  id: Schema.String,
  changes: Schema.Array(Change)
}).annotations({ identifier: "WhatsAppWebhookEntry" })
export type WebhookEntry = typeof WebhookEntry.Type

// =============================================================================
// AWS's event record (the SNS `Message`, decoded)
// =============================================================================

/** `context.MetaWabaIds[]`: Meta's WABA id and the WABA's AWS ARN (`…:waba/<id>`). */
export const MetaWabaId = Schema.Struct({
  wabaId: Schema.String,
  arn: Schema.String
}).annotations({ identifier: "MetaWabaId" })
export type MetaWabaId = typeof MetaWabaId.Type

/** `context.MetaPhoneNumberIds[]`: Meta's phone number id and the number's AWS ARN (`…:phone-number-id/<id>`). */
export const MetaPhoneNumberId = Schema.Struct({
  metaPhoneNumberId: Schema.String,
  arn: Schema.String
}).annotations({ identifier: "MetaPhoneNumberId" })
export type MetaPhoneNumberId = typeof MetaPhoneNumberId.Type

/** The header's `context`: which WABA and phone number the event belongs to, by Meta id and AWS ARN. */
export const EventContext = Schema.Struct({
  MetaWabaIds: Schema.Array(MetaWabaId),
  MetaPhoneNumberIds: Schema.Array(MetaPhoneNumberId)
}).annotations({ identifier: "EventContext" })
export type EventContext = typeof EventContext.Type

/**
 * AWS's event record: the header and Meta's entry. `whatsAppWebhookEntry` is a JSON string on the wire and
 * `WebhookEntry` once decoded. `messageId` is AWS's id (UUID form); AWS's "responding" example omits it, so it
 * is optional. `message_timestamp` is RFC 3339 with nanoseconds (`2025-01-08T23:30:43.271279391Z`).
 */
export const EventRecord = Schema.Struct({
  context: EventContext,
  whatsAppWebhookEntry: Schema.parseJson(WebhookEntry),
  aws_account_id: Schema.String,
  message_timestamp: Schema.String,
  messageId: optional(Schema.String)
}).annotations({ identifier: "EventRecord" })
export type EventRecord = typeof EventRecord.Type

/** One delivery: AWS's event record, and the SNS envelope around it unless the subscription is raw. */
export interface Notification {
  readonly sns?: SnsNotification
  readonly record: EventRecord
}

// =============================================================================
// Typed events
// =============================================================================

/**
 * Where an event comes from. Meta's ids (`wabaId`, `phoneNumberId`) come from the entry; the ARNs from the
 * header's `context`, matched by Meta id (or the only item when there is one: AWS's own example pairs
 * mismatched placeholder ids); `originationPhoneNumberId` (`phone-number-id-…`, what SendWhatsAppMessage
 * takes) and `linkedWabaId` (`waba-…`) are the ARNs' resource ids.
 */
export const Origin = Schema.Struct({
  awsAccountId: Schema.String,
  /** AWS's `messageId` of the event record: for a status, the id SendWhatsAppMessage returned. */
  messageId: optional(Schema.String),
  /** AWS's `message_timestamp`, as sent. */
  awsTimestamp: Schema.String,
  wabaId: Schema.String,
  wabaArn: optional(Schema.String),
  linkedWabaId: optional(Schema.String),
  phoneNumberId: optional(Schema.String),
  displayPhoneNumber: optional(Schema.String),
  phoneNumberArn: optional(Schema.String),
  originationPhoneNumberId: optional(Schema.String)
}).annotations({ identifier: "WhatsAppEventOrigin" })
export type Origin = typeof Origin.Type

/**
 * A status of a message the business sent: `sent`, `delivered`, `read`, or `failed` with Meta's `error`
 * (code and title; `errors` has them all). `wamid` is Meta's id; `origin.messageId` is AWS's (see
 * `isStatusOf`).
 */
export const StatusUpdate = Schema.TaggedStruct("StatusUpdate", {
  origin: Origin,
  status: KnownStatus,
  wamid: Schema.String,
  recipientId: Schema.String,
  at: Schema.DateTimeUtc,
  conversation: optional(Conversation),
  pricing: optional(Pricing),
  error: optional(MetaError),
  errors: Schema.Array(MetaError)
}).annotations({ identifier: "WhatsAppStatusUpdate" })
export type StatusUpdate = typeof StatusUpdate.Type

/**
 * A message a WhatsApp user sent: `kind` is Meta's `type`, `message` Meta's object for it (media id at
 * `message.image.id` and so on; see `mediaId`), `profile` the sender's from `contacts`.
 */
export const InboundMessage = Schema.TaggedStruct("InboundMessage", {
  origin: Origin,
  kind: InboundType,
  wamid: Schema.String,
  from: Schema.String,
  at: Schema.DateTimeUtc,
  profile: optional(ContactProfile),
  message: KnownMessage
}).annotations({ identifier: "WhatsAppInboundMessage" })
export type InboundMessage = typeof InboundMessage.Type

/** An error Meta reports for the phone number or app, not for one message (`value.errors`). */
export const WebhookError = Schema.TaggedStruct("WebhookError", {
  origin: Origin,
  error: MetaError
}).annotations({ identifier: "WhatsAppWebhookError" })
export type WebhookError = typeof WebhookError.Type

/**
 * Anything else, kept as it came: `kind` says what (`status:deleted`, `message:ephemeral`,
 * `interactive:call_permission_reply`, `field:group_lifecycle_update`), `raw` is Meta's object.
 */
export const Unknown = Schema.TaggedStruct("Unknown", {
  origin: Origin,
  kind: Schema.String,
  raw: Schema.Unknown
}).annotations({ identifier: "WhatsAppUnknownEvent" })
export type Unknown = typeof Unknown.Type

/**
 * One typed event, told apart by `_tag`.
 *
 * @example
 * ```ts
 * import { WhatsAppEvent } from "@social-messaging/domain"
 * import { Effect } from "effect"
 *
 * const handle = (body: string) =>
 *   WhatsAppEvent.fromSnsHttp(body).pipe(
 *     Effect.map(WhatsAppEvent.events),
 *     Effect.tap((events) =>
 *       Effect.forEach(events, (e) =>
 *         e._tag === "StatusUpdate" ? Effect.log(e.status, e.error?.code) : Effect.void))
 *   )
 * ```
 */
export const Event = Schema.Union(StatusUpdate, InboundMessage, WebhookError, Unknown)
  .annotations({ identifier: "WhatsAppEvent" })
export type Event = typeof Event.Type

// =============================================================================
// Errors
// =============================================================================

/** One issue of a failed decode: where (member path) and what. */
export const Issue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
}).annotations({ identifier: "WhatsAppEventIssue" })
export type Issue = typeof Issue.Type

/** Where a payload came in, and so which layer failed to decode. */
export const Source = Schema.Literal("sns-http", "sqs", "firehose", "record")
export type Source = typeof Source.Type

/**
 * A payload that is not what AWS delivers: not JSON, not an SNS notification or event record, or an entry that
 * breaks Meta's schema. `issues` name each member at fault (`whatsAppWebhookEntry` paths start inside the
 * decoded entry).
 */
export class MalformedEvent extends Schema.TaggedError<MalformedEvent>()("MalformedEvent", {
  source: Source,
  issues: Schema.Array(Issue)
}) {
  override get message() {
    return `${this.source}: ${this.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`
  }
}

/**
 * An SNS body that is a `SubscriptionConfirmation` or `UnsubscribeConfirmation`, not a notification: confirm
 * the subscription by visiting `subscribeUrl` (after verifying the signature).
 */
export class NotANotification extends Schema.TaggedError<NotANotification>()("NotANotification", {
  type: Schema.Literal("SubscriptionConfirmation", "UnsubscribeConfirmation"),
  topicArn: Schema.String,
  subscribeUrl: Schema.String
}) {
  override get message() {
    return `SNS ${this.type} for ${this.topicArn}, not a notification`
  }
}

/** What decoding a delivery can fail with. */
export type DecodeError = MalformedEvent | NotANotification

/**
 * What an issue says, without the payload: the parser's "…, actual <value>" and JSON.parse's quoted excerpt
 * would put a customer's message (or any secret of a delivery) into an error message and a log.
 */
const withoutPayload = (message: string): string => {
  if (/JSON/.test(message)) {
    const position = message.match(/position (\d+)/)?.[1]
    return position === undefined ? "not valid JSON" : `not valid JSON (at position ${position})`
  }
  return message.replace(/, actual [\s\S]*$/, "")
}

const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<Issue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.map((key) => typeof key === "number" ? key : String(key)),
    message: withoutPayload(issue.message)
  }))

const malformed = (source: Source) => (error: ParseResult.ParseError) =>
  new MalformedEvent({ source, issues: issuesOf(error) })

// =============================================================================
// Decoding deliveries
// =============================================================================

const Json = Schema.parseJson()
const decodeJson = Schema.decode(Json)
const decodeRecordJson = Schema.decodeUnknown(EventRecord)
const decodeSnsNotification = Schema.decodeUnknown(SnsNotification)
const decodeSnsHttpJson = Schema.decodeUnknown(SnsHttpMessage)
const decodeRecordString = Schema.decode(Schema.compose(Json, EventRecord))
const decodeBase64 = Schema.decode(Schema.StringFromBase64)

/** Decodes AWS's event record from its JSON text (the SNS `Message`, or a raw delivery's body). */
export const decodeRecord = (json: string): Effect.Effect<EventRecord, MalformedEvent> =>
  decodeRecordString(json).pipe(Effect.mapError(malformed("record")))

/** An SNS envelope's `Message`, decoded as AWS's event record. */
const openEnvelope = (sns: SnsNotification, source: Source): Effect.Effect<Notification, MalformedEvent> =>
  decodeRecordString(sns.Message).pipe(
    Effect.mapError((error) =>
      new MalformedEvent({
        source,
        issues: issuesOf(error).map((issue) => ({ ...issue, path: ["Message", ...issue.path] }))
      })
    ),
    Effect.map((record) => ({ sns, record }))
  )

/**
 * Decodes the body SNS POSTs to an HTTP/HTTPS subscriber. A subscription or unsubscribe confirmation fails
 * with `NotANotification` (its `subscribeUrl` confirms); anything else malformed with `MalformedEvent`.
 * Verify the SNS signature first (this does not).
 *
 * @example
 * ```ts
 * const events = WhatsAppEvent.fromSnsHttp(body).pipe(Effect.map(WhatsAppEvent.events))
 * // Effect<ReadonlyArray<WhatsAppEvent.Event>, MalformedEvent | NotANotification>
 * ```
 */
export const fromSnsHttp = (body: string): Effect.Effect<Notification, DecodeError> =>
  Effect.gen(function*() {
    const json = yield* decodeJson(body).pipe(Effect.mapError(malformed("sns-http")))
    const message = yield* decodeSnsHttpJson(json).pipe(Effect.mapError(malformed("sns-http")))
    if (message.Type !== "Notification") {
      return yield* new NotANotification({
        type: message.Type,
        topicArn: message.TopicArn,
        subscribeUrl: message.SubscribeURL
      })
    }
    return yield* openEnvelope(message, "sns-http")
  })

/** JSON that is an SNS envelope (it has `Type`), or else the event record itself (raw delivery). */
const fromEnvelopeOrRecord = (text: string, source: Source): Effect.Effect<Notification, MalformedEvent> =>
  Effect.gen(function*() {
    const json = yield* decodeJson(text).pipe(Effect.mapError(malformed(source)))
    if (Predicate.hasProperty(json, "Type")) {
      const sns = yield* decodeSnsNotification(json).pipe(Effect.mapError(malformed(source)))
      return yield* openEnvelope(sns, source)
    }
    const record = yield* decodeRecordJson(json).pipe(Effect.mapError(malformed(source)))
    return { record }
  })

/**
 * Decodes an SQS message body that SNS delivered: the SNS envelope (raw message delivery off) or the event
 * record alone (raw delivery on; SNS: "any Amazon SNS metadata is stripped"). Takes the body, or an SQS
 * message (`{ body }`, as the SQS Lambda event and `ReceiveMessage` give it; `Body` in the SDK's shape).
 */
export const fromSqs = (
  message: string | { readonly body: string } | { readonly Body: string }
): Effect.Effect<Notification, MalformedEvent> =>
  fromEnvelopeOrRecord(
    typeof message === "string" ? message : "body" in message ? message.body : message.Body,
    "sqs"
  )

/**
 * Decodes a Firehose record of an SNS → Firehose subscription: base64 `data` holding the SNS envelope
 * (without signature members) or, with raw delivery, the event record. Takes the base64 text or a record
 * (`{ data }`, as a Firehose transformation Lambda or an HTTP endpoint delivery's `records[]` carries it).
 */
export const fromFirehose = (
  record: string | { readonly data: string }
): Effect.Effect<Notification, MalformedEvent> =>
  decodeBase64(typeof record === "string" ? record : record.data).pipe(
    Effect.mapError(malformed("firehose")),
    Effect.flatMap((text) => fromEnvelopeOrRecord(text.trim(), "firehose"))
  )

// =============================================================================
// Flattening
// =============================================================================

/** `arn:…:phone-number-id/abc` → `phone-number-id-abc` (the id form the API takes). */
const resourceId = (arn: string): string | undefined => {
  const resource = arn.slice(arn.lastIndexOf(":") + 1)
  return resource.includes("/") ? resource.replace("/", "-") : undefined
}

/** The item matching `id`, or the only item when there is one. */
const pick = <A>(items: ReadonlyArray<A>, matches: (a: A) => boolean): A | undefined =>
  items.find(matches) ?? (items.length === 1 ? items[0] : undefined)

const originOf = (record: EventRecord, metadata: Metadata | undefined): Origin => {
  const entry = record.whatsAppWebhookEntry
  const waba = pick(record.context.MetaWabaIds, (w) => w.wabaId === entry.id)
  const phone = metadata === undefined
    ? undefined
    : pick(record.context.MetaPhoneNumberIds, (p) => p.metaPhoneNumberId === metadata.phone_number_id)
  const wabaResource = waba === undefined ? undefined : resourceId(waba.arn)
  const phoneResource = phone === undefined ? undefined : resourceId(phone.arn)
  return {
    awsAccountId: record.aws_account_id,
    ...(record.messageId === undefined ? {} : { messageId: record.messageId }),
    awsTimestamp: record.message_timestamp,
    wabaId: entry.id,
    ...(waba === undefined ? {} : { wabaArn: waba.arn }),
    ...(wabaResource === undefined ? {} : { linkedWabaId: wabaResource }),
    ...(metadata === undefined ? {} : {
      phoneNumberId: metadata.phone_number_id,
      displayPhoneNumber: metadata.display_phone_number
    }),
    ...(phone === undefined ? {} : { phoneNumberArn: phone.arn }),
    ...(phoneResource === undefined ? {} : { originationPhoneNumberId: phoneResource })
  }
}

/** Meta's seconds as an instant (the schema allows at most 12 digits, always inside `Date`'s range). */
const instant = (seconds: string): DateTime.Utc => DateTime.unsafeMake(Number(seconds) * 1000)

const isKnown: (message: Inbound) => message is KnownMessage = Schema.is(KnownMessage)

const isDelivery = Schema.is(DeliveryStatus)
const isFailed = Schema.is(FailedStatus)

const statusEvent = (origin: Origin, status: Status): Event =>
  isDelivery(status)
    ? toStatusUpdate(origin, status, [])
    : isFailed(status)
    ? toStatusUpdate(origin, status, status.errors)
    : Unknown.make({ origin, kind: `status:${status.status}`, raw: status })

const toStatusUpdate = (
  origin: Origin,
  status: DeliveryStatus | FailedStatus,
  errors: ReadonlyArray<MetaError>
): StatusUpdate =>
  StatusUpdate.make({
    origin,
    status: status.status,
    wamid: status.id,
    recipientId: status.recipient_id,
    at: instant(status.timestamp),
    ...(status.conversation === undefined ? {} : { conversation: status.conversation }),
    ...(status.pricing === undefined ? {} : { pricing: status.pricing }),
    ...(errors[0] === undefined ? {} : { error: errors[0] }),
    errors
  })

const inboundEvent = (origin: Origin, contacts: ReadonlyArray<ContactProfile>, message: Inbound): Event => {
  if (!isKnown(message)) {
    const sub = message.type === "interactive" && Predicate.hasProperty(message.interactive, "type")
      ? `interactive:${String(message.interactive.type)}`
      : `message:${message.type}`
    return Unknown.make({ origin, kind: sub, raw: message })
  }
  const profile = pick(contacts, (c) => c.wa_id === message.from)
  return InboundMessage.make({
    origin,
    kind: message.type,
    wamid: message.id,
    from: message.from,
    at: instant(message.timestamp),
    ...(profile === undefined ? {} : { profile }),
    message
  })
}

const changeEvents = (record: EventRecord, change: Change): ReadonlyArray<Event> => {
  if (change.field !== "messages" || !Schema.is(MessagesChange)(change)) {
    return [Unknown.make({ origin: originOf(record, undefined), kind: `field:${change.field}`, raw: change.value })]
  }
  const value = change.value
  const origin = originOf(record, value.metadata)
  return [
    ...(value.statuses ?? []).map((s) => statusEvent(origin, s)),
    ...(value.messages ?? []).map((m) => inboundEvent(origin, value.contacts ?? [], m)),
    ...(value.errors ?? []).map((error) => WebhookError.make({ origin, error }))
  ]
}

/**
 * The typed events of one delivery, in entry order (per change: statuses, messages, errors), each with its
 * origin (account, WABA, phone number). Total: kinds this module does not type become `Unknown`.
 */
export const events = (delivery: Notification | EventRecord): ReadonlyArray<Event> => {
  const record = "record" in delivery ? delivery.record : delivery
  return record.whatsAppWebhookEntry.changes.flatMap((change) => changeEvents(record, change))
}

// =============================================================================
// Correlation and accessors
// =============================================================================

/**
 * Whether `event` is a status of the message SendWhatsAppMessage answered with `messageId`. That id is AWS's
 * (UUID form), not Meta's `wamid`: it returns in the event record's `messageId` header (`origin.messageId`),
 * while `statuses[].id` holds the `wamid` (`event.wamid`), which later replies and reactions name
 * (`context.id`, `reaction.message_id`). AWS's pages show the header's UUID `messageId` and EventBridge status
 * events with AWS's `messageId` beside the status, but do not say in words that it is the send's id.
 */
export const isStatusOf = (messageId: string) => (event: Event): event is StatusUpdate =>
  event._tag === "StatusUpdate" && event.origin.messageId === messageId

/** The status updates among `events` for the message SendWhatsAppMessage answered with `messageId`. */
export const statusesOf = (events: ReadonlyArray<Event>, messageId: string): ReadonlyArray<StatusUpdate> =>
  events.filter(isStatusOf(messageId))

/** The status updates among `events` for Meta's message id `wamid`. */
export const statusesOfWamid = (events: ReadonlyArray<Event>, wamid: string): ReadonlyArray<StatusUpdate> =>
  events.filter((e): e is StatusUpdate => e._tag === "StatusUpdate" && e.wamid === wamid)

/** The media id of an inbound image, video, audio, document or sticker (for GetWhatsAppMessageMedia). */
export const mediaId = (event: InboundMessage): string | undefined => {
  const m = event.message
  switch (m.type) {
    case "image":
      return m.image.id
    case "video":
      return m.video.id
    case "audio":
      return m.audio.id
    case "document":
      return m.document.id
    case "sticker":
      return m.sticker.id
    default:
      return undefined
  }
}
