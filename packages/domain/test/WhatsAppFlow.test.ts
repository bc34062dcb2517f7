/**
 * Flow JSON as the `flowJson` blob takes it: bytes of a Flow in the shape of Meta's Flow JSON reference,
 * unknown members kept, the top level refused with its path, and an encode → decode round trip.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as WhatsAppFlow from "@social-messaging/domain/WhatsAppFlow"
import { Arbitrary, Effect, ParseResult } from "effect"

const utf8 = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json))

const paths = (error: ParseResult.ParseError): ReadonlyArray<ReadonlyArray<PropertyKey>> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path)

/** A screen with a form posting to the endpoint. */
const first: WhatsAppFlow.Screen = {
  id: "APPOINTMENT",
  title: "Appointment",
  data: { department: { type: "array", items: { type: "object" }, __example__: [] } },
  layout: {
    type: "SingleColumnLayout",
    children: [
      {
        type: "Form",
        name: "appointment_form",
        children: [
          { type: "Dropdown", label: "Department", name: "department", "data-source": "${data.department}" },
          {
            type: "Footer",
            label: "Continue",
            "on-click-action": { name: "data_exchange", payload: { department: "${form.department}" } }
          }
        ]
      }
    ]
  }
}

/** A terminal screen. */
const summary: WhatsAppFlow.Screen = {
  id: "SUMMARY",
  title: "Summary",
  terminal: true,
  success: true,
  layout: {
    type: "SingleColumnLayout",
    children: [
      { type: "TextHeading", text: "Thank you" },
      { type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: {} } }
    ]
  }
}

/** Two screens with an endpoint, in the shape of the examples of Meta's Flow JSON reference. */
const appointment: WhatsAppFlow.Flow = {
  version: "7.3",
  data_api_version: "3.0",
  routing_model: { APPOINTMENT: ["SUMMARY"], SUMMARY: [] },
  screens: [first, summary]
}

describe("WhatsAppFlow", () => {
  it.effect("encodes a Flow to its JSON bytes, unknown members included, and decodes it back", () =>
    Effect.gen(function*() {
      const bytes = yield* WhatsAppFlow.encode(appointment)
      assert.deepStrictEqual(bytes, utf8(appointment))
      assert.deepStrictEqual(yield* WhatsAppFlow.decode(bytes), appointment)
    }))

  it.effect("keeps top-level members it does not model", () =>
    Effect.gen(function*() {
      const withExtra = { ...appointment, data_channel_uri: "https://example.com/flow" }
      assert.deepStrictEqual(yield* WhatsAppFlow.decode(utf8(withExtra)), withExtra)
    }))

  it.effect("refuses a Flow without version or screens, naming the member", () =>
    Effect.gen(function*() {
      const { version: _, ...noVersion } = appointment
      assert.deepStrictEqual(paths(yield* Effect.flip(WhatsAppFlow.decode(utf8(noVersion)))), [["version"]])
      const { screens: __, ...noScreens } = appointment
      assert.deepStrictEqual(paths(yield* Effect.flip(WhatsAppFlow.decode(utf8(noScreens)))), [["screens"]])
      assert.deepStrictEqual(
        paths(yield* Effect.flip(WhatsAppFlow.decode(utf8({ ...appointment, screens: [] })))),
        [["screens", 0]]
      )
      assert.deepStrictEqual(
        paths(yield* Effect.flip(WhatsAppFlow.decode(utf8({ ...appointment, version: 7 })))),
        [["version"]]
      )
    }))

  it.effect("refuses a screen without layout, naming its path", () =>
    Effect.gen(function*() {
      const { layout: _, ...noLayout } = summary
      const error = yield* Effect.flip(WhatsAppFlow.decode(utf8({ ...appointment, screens: [first, noLayout] })))
      assert.deepStrictEqual(paths(error), [["screens", 1, "layout"]])
    }))

  it.effect("refuses duplicate screen ids, the reserved SUCCESS id, and routes to unknown screens", () =>
    Effect.gen(function*() {
      const twice = yield* Effect.flip(WhatsAppFlow.encode({ version: "7.3", screens: [first, first] }))
      expect(twice.message).toContain(`screen ids must be unique, "APPOINTMENT" appears twice`)
      const reserved = yield* Effect.flip(
        WhatsAppFlow.encode({ version: "7.3", screens: [{ ...first, id: "SUCCESS" }] })
      )
      assert.deepStrictEqual(paths(reserved), [["screens", 0, "id"]])
      const lost = yield* Effect.flip(
        WhatsAppFlow.encode({ ...appointment, routing_model: { APPOINTMENT: ["CONFIRM"] } })
      )
      expect(lost.message).toContain(`routing_model names "CONFIRM", which is not a screen`)
    }))

  it.effect("refuses bytes that are not a JSON object", () =>
    Effect.gen(function*() {
      const notJson = yield* Effect.flip(WhatsAppFlow.decode(new TextEncoder().encode("{version: 7.3}")))
      expect(notJson.message).toContain("parseJson")
      const array = yield* Effect.flip(WhatsAppFlow.decode(utf8([appointment])))
      expect(array.message).toContain("Expected { readonly version")
    }))

  // Generated from the unrefined shape, then made consistent: a random routing model names no screen.
  const flows = Arbitrary.make(WhatsAppFlow.Flow.from)
    .filter((flow) => new Set(flow.screens.map((s) => s.id)).size === flow.screens.length)
    .filter((flow) => flow.screens.every((s) => s.id !== "SUCCESS"))
    .map((flow): WhatsAppFlow.Flow =>
      flow.routing_model === undefined
        ? flow
        : { ...flow, routing_model: { [flow.screens[0].id]: flow.screens.slice(1).map((s) => s.id) } }
    )

  it.effect.prop(
    "encode → decode gives the same Flow",
    [flows],
    ([flow]) =>
      Effect.gen(function*() {
        const bytes = yield* WhatsAppFlow.encode(flow)
        const back = yield* WhatsAppFlow.decode(bytes)
        assert.deepStrictEqual(back, flow)
        assert.deepStrictEqual(yield* WhatsAppFlow.encode(back), bytes)
      }),
    // generated Flows are large (screens × components × members), so fewer runs, more time
    { fastCheck: { numRuns: 30 }, timeout: 30_000 }
  )
})
