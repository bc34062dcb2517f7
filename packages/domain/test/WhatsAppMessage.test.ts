/**
 * The builders against Meta's own examples (byte for byte), Meta's limits refused with the member's path,
 * decode of malformed blobs, and an encode → decode round trip over generated messages.
 *
 * Examples come from Meta's developer pages (developers.facebook.com/documentation/business-messaging/
 * whatsapp/messages/…, "Example request") and from the request examples of `POST /{Phone-Number-ID}/messages`
 * in Meta's OpenAPI description (facebook/openapi, business-messaging-api_v23.0.yaml). Where an OpenAPI
 * example has a placeholder recipient (`{{Recipient-Phone-Number}}`) it is replaced by the pages' example
 * number, and `recipient_type` (which the builders always send) is added where the example omits it; the
 * member order is the pages' request syntax (the OpenAPI examples list members alphabetically).
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as WhatsAppMessage from "@social-messaging/domain/WhatsAppMessage"
import { Arbitrary, Effect, ParseResult, Schema } from "effect"

const TO = "+16505551234"

const utf8 = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json))

/** `message` encodes to exactly the bytes of `example`, and those bytes decode back to `message`. */
const matches = (message: WhatsAppMessage.Message, example: unknown) =>
  Effect.gen(function*() {
    const bytes = yield* WhatsAppMessage.encode(message)
    assert.strictEqual(new TextDecoder().decode(bytes), JSON.stringify(example))
    assert.deepStrictEqual(bytes, utf8(example))
    assert.deepStrictEqual(yield* WhatsAppMessage.decode(bytes), message)
  })

/** The paths of a failure's issues. */
const paths = (error: ParseResult.ParseError): ReadonlyArray<ReadonlyArray<PropertyKey>> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path)

/** `message` is refused, with an issue at `path`. */
const refusedAt = (message: WhatsAppMessage.Message, path: ReadonlyArray<PropertyKey>) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(WhatsAppMessage.encode(message))
    expect(paths(error)).toContainEqual(path)
    return error
  })

