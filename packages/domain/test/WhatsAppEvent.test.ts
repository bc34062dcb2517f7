/**
 * Event destination payloads decoded from fixtures written from the documents (test/fixtures/events):
 * - `aws-*`: AWS End User Messaging Social User Guide, "Message and event format" (header, `sent` status,
 *   image) and "Example of responding to a message" (text). The header fixture is AWS's header without its
 *   `whatsAppWebhookEntry` placeholder (`"{\"...JSON STRING...."`); tests put each entry there as a string.
 * - `sns-*`: Amazon SNS Developer Guide examples (HTTP notification, subscription confirmation, the record
 *   a Firehose subscription stores); `Message` is replaced by the event record.
 * - `meta-*`: Meta's OpenAPI `business-messaging-api_v23.0.yaml` message examples (audio, video, document,
 *   sticker from the schemas' per-member example values), wrapped in an entry with the `metadata` and
 *   `contacts` of Meta's messages webhook page; the Flow reply from Meta's "Receiving Flow Response"; the
 *   failed status's error and the `errors` value from Meta's errors webhook reference; `delivered`/`read`
 *   in the shape of AWS's `sent` example.
 * Then the four delivery forms, the open cases as properties, and malformed input as typed errors.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"
import { DateTime, Effect, FastCheck, Schema } from "effect"
import { readFileSync } from "node:fs"

const text = (name: string): string => readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), "utf8")

const JsonObject = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
const object = (name: string): Record<string, unknown> => Schema.decodeUnknownSync(JsonObject)(text(name))

const header = object("aws-header")

/** AWS's event record around an entry, as JSON text (the SNS `Message` / a raw delivery's body). */
const record = (entry: string | Record<string, unknown>, overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    ...header,
    whatsAppWebhookEntry: typeof entry === "string" ? text(entry) : JSON.stringify(entry),
    ...overrides
  })

/** The SNS HTTP notification example with `Message` set to `message`. */
const snsHttp = (message: string): string => JSON.stringify({ ...object("sns-notification"), Message: message })

const base64 = (s: string): string => Buffer.from(s, "utf8").toString("base64")

const eventsOf = (entry: string) => Effect.map(WhatsAppEvent.fromSqs(record(entry)), WhatsAppEvent.events)

const single = (entry: string) =>
  Effect.gen(function*() {
    const events = yield* eventsOf(entry)
    assert.strictEqual(events.length, 1)
    const [event] = events
    assert.isDefined(event)
    return event
  })

const inbound = (entry: string) =>
  Effect.gen(function*() {
    const event = yield* single(entry)
    if (event._tag !== "InboundMessage") return assert.fail(`expected an InboundMessage, got ${event._tag}`)
    return event
  })

const status = (entry: string) =>
  Effect.gen(function*() {
    const event = yield* single(entry)
    if (event._tag !== "StatusUpdate") return assert.fail(`expected a StatusUpdate, got ${event._tag}`)
    return event
  })

const AWS_MESSAGE_ID = "6d69f07a-c317-4278-9d5c-6a84078419ec"

// =============================================================================
// Every documented kind
// =============================================================================

