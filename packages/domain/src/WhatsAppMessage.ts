/**
 * Meta's WhatsApp Cloud API message JSON: what the `message` blob of SendWhatsAppMessage carries (the body of
 * Meta's `POST /{phone-number-id}/messages`). Schemas for the common kinds, typed builders, and the UTF-8 JSON
 * bytes the blob takes (`encode`), plus `decode` for the reverse. Raw bytes stay possible: nothing here is
 * required to send a message.
 *
 * Sources followed (members, nesting and limits):
 * - Meta's OpenAPI description of the Business Messaging API, `facebook/openapi`
 *   `business-messaging-api_v23.0.yaml`: schemas `Message`, `TextMessage`, `MediaObject`, `TemplateObject`,
 *   `InteractiveObject`, `ActionObject`, `SectionObject`, `ContactObject`, `MarkMessageRequestPayload`, and the
 *   request examples of `POST /{Version}/{Phone-Number-ID}/messages`.
 * - Meta's developer pages under `developers.facebook.com/documentation/business-messaging/whatsapp/messages/`
 *   (text, image, document, reaction, location, interactive reply buttons, interactive list) and
 *   `docs/whatsapp/cloud-api/guides/mark-message-as-read`: request syntax (member order), limits in characters.
 *
 * Limits count characters as Unicode code points; Meta says "characters" without defining them.
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

// =============================================================================
// Building blocks
// =============================================================================

const codePoints = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** A string of `min`..`max` characters (code points). */
const chars = (min: number, max: number) =>
  Schema.String.pipe(
    Schema.filter(
      (s) => {
        const n = codePoints(s)
        return n >= min && n <= max ? undefined : `expected ${min} to ${max} characters, got ${n}`
      },
      { jsonSchema: { minLength: min, maxLength: max } }
    )
  )

/** An optional member: absent or valid (`exact`, matching `exactOptionalPropertyTypes`). */
const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

const NonEmpty = Schema.String.pipe(Schema.minLength(1))

/** At most one item per key (Meta: button titles and ids, row ids "must be unique"). */
const uniqueBy = <A>(what: string, key: (a: A) => string) => (items: ReadonlyArray<A>) => {
  const seen = new Set<string>()
  for (const item of items) {
    const k = key(item)
    if (seen.has(k)) return `${what} must be unique, "${k}" appears twice`
    seen.add(k)
  }
  return undefined
}

// =============================================================================
// Recipient and reply context
// =============================================================================

/**
 * A recipient: a phone number with country code, E.164 digits with an optional `+` (`+16505551234`), or a
 * WhatsApp id (`16505551234`, the same digits). Meta accepts other dialable forms; we take the plain one.
 */
export const Recipient = Schema.String.pipe(
  Schema.pattern(/^\+?[1-9][0-9]{6,14}$/, {
    message: () => "expected a phone number with country code (E.164 digits, optional +) or a WhatsApp id"
  })
).annotations({ identifier: "WhatsAppRecipient" })
export type Recipient = typeof Recipient.Type

/** A WhatsApp message id (`wamid.…`); Meta: at most 128 characters. */
export const MessageId = chars(1, 128).annotations({ identifier: "WhatsAppMessageId" })
export type MessageId = typeof MessageId.Type

/** `context`: the message this one replies to (Meta "contextual replies"). */
export const Context = Schema.Struct({
  message_id: MessageId
}).annotations({ identifier: "WhatsAppContext" })
export type Context = typeof Context.Type

/** Members every sent message has, in Meta's order; `type` and the payload follow. */
const envelope = {
  messaging_product: Schema.Literal("whatsapp"),
  recipient_type: optional(Schema.Literal("individual")),
  to: Recipient,
  context: optional(Context)
}

// =============================================================================
// Media
// =============================================================================

/** An uploaded media id (from media upload, `PostWhatsAppMessageMedia`). */
export const MediaId = NonEmpty.annotations({ identifier: "WhatsAppMediaId" })

/** A hosted media URL; Meta: "HTTP/HTTPS only". */
export const MediaLink = Schema.String.pipe(
  Schema.pattern(/^https?:\/\/\S+$/, { message: () => "expected an http(s) URL" })
).annotations({ identifier: "WhatsAppMediaLink" })