describe("builders give Meta's documented JSON", () => {
  it.effect("text (Meta text messages, example request)", () =>
    matches(
      WhatsAppMessage.text({
        to: TO,
        previewUrl: true,
        body: "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/"
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "text",
        text: {
          preview_url: true,
          body: "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/"
        }
      }
    ))

  it.effect("text reply (OpenAPI: Send Reply to Text Message)", () =>
    matches(
      WhatsAppMessage.text({ to: TO, replyTo: "<MSGID_OF_PREV_MSG>", body: "<TEXT_MSG_CONTENT>", previewUrl: false }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        context: { message_id: "<MSGID_OF_PREV_MSG>" },
        type: "text",
        text: { preview_url: false, body: "<TEXT_MSG_CONTENT>" }
      }
    ))

  it.effect("image by id (Meta image messages: request syntax with the page's example values)", () =>
    matches(
      WhatsAppMessage.image({ to: TO, mediaId: "1013859600285441", caption: "The best succulent ever?" }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "image",
        image: { id: "1013859600285441", caption: "The best succulent ever?" }
      }
    ))

  it.effect("image by link (Meta image messages: hosted media)", () =>
    matches(
      WhatsAppMessage.image({ to: TO, link: "https://www.luckyshrub.com/assets/succulents/aloe.png" }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "image",
        image: { link: "https://www.luckyshrub.com/assets/succulents/aloe.png" }
      }
    ))

  it.effect("document by link with caption and filename (Meta document messages)", () =>
    matches(
      WhatsAppMessage.document({
        to: TO,
        link: "https://www.luckyshrub.com/invoices/FmOzfD9cKf/lucky-shrub-invoice.pdf",
        caption: "Lucky Shrub Invoice",
        filename: "lucky-shrub-invoice.pdf"
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "document",
        document: {
          link: "https://www.luckyshrub.com/invoices/FmOzfD9cKf/lucky-shrub-invoice.pdf",
          caption: "Lucky Shrub Invoice",
          filename: "lucky-shrub-invoice.pdf"
        }
      }
    ))

  it.effect("video reply by id (OpenAPI: Send Reply to Video Message by ID)", () =>
    matches(
      WhatsAppMessage.video({
        to: TO,
        replyTo: "<MSGID_OF_MSG_YOU_ARE_REPLYING_TO>",
        mediaId: "<VIDEO_OBJECT_ID>",
        caption: "<VIDEO_CAPTION_TEXT>"
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        context: { message_id: "<MSGID_OF_MSG_YOU_ARE_REPLYING_TO>" },
        type: "video",
        video: { id: "<VIDEO_OBJECT_ID>", caption: "<VIDEO_CAPTION_TEXT>" }
      }
    ))

  it.effect("audio by id (OpenAPI: Send Audio Message by ID)", () =>
    matches(WhatsAppMessage.audio({ to: TO, mediaId: "<AUDIO_OBJECT_ID>" }), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "audio",
      audio: { id: "<AUDIO_OBJECT_ID>" }
    }))

  it.effect("sticker by id (OpenAPI: Send Sticker Message by ID)", () =>
    matches(WhatsAppMessage.sticker({ to: TO, mediaId: "<MEDIA_OBJECT_ID>" }), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "sticker",
      sticker: { id: "<MEDIA_OBJECT_ID>" }
    }))

  it.effect("reaction (Meta reaction messages, example request)", () =>
    matches(
      WhatsAppMessage.reaction({
        to: TO,
        messageId: "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZCMTY0MDc2MUYwNzBDNTY5MAA=",
        emoji: "\uD83D\uDE00"
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "reaction",
        reaction: {
          message_id: "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZCMTY0MDc2MUYwNzBDNTY5MAA=",
          emoji: "\uD83D\uDE00"
        }
      }
    ))

  it.effect("location (Meta location messages, example request)", () =>
    matches(
      WhatsAppMessage.location({
        to: TO,
        latitude: 37.44216251868683,
        longitude: -122.16153582049394,
        name: "Philz Coffee",
        address: "101 Forest Ave, Palo Alto, CA 94301"
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "location",
        location: {
          latitude: "37.44216251868683",
          longitude: "-122.16153582049394",
          name: "Philz Coffee",
          address: "101 Forest Ave, Palo Alto, CA 94301"
        }
      }
    ))

  it.effect("reply buttons (OpenAPI: Send Reply Button)", () =>
    matches(
      WhatsAppMessage.buttons({
        to: TO,
        body: "<BUTTON_TEXT>",
        buttons: [
          { id: "<UNIQUE_BUTTON_ID_1>", title: "<BUTTON_TITLE_1>" },
          { id: "<UNIQUE_BUTTON_ID_2>", title: "<BUTTON_TITLE_2>" }
        ]
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "<BUTTON_TEXT>" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "<UNIQUE_BUTTON_ID_1>", title: "<BUTTON_TITLE_1>" } },
              { type: "reply", reply: { id: "<UNIQUE_BUTTON_ID_2>", title: "<BUTTON_TITLE_2>" } }
            ]
          }
        }
      }
    ))

  it.effect("reply buttons with image header and footer (Meta reply buttons: request syntax)", () =>
    matches(
      WhatsAppMessage.buttons({
        to: TO,
        header: { type: "image", image: { id: "2762702990552401" } },
        body: "Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow.",
        footer: "Lucky Shrub",
        buttons: [{ id: "change-button", title: "Change" }, { id: "cancel-button", title: "Cancel" }]
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "interactive",
        interactive: {
          type: "button",
          header: { type: "image", image: { id: "2762702990552401" } },
          body: { text: "Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow." },
          footer: { text: "Lucky Shrub" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "change-button", title: "Change" } },
              { type: "reply", reply: { id: "cancel-button", title: "Cancel" } }
            ]
          }
        }
      }
    ))

  it.effect("list (OpenAPI: Send List Message)", () =>
    matches(
      WhatsAppMessage.list({
        to: TO,
        header: "<HEADER_TEXT>",
        body: "<BODY_TEXT>",
        footer: "<FOOTER_TEXT>",
        button: "<BUTTON_TEXT>",
        sections: [1, 2].map((s) => ({
          title: `<LIST_SECTION_${s}_TITLE>`,
          rows: [1, 2].map((r) => ({
            id: `<LIST_SECTION_${s}_ROW_${r}_ID>`,
            title: `<SECTION_${s}_ROW_${r}_TITLE>`,
            description: `<SECTION_${s}_ROW_${r}_DESC>`
          }))
        }))
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "interactive",
        interactive: {
          type: "list",
          header: { type: "text", text: "<HEADER_TEXT>" },
          body: { text: "<BODY_TEXT>" },
          footer: { text: "<FOOTER_TEXT>" },
          action: {
            button: "<BUTTON_TEXT>",
            sections: [
              {
                title: "<LIST_SECTION_1_TITLE>",
                rows: [
                  {
                    id: "<LIST_SECTION_1_ROW_1_ID>",
                    title: "<SECTION_1_ROW_1_TITLE>",
                    description: "<SECTION_1_ROW_1_DESC>"
                  },
                  {
                    id: "<LIST_SECTION_1_ROW_2_ID>",
                    title: "<SECTION_1_ROW_2_TITLE>",
                    description: "<SECTION_1_ROW_2_DESC>"
                  }
                ]
              },
              {
                title: "<LIST_SECTION_2_TITLE>",
                rows: [
                  {
                    id: "<LIST_SECTION_2_ROW_1_ID>",
                    title: "<SECTION_2_ROW_1_TITLE>",
                    description: "<SECTION_2_ROW_1_DESC>"
                  },
                  {
                    id: "<LIST_SECTION_2_ROW_2_ID>",
                    title: "<SECTION_2_ROW_2_TITLE>",
                    description: "<SECTION_2_ROW_2_DESC>"
                  }
                ]
              }
            ]
          }
        }
      }
    ))

  it.effect("template without parameters (OpenAPI: Send Test Message, hello_world)", () =>
    matches(WhatsAppMessage.template({ to: TO, name: "hello_world", language: "en_US" }), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "template",
      template: { name: "hello_world", language: { code: "en_US" } }
    }))

  // OpenAPI "Send Message Template Interactive": the header link is `http(s)://the-image-url` there (written
  // as https here), and its date_time also carries calendar fields Meta documents as unused by Cloud API.
  it.effect("template with header, body and button parameters (OpenAPI: Send Message Template Interactive)", () =>
    matches(
      WhatsAppMessage.template({
        to: TO,
        name: "template-name",
        language: "language-and-locale-code",
        header: [{ type: "image", image: { link: "https://the-image-url" } }],
        body: [
          "text-string",
          { type: "currency", currency: { fallback_value: "$100.99", code: "USD", amount_1000: 100990 } },
          { type: "date_time", date_time: { fallback_value: "February 25, 1977" } }
        ],
        buttons: [
          { subType: "quick_reply", index: 0, parameters: ["aGlzIHRoaXMgaXMgY29v"] },
          { subType: "quick_reply", index: 1, parameters: ["9rwnB8RbYmPF5t2Mn09x4h"] }
        ]
      }),
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "+16505551234",
        type: "template",
        template: {
          name: "template-name",
          language: { code: "language-and-locale-code" },
          components: [
            { type: "header", parameters: [{ type: "image", image: { link: "https://the-image-url" } }] },
            {
              type: "body",
              parameters: [
                { type: "text", text: "text-string" },
                { type: "currency", currency: { fallback_value: "$100.99", code: "USD", amount_1000: 100990 } },
                { type: "date_time", date_time: { fallback_value: "February 25, 1977" } }
              ]
            },
            {
              type: "button",
              sub_type: "quick_reply",
              index: "0",
              parameters: [{ type: "payload", payload: "aGlzIHRoaXMgaXMgY29v" }]
            },
            {
              type: "button",
              sub_type: "quick_reply",
              index: "1",
              parameters: [{ type: "payload", payload: "9rwnB8RbYmPF5t2Mn09x4h" }]
            }
          ]
        }
      }
    ))

  it.effect("contacts (OpenAPI: Send Contact Message)", () => {
    const card: WhatsAppMessage.Contact = {
      addresses: [
        {
          city: "Menlo Park",
          country: "United States",
          country_code: "us",
          state: "CA",
          street: "1 Hacker Way",
          type: "HOME",
          zip: "94025"
        },
        {
          city: "Menlo Park",
          country: "United States",
          country_code: "us",
          state: "CA",
          street: "200 Jefferson Dr",
          type: "WORK",
          zip: "94025"
        }
      ],
      birthday: "2012-08-18",
      emails: [{ email: "test@fb.com", type: "WORK" }, { email: "test@whatsapp.com", type: "HOME" }],
      name: {
        first_name: "John",
        formatted_name: "John Smith",
        last_name: "Smith",
        middle_name: "D.",
        prefix: "Dr",
        suffix: "Jr"
      },
      org: { company: "WhatsApp", department: "Design", title: "Manager" },
      phones: [
        { phone: "+1 (940) 555-1234", type: "HOME" },
        { phone: "+1 (650) 555-1234", type: "WORK", wa_id: "16505551234" }
      ],
      urls: [{ type: "WORK", url: "https://www.facebook.com" }, { type: "HOME", url: "https://www.whatsapp.com" }]
    }
    return matches(WhatsAppMessage.contacts({ to: TO, contacts: [card] }), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "contacts",
      contacts: [card]
    })
  })

  it.effect("mark as read (Meta mark messages as read, example request)", () =>
    matches(WhatsAppMessage.markAsRead({ messageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA" }), {
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"
    }))

  it.effect("mark as read with typing indicator (Meta typing indicators, example request)", () =>
    matches(
      WhatsAppMessage.markAsRead({
        messageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA",
        typingIndicator: true
      }),
      {
        messaging_product: "whatsapp",
        status: "read",
        message_id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA",
        typing_indicator: { type: "text" }
      }
    ))

  it.effect("member order does not matter on decode (the OpenAPI's alphabetical Send Text Message)", () =>
    Effect.gen(function*() {
      const alphabetical = {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        text: { body: "text-message-content", preview_url: false },
        to: "+16505551234",
        type: "text"
      }
      assert.deepStrictEqual(
        yield* WhatsAppMessage.decode(utf8(alphabetical)),
        WhatsAppMessage.text({ to: TO, body: "text-message-content", previewUrl: false })
      )
    }))

  it.effect("raw values need no builder: a literal of the schema type encodes the same", () =>
    Effect.gen(function*() {
      const raw: WhatsAppMessage.Message = {
        messaging_product: "whatsapp",
        to: "16505551234",
        type: "text",
        text: { body: "hi" }
      }
      assert.strictEqual(
        new TextDecoder().decode(yield* WhatsAppMessage.toBytes(raw)),
        `{"messaging_product":"whatsapp","to":"16505551234","type":"text","text":{"body":"hi"}}`
      )
    }))
})