describe("AWS's examples", () => {
  it.effect("sent status: Meta's fields, AWS's ids and ARNs", () =>
    Effect.gen(function*() {
      const event = yield* status("aws-status-sent")
      assert.strictEqual(event.status, "sent")
      assert.strictEqual(event.wamid, "wamid.HBgLMTkxNzM5OTI3MzkVAgARGBJBMTM4NDdGRENEREI5Rexample")
      assert.strictEqual(event.recipientId, "01234567890")
      assert.isTrue(DateTime.Equivalence(event.at, DateTime.unsafeMake(1736379042_000)))
      assert.deepStrictEqual(event.conversation, {
        id: "62374592e84cb58e52bdaed31example",
        expiration_timestamp: "1736461020",
        origin: { type: "utility" }
      })
      assert.deepStrictEqual(event.pricing, { billable: true, pricing_model: "CBP", category: "utility" })
      assert.isUndefined(event.error)
      assert.deepStrictEqual(event.errors, [])
      assert.deepStrictEqual(event.origin, {
        awsAccountId: "123456789012",
        messageId: AWS_MESSAGE_ID,
        awsTimestamp: "2025-01-08T23:30:43.271279391Z",
        wabaId: "503131219501234",
        wabaArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/fb2594b8a7974770b128a409e2example",
        linkedWabaId: "waba-fb2594b8a7974770b128a409e2example",
        phoneNumberId: "46271669example",
        displayPhoneNumber: "14255550123",
        phoneNumberArn:
          "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/976c72a700aac43eaf573ae050example",
        originationPhoneNumberId: "phone-number-id-976c72a700aac43eaf573ae050example"
      })
    }))

  it.effect("text message (the responding example, whose header has no messageId)", () =>
    Effect.gen(function*() {
      const { messageId: _, ...withoutId } = header
      const delivery = yield* WhatsAppEvent.fromSqs(
        JSON.stringify({ ...withoutId, whatsAppWebhookEntry: text("aws-text") })
      )
      const [event] = WhatsAppEvent.events(delivery)
      if (event?._tag !== "InboundMessage") return assert.fail("expected an InboundMessage")
      assert.isUndefined(event.origin.messageId)
      assert.strictEqual(event.kind, "text")
      assert.strictEqual(event.from, "14255550150")
      assert.deepStrictEqual(event.message.type === "text" ? event.message.text : undefined, { body: "Hi" })
      // Diego's wa_id (12065550102) differs from `from` in AWS's example; the only profile is his
      assert.deepStrictEqual(event.profile, { profile: { name: "Diego" }, wa_id: "12065550102" })
    }))

  it.effect("image message: the media id for GetWhatsAppMessageMedia", () =>
    Effect.gen(function*() {
      const event = yield* inbound("aws-image")
      assert.strictEqual(event.kind, "image")
      assert.strictEqual(WhatsAppEvent.mediaId(event), "530339869524171")
      assert.deepStrictEqual(event.message.type === "image" ? event.message.image : undefined, {
        mime_type: "image/jpeg",
        sha256: "BTD0xlqSZ7l02o+/upusiNStlEZhA/urkvKf143Uqjk=",
        id: "530339869524171"
      })
    }))
})