/** A caption; Meta: at most 1024 characters (image, video, document). */
export const Caption = chars(0, 1024).annotations({ identifier: "WhatsAppCaption" })

/** Media by uploaded `id` or by hosted `link` (Meta `MediaObject`: exactly one of the two). */
const mediaBy = <F extends Schema.Struct.Fields>(name: string, fields: F) =>
  Schema.Union(
    Schema.Struct({ id: MediaId, ...fields }).annotations({ identifier: `${name}ById` }),
    Schema.Struct({ link: MediaLink, ...fields }).annotations({ identifier: `${name}ByLink` })
  ).annotations({ identifier: name })

/** Media reference without caption (template parameters, interactive headers, audio, sticker). */
export const MediaRef = mediaBy("WhatsAppMediaRef", {})
export type MediaRef = typeof MediaRef.Type

/** `image` object: id or link, caption. */
export const ImageMedia = mediaBy("WhatsAppImageMedia", { caption: optional(Caption) })
export type ImageMedia = typeof ImageMedia.Type

/** `video` object: id or link, caption. */
export const VideoMedia = mediaBy("WhatsAppVideoMedia", { caption: optional(Caption) })
export type VideoMedia = typeof VideoMedia.Type

/** `document` object: id or link, caption, `filename` (with extension; the client picks the icon from it). */
export const DocumentMedia = mediaBy("WhatsAppDocumentMedia", {
  caption: optional(Caption),
  filename: optional(NonEmpty)
})
export type DocumentMedia = typeof DocumentMedia.Type

// =============================================================================
// Message kinds
// =============================================================================

/** Text message: `text.body` 1–4096 characters, `preview_url` asks for a link preview. */
export const Text = Schema.Struct({
  ...envelope,
  type: Schema.Literal("text"),
  text: Schema.Struct({
    preview_url: optional(Schema.Boolean),
    body: chars(1, 4096)
  })
}).annotations({ identifier: "WhatsAppTextMessage" })
export type Text = typeof Text.Type

/** Image message. */
export const Image = Schema.Struct({
  ...envelope,
  type: Schema.Literal("image"),
  image: ImageMedia
}).annotations({ identifier: "WhatsAppImageMessage" })
export type Image = typeof Image.Type

/** Document message. */
export const Document = Schema.Struct({
  ...envelope,
  type: Schema.Literal("document"),
  document: DocumentMedia
}).annotations({ identifier: "WhatsAppDocumentMessage" })
export type Document = typeof Document.Type

/** Video message. */
export const Video = Schema.Struct({
  ...envelope,
  type: Schema.Literal("video"),
  video: VideoMedia
}).annotations({ identifier: "WhatsAppVideoMessage" })
export type Video = typeof Video.Type

/** Audio message (Meta allows no caption). */
export const Audio = Schema.Struct({
  ...envelope,
  type: Schema.Literal("audio"),
  audio: MediaRef
}).annotations({ identifier: "WhatsAppAudioMessage" })
export type Audio = typeof Audio.Type

/** Sticker message (Meta allows no caption). */
export const Sticker = Schema.Struct({
  ...envelope,
  type: Schema.Literal("sticker"),
  sticker: MediaRef
}).annotations({ identifier: "WhatsAppStickerMessage" })
export type Sticker = typeof Sticker.Type

/**
 * Reaction message: `emoji` (the emoji or its escape sequence) on `message_id`. An empty `emoji` is what
 * integrators send to remove a reaction; Meta's current page does not say, so it is let through.
 */
export const Reaction = Schema.Struct({
  ...envelope,
  type: Schema.Literal("reaction"),
  reaction: Schema.Struct({
    message_id: MessageId,
    emoji: Schema.String
  })
}).annotations({ identifier: "WhatsAppReactionMessage" })
export type Reaction = typeof Reaction.Type

const decimalDegrees = (limit: number) => {
  const inRange = (n: number) => Number.isFinite(n) && n >= -limit && n <= limit
  return Schema.Union(
    Schema.Number.pipe(Schema.between(-limit, limit)),
    Schema.String.pipe(
      Schema.pattern(/^-?[0-9]{1,3}(\.[0-9]+)?$/),
      Schema.filter((s) => inRange(Number(s)) || `expected decimal degrees between -${limit} and ${limit}`)
    )
  )
}