describe("Meta's limits are refused with the member's path", () => {
  it.effect("text body: at most 4096 characters, counted in code points", () =>
    Effect.gen(function*() {
      yield* refusedAt(WhatsAppMessage.text({ to: TO, body: "x".repeat(4097) }), ["text", "body"])
      yield* refusedAt(WhatsAppMessage.text({ to: TO, body: "" }), ["text", "body"])
      // 4096 emoji are 8192 UTF-16 units but 4096 characters
      yield* WhatsAppMessage.encode(WhatsAppMessage.text({ to: TO, body: "\u{1F600}".repeat(4096) }))
    }))

  it.effect("recipient: a phone number or WhatsApp id", () =>
    Effect.gen(function*() {
      const error = yield* refusedAt(WhatsAppMessage.text({ to: "call me", body: "hi" }), ["to"])
      expect(error.message).toContain("phone number with country code")
    }))

  it.effect("caption: at most 1024 characters", () =>
    refusedAt(WhatsAppMessage.image({ to: TO, mediaId: "1", caption: "x".repeat(1025) }), ["image", "caption"]))

  it.effect("media link: http(s) only", () =>
    refusedAt(WhatsAppMessage.audio({ to: TO, link: "ftp://example.com/a.mp3" }), ["audio", "link"]))

  it.effect("reply buttons: at most 3, titles at most 20 characters and unique, ids at most 256", () =>
    Effect.gen(function*() {
      const buttons = (list: ReadonlyArray<{ readonly id: string; readonly title: string }>) =>
        WhatsAppMessage.buttons({ to: TO, body: "Pick one", buttons: list })
      yield* refusedAt(
        buttons(["a", "b", "c", "d"].map((id) => ({ id, title: id }))),
        ["interactive", "action", "buttons"]
      )
      yield* refusedAt(buttons([]), ["interactive", "action", "buttons"])
      yield* refusedAt(
        buttons([{ id: "a", title: "x".repeat(21) }]),
        ["interactive", "action", "buttons", 0, "reply", "title"]
      )
      yield* refusedAt(
        buttons([{ id: "x".repeat(257), title: "ok" }]),
        ["interactive", "action", "buttons", 0, "reply", "id"]
      )
      const twice = yield* refusedAt(
        buttons([{ id: "a", title: "Same" }, { id: "b", title: "Same" }]),
        ["interactive", "action", "buttons"]
      )
      expect(twice.message).toContain("button titles must be unique")
    }))

  it.effect("interactive body at most 1024 characters, footer and header at most 60", () =>
    Effect.gen(function*() {
      const base = { to: TO, buttons: [{ id: "a", title: "A" }] }
      yield* refusedAt(WhatsAppMessage.buttons({ ...base, body: "x".repeat(1025) }), ["interactive", "body", "text"])
      yield* refusedAt(
        WhatsAppMessage.buttons({ ...base, body: "b", footer: "x".repeat(61) }),
        ["interactive", "footer", "text"]
      )
      yield* refusedAt(
        WhatsAppMessage.buttons({ ...base, body: "b", header: "x".repeat(61) }),
        ["interactive", "header", "text"]
      )
    }))

  it.effect("list: at most 10 rows in all sections, row title at most 24, titled sections when several", () =>
    Effect.gen(function*() {
      const rows = (n: number, prefix: string) =>
        Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }))
      const list = (sections: ReadonlyArray<WhatsAppMessage.ListSection>) =>
        WhatsAppMessage.list({ to: TO, body: "Choose", button: "Options", sections })
      const eleven = yield* refusedAt(
        list([{ title: "A", rows: rows(6, "a") }, { title: "B", rows: rows(5, "b") }]),
        ["interactive", "action", "sections"]
      )
      expect(eleven.message).toContain("at most 10 rows across all sections, got 11")
      yield* WhatsAppMessage.encode(list([{ title: "A", rows: rows(5, "a") }, { title: "B", rows: rows(5, "b") }]))
      yield* refusedAt(
        list([{ rows: [{ id: "r", title: "x".repeat(25) }] }]),
        ["interactive", "action", "sections", 0, "rows", 0, "title"]
      )
      yield* refusedAt(
        list([{ rows: [{ id: "r", title: "t", description: "x".repeat(73) }] }]),
        ["interactive", "action", "sections", 0, "rows", 0, "description"]
      )
      yield* refusedAt(list([{ rows: rows(1, "a") }, { rows: rows(1, "b") }]), ["interactive", "action", "sections"])
      yield* refusedAt(
        WhatsAppMessage.list({ to: TO, body: "Choose", button: "x".repeat(21), sections: [{ rows: rows(1, "a") }] }),
        ["interactive", "action", "button"]
      )
    }))

  it.effect("location: latitude within ±90, longitude within ±180", () =>
    Effect.gen(function*() {
      yield* refusedAt(WhatsAppMessage.location({ to: TO, latitude: 91, longitude: 0 }), ["location", "latitude"])
      yield* refusedAt(WhatsAppMessage.location({ to: TO, latitude: 0, longitude: "east" }), ["location", "longitude"])
    }))

  it.effect("template: button index 0-9, currency code ISO 4217", () =>
    Effect.gen(function*() {
      yield* refusedAt(
        WhatsAppMessage.template({
          to: TO,
          name: "t",
          language: "en",
          buttons: [{ subType: "quick_reply", index: 10, parameters: ["p"] }]
        }),
        ["template", "components", 0, "index"]
      )
      yield* refusedAt(
        WhatsAppMessage.template({
          to: TO,
          name: "t",
          language: "en",
          body: [{ type: "currency", currency: { fallback_value: "$1", code: "usd", amount_1000: 1000 } }]
        }),
        ["template", "components", 0, "parameters", 0, "currency", "code"]
      )
    }))

  it.effect("contacts: 1 to 5 cards, each with a formatted name", () =>
    Effect.gen(function*() {
      yield* refusedAt(WhatsAppMessage.contacts({ to: TO, contacts: [] }), ["contacts"])
      yield* refusedAt(
        WhatsAppMessage.contacts({ to: TO, contacts: [{ name: { formatted_name: "" } }] }),
        ["contacts", 0, "name", "formatted_name"]
      )
    }))

  it.effect("mark as read: a message id", () =>
    refusedAt(WhatsAppMessage.markAsRead({ messageId: "" }), ["message_id"]))
})