describe("Meta's inbound kinds", () => {
  const cases: ReadonlyArray<[string, WhatsAppEvent.InboundType, (e: WhatsAppEvent.InboundMessage) => void]> = [
    ["meta-text", "text", (e) => {
      assert.deepStrictEqual(e.message.type === "text" && e.message.text, { body: "Does it come in another color?" })
      assert.deepStrictEqual(e.profile, { profile: { name: "Sheena Nelson" }, wa_id: "16505551234" })
    }],
    ["meta-image", "image", (e) => {
      assert.strictEqual(WhatsAppEvent.mediaId(e), "1003383421387256")
      assert.strictEqual(e.message.type === "image" && e.message.image.caption, "Taj Mahal")
    }],
    ["meta-audio", "audio", (e) => {
      assert.strictEqual(WhatsAppEvent.mediaId(e), "1003383421387256")
      assert.strictEqual(e.message.type === "audio" && e.message.audio.voice, true)
    }],
    ["meta-video", "video", (e) => {
      assert.strictEqual(WhatsAppEvent.mediaId(e), "1003383421387256")
      assert.strictEqual(e.message.type === "video" && e.message.video.caption, "My vacation video")
    }],
    ["meta-document", "document", (e) => {
      assert.strictEqual(WhatsAppEvent.mediaId(e), "1003383421387256")
      assert.strictEqual(e.message.type === "document" && e.message.document.filename, "receipt.pdf")
    }],
    ["meta-sticker", "sticker", (e) => {
      assert.strictEqual(WhatsAppEvent.mediaId(e), "1003383421387256")
      assert.strictEqual(e.message.type === "sticker" && e.message.sticker.animated, true)
    }],
    ["meta-location", "location", (e) => {
      assert.isUndefined(WhatsAppEvent.mediaId(e))
      assert.deepStrictEqual(e.message.type === "location" && e.message.location, {
        address: "101 Forest Ave, Palo Alto, CA 94301",
        latitude: 37.44221496582,
        longitude: -122.16165924072,
        name: "Philz Coffee",
        url: "https://philzcoffee.com/"
      })
    }],
    ["meta-contacts", "contacts", (e) => {
      const contacts = e.message.type === "contacts" ? e.message.contacts : []
      assert.strictEqual(contacts[0]?.name.formatted_name, "Lucía Gómez")
      assert.strictEqual(contacts[0]?.phones?.[0]?.wa_id, "19835552319")
    }],
    ["meta-reaction", "reaction", (e) => {
      assert.deepStrictEqual(e.message.type === "reaction" && e.message.reaction, {
        message_id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA",
        emoji: "👍"
      })
    }],
    ["meta-button", "button", (e) => {
      assert.deepStrictEqual(e.message.type === "button" && e.message.button, {
        payload: "Unsubscribe",
        text: "Unsubscribe"
      })
      assert.strictEqual(e.message.context?.id, "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA")
    }],
    ["meta-interactive-list", "interactive", (e) => {
      assert.deepStrictEqual(e.message.type === "interactive" && e.message.interactive, {
        type: "list_reply",
        list_reply: { id: "priority_express", title: "Priority Mail Express", description: "Next Day to 2 Days" }
      })
    }],
    ["meta-interactive-button", "interactive", (e) => {
      assert.deepStrictEqual(e.message.type === "interactive" && e.message.interactive, {
        type: "button_reply",
        button_reply: { id: "cancel-button", title: "Cancel" }
      })
    }],
    ["meta-interactive-flow", "interactive", (e) => {
      const reply = e.message.type === "interactive" && e.message.interactive.type === "nfm_reply"
        ? e.message.interactive.nfm_reply
        : undefined
      assert.strictEqual(reply?.name, "flow")
      assert.strictEqual(reply?.body, "Sent")
      assert.include(reply?.response_json ?? "", "flow_token")
    }],
    ["meta-order", "order", (e) => {
      const order = e.message.type === "order" ? e.message.order : undefined
      assert.strictEqual(order?.catalog_id, "194836987003835")
      assert.deepStrictEqual(order?.product_items.map((p) => p.quantity), [2, 1])
    }],
    ["meta-system", "system", (e) => {
      assert.isUndefined(e.profile) // system messages come without `contacts`
      assert.deepStrictEqual(e.message.type === "system" && e.message.system, {
        body: "User Sheena Nelson changed from 16505551234 to 12195555358",
        wa_id: "12195555358",
        type: "user_changed_number"
      })
    }],
    ["meta-unsupported", "unsupported", (e) => {
      assert.deepStrictEqual(e.message.type === "unsupported" && e.message.errors.map((x) => x.code), [131051])
    }]
  ]
  for (const [fixture, kind, check] of cases) {
    it.effect(`${kind} (${fixture})`, () =>
      Effect.gen(function*() {
        const event = yield* inbound(fixture)
        assert.strictEqual(event.kind, kind)
        assert.strictEqual(event.wamid, event.message.id)
        assert.strictEqual(event.from, "16505551234")
        assert.strictEqual(event.origin.phoneNumberId, "106540352242922")
        assert.strictEqual(event.origin.wabaId, "102290129340398")
        check(event)
        // the typed event encodes to JSON and back (what `decode-event` prints)
        const json = yield* Schema.encode(WhatsAppEvent.Event)(event)
        const back = yield* Schema.decodeUnknown(WhatsAppEvent.Event)(JSON.parse(JSON.stringify(json)))
        assert.deepStrictEqual(back, event)
      }))
  }
})