/** Latitude in decimal degrees: a string as Meta's page sends it (`"37.44216251868683"`), or a number. */
export const Latitude = decimalDegrees(90).annotations({ identifier: "WhatsAppLatitude" })

/** Longitude in decimal degrees: a string as Meta's page sends it, or a number. */
export const Longitude = decimalDegrees(180).annotations({ identifier: "WhatsAppLongitude" })

/** Location message: coordinates, optional `name` and `address`. */
export const Location = Schema.Struct({
  ...envelope,
  type: Schema.Literal("location"),
  location: Schema.Struct({
    latitude: Latitude,
    longitude: Longitude,
    name: optional(Schema.String),
    address: optional(Schema.String)
  })
}).annotations({ identifier: "WhatsAppLocationMessage" })
export type Location = typeof Location.Type

/** One contact card (Meta `ContactObject`); `name.formatted_name` is required. */
export const Contact = Schema.Struct({
  addresses: optional(Schema.Array(Schema.Struct({
    city: optional(Schema.String),
    country: optional(Schema.String),
    country_code: optional(Schema.String),
    state: optional(Schema.String),
    street: optional(Schema.String),
    type: optional(Schema.String),
    zip: optional(Schema.String)
  }))),
  birthday: optional(Schema.String.pipe(Schema.pattern(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/))),
  emails: optional(Schema.Array(Schema.Struct({ email: Schema.String, type: optional(Schema.String) }))),
  name: Schema.Struct({
    first_name: optional(Schema.String),
    formatted_name: NonEmpty,
    last_name: optional(Schema.String),
    middle_name: optional(Schema.String),
    prefix: optional(Schema.String),
    suffix: optional(Schema.String)
  }),
  org: optional(Schema.Struct({
    company: optional(Schema.String),
    department: optional(Schema.String),
    title: optional(Schema.String)
  })),
  phones: optional(Schema.Array(Schema.Struct({
    phone: Schema.String,
    type: optional(Schema.String),
    wa_id: optional(Schema.String)
  }))),
  urls: optional(Schema.Array(Schema.Struct({ type: optional(Schema.String), url: Schema.String })))
}).annotations({ identifier: "WhatsAppContact" })
export type Contact = typeof Contact.Type

/** Contacts message: 1–5 contact cards (Meta's OpenAPI `ContactsMessage`). */
export const Contacts = Schema.Struct({
  ...envelope,
  type: Schema.Literal("contacts"),
  contacts: Schema.Array(Contact).pipe(Schema.minItems(1), Schema.maxItems(5))
}).annotations({ identifier: "WhatsAppContactsMessage" })
export type Contacts = typeof Contacts.Type

// -----------------------------------------------------------------------------
// Template
// -----------------------------------------------------------------------------

/** A `text` parameter (`parameter_name` for templates with named parameters); Meta: at most 32768 characters. */
export const TextParameter = Schema.Struct({
  type: Schema.Literal("text"),
  parameter_name: optional(NonEmpty),
  text: chars(0, 32768)
}).annotations({ identifier: "WhatsAppTextParameter" })
export type TextParameter = typeof TextParameter.Type

/** A `currency` parameter: `amount_1000` is the amount times 1000, `code` ISO 4217. */
export const CurrencyParameter = Schema.Struct({
  type: Schema.Literal("currency"),
  parameter_name: optional(NonEmpty),
  currency: Schema.Struct({
    fallback_value: Schema.String,
    code: Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/)),
    amount_1000: Schema.Int
  })
}).annotations({ identifier: "WhatsAppCurrencyParameter" })
export type CurrencyParameter = typeof CurrencyParameter.Type

/** A `date_time` parameter; Meta: "For Cloud API, this fallback value is always used". */
export const DateTimeParameter = Schema.Struct({
  type: Schema.Literal("date_time"),
  parameter_name: optional(NonEmpty),
  date_time: Schema.Struct({ fallback_value: Schema.String })
}).annotations({ identifier: "WhatsAppDateTimeParameter" })
export type DateTimeParameter = typeof DateTimeParameter.Type

/** An `image` header parameter (no caption). */
export const ImageParameter = Schema.Struct({
  type: Schema.Literal("image"),
  image: MediaRef
}).annotations({ identifier: "WhatsAppImageParameter" })
export type ImageParameter = typeof ImageParameter.Type