describe("decode refuses what is not a message, saying what is wrong", () => {
  const decodeFailure = (json: string | Uint8Array) =>
    Effect.flip(WhatsAppMessage.decode(typeof json === "string" ? new TextEncoder().encode(json) : json))

  it.effect("an unknown type names the type", () =>
    Effect.gen(function*() {
      const error = yield* decodeFailure(`{"messaging_product":"whatsapp","to":"+16505551234","type":"carousel"}`)
      assert.strictEqual(error._tag, "ParseError")
      assert.deepStrictEqual(paths(error), [["type"]])
      expect(error.message).toContain(`got "carousel"`)
    }))

  it.effect("a missing type", () =>
    Effect.gen(function*() {
      const error = yield* decodeFailure(`{"messaging_product":"whatsapp","to":"+16505551234","text":{"body":"x"}}`)
      assert.deepStrictEqual(paths(error), [["type"]])
    }))

  it.effect("a message without recipient", () =>
    Effect.gen(function*() {
      const error = yield* decodeFailure(`{"messaging_product":"whatsapp","type":"text","text":{"body":"x"}}`)
      assert.deepStrictEqual(ParseResult.ArrayFormatter.formatErrorSync(error), [
        { _tag: "Missing", path: ["to"], message: "is missing" }
      ])
    }))

  it.effect("a known type with a malformed payload names the member", () =>
    Effect.gen(function*() {
      const error = yield* decodeFailure(
        `{"messaging_product":"whatsapp","to":"+16505551234","type":"reaction","reaction":{"emoji":"x"}}`
      )
      assert.deepStrictEqual(paths(error), [["reaction", "message_id"]])
    }))

  it.effect("another messaging product", () =>
    Effect.gen(function*() {
      const error = yield* decodeFailure(
        `{"messaging_product":"sms","to":"+16505551234","type":"text","text":{"body":"x"}}`
      )
      assert.deepStrictEqual(paths(error), [["messaging_product"]])
    }))

  it.effect("bytes that are not JSON, or not UTF-8", () =>
    Effect.gen(function*() {
      expect((yield* decodeFailure("not json")).message).toContain("not valid JSON")
      expect((yield* decodeFailure(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toContain("expected UTF-8 bytes")
      expect((yield* decodeFailure("[]")).message).toContain("type")
    }))
})

describe("round trip", () => {
  const same = Schema.equivalence(WhatsAppMessage.Message)

  it.effect.prop(
    "encode → decode gives the same message, and the same bytes again",
    [Arbitrary.make(WhatsAppMessage.Message)],
    ([message]) =>
      Effect.gen(function*() {
        const bytes = yield* WhatsAppMessage.encode(message)
        const back = yield* WhatsAppMessage.decode(bytes)
        assert.isTrue(same(message, back))
        assert.deepStrictEqual(yield* WhatsAppMessage.encode(back), bytes)
      }),
    { fastCheck: { numRuns: 150 } }
  )
})