describe("Meta's statuses and errors", () => {
  it.effect("delivered and read", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* status("meta-status-delivered")).status, "delivered")
      const read = yield* status("meta-status-read")
      assert.strictEqual(read.status, "read")
      assert.isUndefined(read.conversation)
    }))

  it.effect("failed: Meta's error code and title", () =>
    Effect.gen(function*() {
      const event = yield* status("meta-status-failed")
      assert.strictEqual(event.status, "failed")
      assert.strictEqual(event.error?.code, 130429)
      assert.strictEqual(event.error?.title, "Rate limit hit")
      assert.strictEqual(event.errors.length, 1)
    }))

  it.effect("value.errors: a WebhookError per error", () =>
    Effect.gen(function*() {
      const event = yield* single("meta-errors")
      if (event._tag !== "WebhookError") return assert.fail(`expected a WebhookError, got ${event._tag}`)
      assert.strictEqual(event.error.code, 130429)
      assert.strictEqual(event.origin.displayPhoneNumber, "15550783881")
    }))

  it.effect("another field (group_lifecycle_update): Unknown, kept as it came", () =>
    Effect.gen(function*() {
      const event = yield* single("meta-group-lifecycle")
      if (event._tag !== "Unknown") return assert.fail(`expected Unknown, got ${event._tag}`)
      assert.strictEqual(event.kind, "field:group_lifecycle_update")
      assert.isUndefined(event.origin.phoneNumberId)
      expect(event.raw).toMatchObject({ groups: [{ type: "group_create" }] })
    }))

  it.effect("several changes and items flatten in entry order", () =>
    Effect.gen(function*() {
      const sent = object("aws-status-sent")
      const text = object("meta-text")
      const changes = (o: Record<string, unknown>) =>
        Schema.decodeUnknownSync(Schema.Struct({ changes: Schema.Array(Schema.Unknown) }))(o).changes
      const events = WhatsAppEvent.events(
        yield* WhatsAppEvent.fromSqs(record({
          id: "102290129340398",
          changes: [...changes(sent), ...changes(text), ...changes(object("meta-errors"))]
        }))
      )
      assert.deepStrictEqual(events.map((e) => e._tag), ["StatusUpdate", "InboundMessage", "WebhookError"])
    }))
})

// =============================================================================
// Delivery forms
// =============================================================================