/** A `video` header parameter (no caption). */
export const VideoParameter = Schema.Struct({
  type: Schema.Literal("video"),
  video: MediaRef
}).annotations({ identifier: "WhatsAppVideoParameter" })
export type VideoParameter = typeof VideoParameter.Type

/** A `document` header parameter (Meta: PDF only, no caption). */
export const DocumentParameter = Schema.Struct({
  type: Schema.Literal("document"),
  document: MediaRef
}).annotations({ identifier: "WhatsAppDocumentParameter" })
export type DocumentParameter = typeof DocumentParameter.Type

/** A `payload` parameter of a quick-reply button: returned in the webhook when the button is tapped. */
export const PayloadParameter = Schema.Struct({
  type: Schema.Literal("payload"),
  payload: Schema.String
}).annotations({ identifier: "WhatsAppPayloadParameter" })
export type PayloadParameter = typeof PayloadParameter.Type

/** Header parameters: `text`, `image`, `video`, `document`. */
export const HeaderParameter = Schema.Union(TextParameter, ImageParameter, VideoParameter, DocumentParameter)
  .annotations({ identifier: "WhatsAppHeaderParameter" })
export type HeaderParameter = typeof HeaderParameter.Type

/** Body parameters: `text`, `currency`, `date_time`. */
export const BodyParameter = Schema.Union(TextParameter, CurrencyParameter, DateTimeParameter)
  .annotations({ identifier: "WhatsAppBodyParameter" })
export type BodyParameter = typeof BodyParameter.Type

/** Button parameters: `payload` for quick replies, `text` (the URL suffix) for URL buttons. */
export const ButtonParameter = Schema.Union(PayloadParameter, TextParameter)
  .annotations({ identifier: "WhatsAppButtonParameter" })
export type ButtonParameter = typeof ButtonParameter.Type

/** Template `header` component. */
export const HeaderComponent = Schema.Struct({
  type: Schema.Literal("header"),
  parameters: Schema.NonEmptyArray(HeaderParameter)
}).annotations({ identifier: "WhatsAppHeaderComponent" })
export type HeaderComponent = typeof HeaderComponent.Type

/** Template `body` component. */
export const BodyComponent = Schema.Struct({
  type: Schema.Literal("body"),
  parameters: Schema.Array(BodyParameter)
}).annotations({ identifier: "WhatsAppBodyComponent" })
export type BodyComponent = typeof BodyComponent.Type

/** Position of a template button, 0–9: a string as Meta's examples send it, or a number. */
export const ButtonIndex = Schema.Union(
  Schema.String.pipe(Schema.pattern(/^[0-9]$/)),
  Schema.Int.pipe(Schema.between(0, 9))
).annotations({ identifier: "WhatsAppButtonIndex" })
export type ButtonIndex = typeof ButtonIndex.Type

/** Template `button` component: `sub_type`, `index` and the button's parameters. */
export const ButtonComponent = Schema.Struct({
  type: Schema.Literal("button"),
  sub_type: Schema.Literal("quick_reply", "url", "catalog"),
  index: ButtonIndex,
  parameters: Schema.NonEmptyArray(ButtonParameter)
}).annotations({ identifier: "WhatsAppButtonComponent" })
export type ButtonComponent = typeof ButtonComponent.Type

/** A template component. */
export const TemplateComponent = Schema.Union(HeaderComponent, BodyComponent, ButtonComponent)
  .annotations({ identifier: "WhatsAppTemplateComponent" })
export type TemplateComponent = typeof TemplateComponent.Type

/** Template message: an approved template by `name` and `language.code`, with its parameters. */
export const Template = Schema.Struct({
  ...envelope,
  type: Schema.Literal("template"),
  template: Schema.Struct({
    name: chars(1, 512),
    language: Schema.Struct({
      code: NonEmpty,
      policy: optional(Schema.Literal("deterministic"))
    }),
    components: optional(Schema.Array(TemplateComponent))
  })
}).annotations({ identifier: "WhatsAppTemplateMessage" })
export type Template = typeof Template.Type

// -----------------------------------------------------------------------------
// Interactive
// -----------------------------------------------------------------------------

/** Text header of an interactive message; Meta: at most 60 characters. */
export const TextHeader = Schema.Struct({
  type: Schema.Literal("text"),
  text: chars(1, 60)
}).annotations({ identifier: "WhatsAppTextHeader" })
export type TextHeader = typeof TextHeader.Type