describe("delivery forms give the same events", () => {
  const message = record("aws-status-sent")
  const expected = () => Effect.map(WhatsAppEvent.decodeRecord(message), WhatsAppEvent.events)
  const firehoseEnvelope = JSON.stringify({ ...object("sns-firehose-record"), Message: message })

  const forms: ReadonlyArray<[string, () => Effect.Effect<WhatsAppEvent.Notification, WhatsAppEvent.DecodeError>]> = [
    ["SNS over HTTP", () => WhatsAppEvent.fromSnsHttp(snsHttp(message))],
    ["SQS, raw delivery", () => WhatsAppEvent.fromSqs(message)],
    ["SQS, wrapped in the SNS envelope", () => WhatsAppEvent.fromSqs(snsHttp(message))],
    ["SQS message { body } (Lambda event)", () => WhatsAppEvent.fromSqs({ body: snsHttp(message) })],
    ["SQS message { Body } (SDK ReceiveMessage)", () => WhatsAppEvent.fromSqs({ Body: message })],
    ["Firehose, SNS envelope without signature", () => WhatsAppEvent.fromFirehose(base64(firehoseEnvelope))],
    ["Firehose record { data }, raw delivery", () => WhatsAppEvent.fromFirehose({ data: base64(message) })],
    ["Firehose record with a trailing newline (S3 buffering)", () => WhatsAppEvent.fromFirehose(base64(`${message}\n`))]
  ]
  for (const [name, decode] of forms) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const delivery = yield* decode()
        assert.deepStrictEqual(WhatsAppEvent.events(delivery), yield* expected())
        assert.strictEqual(delivery.record.messageId, AWS_MESSAGE_ID)
      }))
  }

  it.effect("the SNS envelope is kept beside the record", () =>
    Effect.gen(function*() {
      const delivery = yield* WhatsAppEvent.fromSnsHttp(snsHttp(message))
      assert.strictEqual(delivery.sns?.MessageId, "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324")
      assert.strictEqual(delivery.sns?.SignatureVersion, "1")
      const raw = yield* WhatsAppEvent.fromSqs(message)
      assert.isUndefined(raw.sns)
      const firehose = yield* WhatsAppEvent.fromFirehose(base64(firehoseEnvelope))
      assert.deepStrictEqual(firehose.sns?.MessageAttributes?.myKey1, { Type: "String", Value: "myValue1" })
    }))

  it.effect("a subscription confirmation over HTTP is NotANotification, with the link to confirm", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(WhatsAppEvent.fromSnsHttp(text("sns-subscription-confirmation")))
      if (error._tag !== "NotANotification") return assert.fail(error.message)
      assert.strictEqual(error.type, "SubscriptionConfirmation")
      assert.strictEqual(error.topicArn, "arn:aws:sns:us-west-2:123456789012:MyTopic")
      assert.include(error.subscribeUrl, "Action=ConfirmSubscription")
    }))

  it.effect("HTTP bodies must be signed; Firehose's unsigned envelope is refused there", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(WhatsAppEvent.fromSnsHttp(JSON.stringify({
        ...object("sns-firehose-record"),
        Message: message
      })))
      assert.strictEqual(error._tag, "MalformedEvent")
    }))
})

// =============================================================================
// Correlation
// =============================================================================

describe("correlating a status to SendWhatsAppMessage's messageId", () => {
  it.effect("AWS's messageId in the header, Meta's wamid in the status", () =>
    Effect.gen(function*() {
      const sent = yield* eventsOf("aws-status-sent")
      const other = WhatsAppEvent.events(
        yield* WhatsAppEvent.fromSqs(record("meta-status-read", { messageId: "0c8a2a8e-0000-4000-8000-000000000000" }))
      )
      const all = [...sent, ...other, ...(yield* eventsOf("meta-text"))]
      assert.deepStrictEqual(WhatsAppEvent.statusesOf(all, AWS_MESSAGE_ID).map((s) => s.status), ["sent"])
      assert.isTrue(sent.every(WhatsAppEvent.isStatusOf(AWS_MESSAGE_ID)))
      assert.isFalse(other.some(WhatsAppEvent.isStatusOf(AWS_MESSAGE_ID)))
      // both fixtures are about the same wamid
      assert.deepStrictEqual(
        WhatsAppEvent.statusesOfWamid(all, "wamid.HBgLMTkxNzM5OTI3MzkVAgARGBJBMTM4NDdGRENEREI5Rexample").map((s) =>
          s.status
        ),
        ["sent", "read"]
      )
    }))
})

// =============================================================================
// Open cases
// =============================================================================

const name = FastCheck.string({ minLength: 1, maxLength: 20 })
const inboundType = name.filter((s) => !Schema.is(WhatsAppEvent.InboundType)(s))
const statusName = name.filter((s) => !Schema.is(WhatsAppEvent.KnownStatus)(s))
const reserved = ["from", "id", "timestamp", "type", "status"]
const extra = FastCheck.dictionary(
  FastCheck.string({ minLength: 1, maxLength: 8 }).filter((k) => !reserved.includes(k)),
  FastCheck.jsonValue(),
  { maxKeys: 4 }
)
const metadata = { display_phone_number: "15550783881", phone_number_id: "106540352242922" }
const entryWith = (value: Record<string, unknown>) => ({
  id: "102290129340398",
  changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata, ...value } }]
})

describe("kinds Meta adds later decode to Unknown, never an error", () => {
  it.effect.prop("an unknown message type", [inboundType, extra], ([type, rest]) =>
    Effect.gen(function*() {
      const message = { ...rest, from: "16505551234", id: "wamid.X", timestamp: "1749416383", type }
      const delivery = yield* WhatsAppEvent.fromSqs(record(entryWith({ messages: [message] })))
      const [event, ...more] = WhatsAppEvent.events(delivery)
      assert.strictEqual(more.length, 0)
      if (event?._tag !== "Unknown") return assert.fail(`expected Unknown, got ${event?._tag}`)
      assert.strictEqual(event.kind, `message:${type}`)
      assert.deepStrictEqual(event.raw, JSON.parse(JSON.stringify(message)))
    }))

  const replyType = name.filter((t) => !Schema.is(WhatsAppEvent.InteractiveReplyType)(t))
  it.effect.prop("an unknown interactive reply type", [replyType], ([sub]) =>
    Effect.gen(function*() {
      const message = {
        from: "16505551234",
        id: "wamid.X",
        timestamp: "1749416383",
        type: "interactive",
        interactive: { type: sub }
      }
      const delivery = yield* WhatsAppEvent.fromSqs(record(entryWith({ messages: [message] })))
      const [event] = WhatsAppEvent.events(delivery)
      assert.strictEqual(event?._tag === "Unknown" && event.kind, `interactive:${sub}`)
    }))

  it.effect.prop("an unknown status", [statusName, extra], ([name, rest]) =>
    Effect.gen(function*() {
      const item = { ...rest, id: "wamid.X", status: name }
      const [event] = WhatsAppEvent.events(yield* WhatsAppEvent.fromSqs(record(entryWith({ statuses: [item] }))))
      if (event?._tag !== "Unknown") return assert.fail(`expected Unknown, got ${event?._tag}`)
      assert.strictEqual(event.kind, `status:${name}`)
      assert.deepStrictEqual(event.raw, JSON.parse(JSON.stringify(item)))
    }))

  it.effect("AWS's other statuses (deleted, warning) are Unknown too", () =>
    Effect.gen(function*() {
      for (const name of ["deleted", "warning"]) {
        const [event] = WhatsAppEvent.events(
          yield* WhatsAppEvent.fromSqs(record(entryWith({
            statuses: [{ id: "wamid.X", status: name, timestamp: "1736379042", recipient_id: "16505551234" }]
          })))
        )
        assert.strictEqual(event?._tag === "Unknown" && event.kind, `status:${name}`)
      }
    }))
})

describe("typed kinds survive Meta's wire form", () => {
  it.effect.prop(
    "any KnownMessage → entry → InboundMessage with the same message",
    [WhatsAppEvent.KnownMessage],
    ([message]) =>
      Effect.gen(function*() {
        const wire = yield* Schema.encode(WhatsAppEvent.KnownMessage)(message)
        const [event] = WhatsAppEvent.events(yield* WhatsAppEvent.fromSqs(record(entryWith({ messages: [wire] }))))
        if (event?._tag !== "InboundMessage") return assert.fail(`expected InboundMessage, got ${event?._tag}`)
        // JSON has no -0: a drawn -0 (a longitude) comes back as 0, as it does from Meta.
        assert.deepStrictEqual(
          event.message,
          yield* Schema.decodeUnknown(WhatsAppEvent.KnownMessage)(
            JSON.parse(JSON.stringify(wire))
          )
        )
      }),
    { fastCheck: { numRuns: 200 } }
  )
})

// =============================================================================
// Malformed input
// =============================================================================

const malformed = <A>(effect: Effect.Effect<A, WhatsAppEvent.DecodeError>) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(effect)
    if (error._tag !== "MalformedEvent") return assert.fail(`expected MalformedEvent, got ${error._tag}`)
    return error
  })