/** Header of a reply-buttons message: text, image, video or document. */
export const InteractiveHeader = Schema.Union(
  TextHeader,
  Schema.Struct({ type: Schema.Literal("image"), image: MediaRef }),
  Schema.Struct({ type: Schema.Literal("video"), video: MediaRef }),
  Schema.Struct({ type: Schema.Literal("document"), document: MediaRef })
).annotations({ identifier: "WhatsAppInteractiveHeader" })
export type InteractiveHeader = typeof InteractiveHeader.Type

/** Interactive `body`; Meta: at most 1024 characters. */
export const InteractiveBody = Schema.Struct({ text: chars(1, 1024) }).annotations({
  identifier: "WhatsAppInteractiveBody"
})

/** Interactive `footer`; Meta: at most 60 characters. */
export const InteractiveFooter = Schema.Struct({ text: chars(1, 60) }).annotations({
  identifier: "WhatsAppInteractiveFooter"
})

/** A reply button: `id` at most 256 characters (returned in the webhook), `title` at most 20. */
export const ReplyButton = Schema.Struct({
  type: Schema.Literal("reply"),
  reply: Schema.Struct({
    id: chars(1, 256),
    title: chars(1, 20)
  })
}).annotations({ identifier: "WhatsAppReplyButton" })
export type ReplyButton = typeof ReplyButton.Type

/** Interactive reply-buttons content: 1–3 buttons, titles and ids unique within the message. */
export const ButtonsInteractive = Schema.Struct({
  type: Schema.Literal("button"),
  header: optional(InteractiveHeader),
  body: InteractiveBody,
  footer: optional(InteractiveFooter),
  action: Schema.Struct({
    buttons: Schema.Array(ReplyButton).pipe(
      Schema.minItems(1),
      Schema.maxItems(3),
      Schema.filter(uniqueBy("button titles", (b: ReplyButton) => b.reply.title)),
      Schema.filter(uniqueBy("button ids", (b: ReplyButton) => b.reply.id))
    )
  })
}).annotations({ identifier: "WhatsAppButtonsInteractive" })
export type ButtonsInteractive = typeof ButtonsInteractive.Type

/** A list row: `id` at most 200 characters, `title` at most 24, `description` at most 72. */
export const ListRow = Schema.Struct({
  id: chars(1, 200),
  title: chars(1, 24),
  description: optional(chars(0, 72))
}).annotations({ identifier: "WhatsAppListRow" })
export type ListRow = typeof ListRow.Type

/** A list section: `title` at most 24 characters (required when there is more than one section). */
export const ListSection = Schema.Struct({
  title: optional(chars(1, 24)),
  rows: Schema.Array(ListRow).pipe(Schema.minItems(1), Schema.maxItems(10))
}).annotations({ identifier: "WhatsAppListSection" })
export type ListSection = typeof ListSection.Type

const listSections = (sections: ReadonlyArray<ListSection>): string | undefined => {
  const rows = sections.reduce((n, s) => n + s.rows.length, 0)
  if (rows > 10) return `expected at most 10 rows across all sections, got ${rows}`
  if (sections.length > 1 && sections.some((s) => s.title === undefined)) {
    return "every section needs a title when there is more than one"
  }
  return uniqueBy("row ids", (r: ListRow) => r.id)(sections.flatMap((s) => s.rows))
}

/** Interactive list content: `button` at most 20 characters, 1–10 sections, at most 10 rows in all. */
export const ListInteractive = Schema.Struct({
  type: Schema.Literal("list"),
  header: optional(TextHeader),
  body: InteractiveBody,
  footer: optional(InteractiveFooter),
  action: Schema.Struct({
    button: chars(1, 20),
    sections: Schema.Array(ListSection).pipe(Schema.minItems(1), Schema.maxItems(10), Schema.filter(listSections))
  })
}).annotations({ identifier: "WhatsAppListInteractive" })
export type ListInteractive = typeof ListInteractive.Type

/** Interactive message: reply buttons or a list. */
export const Interactive = Schema.Struct({
  ...envelope,
  type: Schema.Literal("interactive"),
  interactive: Schema.Union(ButtonsInteractive, ListInteractive)
}).annotations({ identifier: "WhatsAppInteractiveMessage" })
export type Interactive = typeof Interactive.Type

// -----------------------------------------------------------------------------
// Mark as read
// -----------------------------------------------------------------------------

/**
 * Mark a received message as read (and earlier ones in the thread): no recipient, no `type`. With
 * `typing_indicator` the user also sees a typing indicator until the reply or 25 seconds.
 */
export const MarkAsRead = Schema.Struct({
  messaging_product: Schema.Literal("whatsapp"),
  status: Schema.Literal("read"),
  message_id: MessageId,
  typing_indicator: optional(Schema.Struct({ type: Schema.Literal("text") }))
}).annotations({ identifier: "WhatsAppMarkAsRead" })
export type MarkAsRead = typeof MarkAsRead.Type

// =============================================================================
// The union and its bytes
// =============================================================================

/** The message `type`s this module knows. */
export const MessageType = Schema.Literal(
  "text",
  "template",
  "image",
  "document",
  "video",
  "audio",
  "sticker",
  "reaction",
  "interactive",
  "location",
  "contacts"
).annotations({ identifier: "WhatsAppMessageType" })
export type MessageType = typeof MessageType.Type

/** A message to a recipient, told apart by `type`. */
export const Outbound = Schema.Union(
  Text,
  Template,
  Image,
  Document,
  Video,
  Audio,
  Sticker,
  Reaction,
  Interactive,
  Location,
  Contacts
).annotations({ identifier: "WhatsAppOutboundMessage" })
export type Outbound = typeof Outbound.Type

/**
 * Everything the `message` blob carries here: a message to a recipient, or a mark-as-read.
 *
 * @example
 * ```ts
 * import { WhatsAppMessage } from "@social-messaging/domain"
 *
 * const bytes = WhatsAppMessage.encode(WhatsAppMessage.text({ to: "+16505551234", body: "Hello" }))
 * // Effect<Uint8Array, ParseError>: the value for SendWhatsAppMessage's `message`
 * ```
 */
export const Message = Schema.Union(Outbound, MarkAsRead).annotations({ identifier: "WhatsAppMessage" })
export type Message = typeof Message.Type

const utf8Decoder = new TextDecoder("utf-8", { fatal: true })
const utf8Encoder = new TextEncoder()

/** UTF-8 bytes ⇄ string; bytes that are not UTF-8 are refused. */
export const Utf8 = Schema.transformOrFail(Schema.Uint8ArrayFromSelf, Schema.String, {
  strict: true,
  decode: (bytes, _, ast) =>
    ParseResult.try({
      try: () => utf8Decoder.decode(bytes),
      catch: () => new ParseResult.Type(ast, bytes, "expected UTF-8 bytes")
    }),
  encode: (s) => ParseResult.succeed(utf8Encoder.encode(s))
}).annotations({ identifier: "Utf8" })

/** UTF-8 JSON bytes ⇄ the JSON value they hold. */
export const JsonFromBytes = Schema.compose(Utf8, Schema.parseJson()).annotations({ identifier: "JsonFromBytes" })

/** Each kind's codec, chosen by `type` (`read` for mark-as-read). */
const codec = <A extends Message, I>(schema: Schema.Schema<A, I>) => {
  const bytes = Schema.compose(JsonFromBytes, schema)
  return {
    encode: Schema.encodeUnknown(bytes),
    decode: (json: unknown): Effect.Effect<Message, ParseResult.ParseError> => Schema.decodeUnknown(schema)(json)
  }
}

const codecs = {
  text: codec(Text),
  template: codec(Template),
  image: codec(Image),
  document: codec(Document),
  video: codec(Video),
  audio: codec(Audio),
  sticker: codec(Sticker),
  reaction: codec(Reaction),
  interactive: codec(Interactive),
  location: codec(Location),
  contacts: codec(Contacts),
  read: codec(MarkAsRead)
}

/** A mark-as-read has a `status` and no `type`; anything else is told apart by its `type`. */
const isMarkAsRead = (json: unknown): boolean => Predicate.isRecord(json) && !("type" in json) && "status" in json

/** Reads `type` alone first, so an unknown one is one issue, not one per kind. */
const Kind = Schema.Struct({
  type: Schema.String.pipe(Schema.filter(Schema.is(MessageType), {
    message: (issue) =>
      `expected a known message type (${MessageType.literals.join(", ")}), got ${JSON.stringify(issue.actual)}`
  }))
})