const paths = (error: WhatsAppEvent.MalformedEvent) => error.issues.map((i) => i.path.join("."))

describe("malformed input is a MalformedEvent naming what is wrong", () => {
  it.effect("a body that is not JSON", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSnsHttp("<html>"))
      assert.strictEqual(error.source, "sns-http")
      assert.match(error.message, /^sns-http: /)
    }))

  it.effect("an SNS Message that is not an event record", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSnsHttp(snsHttp("Hello world!")))
      expect(paths(error)[0]).toMatch(/^Message/)
    }))

  it.effect("an event record without context", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSqs(record("aws-text", { context: undefined })))
      expect(paths(error)).toContain("context")
    }))

  it.effect("whatsAppWebhookEntry that is not a JSON string", () =>
    Effect.gen(function*() {
      // AWS's placeholder, verbatim
      const body = JSON.stringify({ ...header, whatsAppWebhookEntry: "{\"...JSON STRING...." })
      const error = yield* malformed(WhatsAppEvent.fromSqs(body))
      expect(paths(error)).toContain("whatsAppWebhookEntry")
    }))

  it.effect("a failed status without errors", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSqs(record(entryWith({
        statuses: [{ id: "wamid.X", status: "failed", timestamp: "1736379042", recipient_id: "16505551234" }]
      }))))
      expect(paths(error).some((p) => p.startsWith("whatsAppWebhookEntry.changes.0.value.statuses.0"))).toBe(true)
    }))

  it.effect("a known kind that breaks its schema (image without its media id)", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSqs(record(entryWith({
        messages: [{
          from: "1",
          id: "wamid.X",
          timestamp: "1",
          type: "image",
          image: { mime_type: "image/jpeg", sha256: "x" }
        }]
      }))))
      expect(paths(error)).toContain("whatsAppWebhookEntry.changes.0.value.messages.0.image.id")
    }))

  it.effect("a timestamp that is not Unix seconds", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSqs(record(entryWith({
        messages: [{ from: "1", id: "wamid.X", timestamp: "yesterday", type: "text", text: { body: "hi" } }]
      }))))
      expect(paths(error)).toContain("whatsAppWebhookEntry.changes.0.value.messages.0.timestamp")
    }))

  it.effect("never quotes the payload: a customer's text or a broken JSON excerpt stays out of the message", () =>
    Effect.gen(function*() {
      const secret = "SECRET customer text 4711"
      const wrongType = yield* malformed(WhatsAppEvent.fromSqs(record(entryWith({
        messages: [{ from: "1", id: "wamid.X", timestamp: "1", type: "text", text: secret }]
      }))))
      expect(paths(wrongType)).toContain("whatsAppWebhookEntry.changes.0.value.messages.0.text")
      const notJson = yield* malformed(WhatsAppEvent.fromSnsHttp(`${secret} {`))
      const brokenEntry = yield* malformed(WhatsAppEvent.fromSqs(JSON.stringify({
        ...header,
        whatsAppWebhookEntry: `{"text": "${secret}"`
      })))
      for (const error of [wrongType, notJson, brokenEntry]) {
        assert.notInclude(error.message, "SECRET")
        assert.notInclude(JSON.stringify(error.issues), "SECRET")
      }
      assert.include(notJson.message, "not valid JSON")
    }))

  it.effect("a Firehose record that is not base64", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromFirehose({ data: "%%%" }))
      assert.strictEqual(error.source, "firehose")
    }))

  it.effect("the error encodes as JSON (for the CLI)", () =>
    Effect.gen(function*() {
      const error = yield* malformed(WhatsAppEvent.fromSqs("[]"))
      const json = yield* Schema.encode(WhatsAppEvent.MalformedEvent)(error)
      assert.strictEqual(json._tag, "MalformedEvent")
      assert.strictEqual(json.source, "sqs")
    }))
})