/**
 * Validates `message` and gives the UTF-8 JSON bytes SendWhatsAppMessage's `message` takes. Only the
 * message's own kind is checked, so a failure names that kind's members, with their path.
 */
export const encode = (message: Message): Effect.Effect<Uint8Array, ParseResult.ParseError> =>
  codecs["status" in message ? "read" : message.type].encode(message)

/** Alias of `encode`. */
export const toBytes = encode

/**
 * Reads a `message` blob back: UTF-8, JSON, a known `type` with its recipient and members (or a
 * mark-as-read), checked against that kind only. Members this module does not model are dropped.
 */
export const decode = (bytes: Uint8Array): Effect.Effect<Message, ParseResult.ParseError> =>
  Effect.gen(function*() {
    const json = yield* Schema.decode(JsonFromBytes)(bytes)
    if (isMarkAsRead(json)) return yield* codecs.read.decode(json)
    const { type } = yield* Schema.decodeUnknown(Kind)(json)
    return yield* codecs[type].decode(json)
  })

// =============================================================================
// Builders
// =============================================================================

/** Members every builder takes: the recipient, and the id of the message replied to. */
export interface Addressed {
  readonly to: Recipient
  /** Reply to this message (`context.message_id`). */
  readonly replyTo?: MessageId
}

/** Media by uploaded id or by hosted link (exactly one). */
export type MediaSource =
  | { readonly mediaId: string; readonly link?: never }
  | { readonly link: string; readonly mediaId?: never }

const address = (input: Addressed) => ({
  messaging_product: "whatsapp" as const,
  recipient_type: "individual" as const,
  to: input.to,
  ...(input.replyTo === undefined ? {} : { context: { message_id: input.replyTo } })
})

const mediaRef = (source: MediaSource): MediaRef =>
  source.mediaId !== undefined ? { id: source.mediaId } : { link: source.link }

/** A text message; `previewUrl` asks the client to preview the first URL in `body`. */
export const text = (input: Addressed & { readonly body: string; readonly previewUrl?: boolean }): Text => ({
  ...address(input),
  type: "text",
  text: { ...(input.previewUrl === undefined ? {} : { preview_url: input.previewUrl }), body: input.body }
})

/** An image by uploaded media id or link, with an optional caption. */
export const image = (input: Addressed & MediaSource & { readonly caption?: string }): Image => ({
  ...address(input),
  type: "image",
  image: { ...mediaRef(input), ...(input.caption === undefined ? {} : { caption: input.caption }) }
})

/** A video by uploaded media id or link, with an optional caption. */
export const video = (input: Addressed & MediaSource & { readonly caption?: string }): Video => ({
  ...address(input),
  type: "video",
  video: { ...mediaRef(input), ...(input.caption === undefined ? {} : { caption: input.caption }) }
})

/** A document by uploaded media id or link, with optional caption and display filename. */
export const document = (
  input: Addressed & MediaSource & { readonly caption?: string; readonly filename?: string }
): Document => ({
  ...address(input),
  type: "document",
  document: {
    ...mediaRef(input),
    ...(input.caption === undefined ? {} : { caption: input.caption }),
    ...(input.filename === undefined ? {} : { filename: input.filename })
  }
})

/** An audio message by uploaded media id or link. */
export const audio = (input: Addressed & MediaSource): Audio => ({
  ...address(input),
  type: "audio",
  audio: mediaRef(input)
})

/** A sticker by uploaded media id or link. */
export const sticker = (input: Addressed & MediaSource): Sticker => ({
  ...address(input),
  type: "sticker",
  sticker: mediaRef(input)
})

/** A reaction: `emoji` on the received message `messageId`. */
export const reaction = (
  input: { readonly to: Recipient; readonly messageId: MessageId; readonly emoji: string }
): Reaction => ({
  ...address({ to: input.to }),
  type: "reaction",
  reaction: { message_id: input.messageId, emoji: input.emoji }
})

/** A location; numbers become the decimal strings Meta's page sends. */
export const location = (
  input: Addressed & {
    readonly latitude: number | string
    readonly longitude: number | string
    readonly name?: string
    readonly address?: string
  }
): Location => ({
  ...address(input),
  type: "location",
  location: {
    latitude: String(input.latitude),
    longitude: String(input.longitude),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.address === undefined ? {} : { address: input.address })
  }
})

/** A contacts message with 1–5 contact cards (Meta's wire shape). */
export const contacts = (input: Addressed & { readonly contacts: ReadonlyArray<Contact> }): Contacts => ({
  ...address(input),
  type: "contacts",
  contacts: input.contacts
})

/** A template parameter given as a plain string is a `text` parameter. */
const textParameter = <P>(p: string | P): P | TextParameter => typeof p === "string" ? { type: "text", text: p } : p

/** A template button: `subType`, its position `index` (0–9), and its parameters (strings are `payload`s). */
export interface TemplateButton {
  readonly subType: ButtonComponent["sub_type"]
  readonly index: number
  readonly parameters: readonly [string | ButtonParameter, ...Array<string | ButtonParameter>]
}

/**
 * A template message: `name` and `language` (a code such as `en_US`), with header, body and button
 * parameters in template order. Plain strings are `text` parameters (`payload` for buttons).
 */
export const template = (
  input: Addressed & {
    readonly name: string
    readonly language: string
    readonly header?: readonly [string | HeaderParameter, ...Array<string | HeaderParameter>]
    readonly body?: ReadonlyArray<string | BodyParameter>
    readonly buttons?: ReadonlyArray<TemplateButton>
  }
): Template => {
  const components: Array<TemplateComponent> = [
    ...(input.header === undefined ? [] : [{
      type: "header" as const,
      parameters: mapNonEmpty(input.header, (p) => textParameter<HeaderParameter>(p))
    }]),
    ...(input.body === undefined ? [] : [{
      type: "body" as const,
      parameters: input.body.map((p) => textParameter<BodyParameter>(p))
    }]),
    ...(input.buttons ?? []).map((b): ButtonComponent => ({
      type: "button",
      sub_type: b.subType,
      index: String(b.index),
      parameters: mapNonEmpty(
        b.parameters,
        (p): ButtonParameter => typeof p === "string" ? { type: "payload", payload: p } : p
      )
    }))
  ]
  return {
    ...address(input),
    type: "template",
    template: {
      name: input.name,
      language: { code: input.language },
      ...(components.length === 0 ? {} : { components })
    }
  }
}

const mapNonEmpty = <A, B>(as: readonly [A, ...Array<A>], f: (a: A) => B): [B, ...Array<B>] => {
  const [head, ...tail] = as
  return [f(head), ...tail.map(f)]
}

/** Body and footer text shared by the interactive builders. */
interface InteractiveFrame {
  readonly body: string
  readonly footer?: string
}

/** Interactive reply buttons (1–3): each `{ id, title }`, returned in the webhook when tapped. */
export const buttons = (
  input: Addressed & InteractiveFrame & {
    readonly header?: string | InteractiveHeader
    readonly buttons: ReadonlyArray<{ readonly id: string; readonly title: string }>
  }
): Interactive => ({
  ...address(input),
  type: "interactive",
  interactive: {
    type: "button",
    ...(input.header === undefined ? {} : {
      header: typeof input.header === "string" ? { type: "text", text: input.header } : input.header
    }),
    body: { text: input.body },
    ...(input.footer === undefined ? {} : { footer: { text: input.footer } }),
    action: { buttons: input.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) }
  }
})

/** An interactive list: the `button` that opens it and its sections of rows (at most 10 rows in all). */
export const list = (
  input: Addressed & InteractiveFrame & {
    readonly header?: string
    readonly button: string
    readonly sections: ReadonlyArray<ListSection>
  }
): Interactive => ({
  ...address(input),
  type: "interactive",
  interactive: {
    type: "list",
    ...(input.header === undefined ? {} : { header: { type: "text", text: input.header } }),
    body: { text: input.body },
    ...(input.footer === undefined ? {} : { footer: { text: input.footer } }),
    action: { button: input.button, sections: input.sections }
  }
})

/** Marks the received message `messageId` as read; `typingIndicator` also shows "typing…". */
export const markAsRead = (
  input: { readonly messageId: MessageId; readonly typingIndicator?: boolean }
): MarkAsRead => ({
  messaging_product: "whatsapp",
  status: "read",
  message_id: input.messageId,
  ...(input.typingIndicator === true ? { typing_indicator: { type: "text" } } : {})
})
