/**
 * WhatsApp Flow JSON: what the `flowJson` blob of UpdateWhatsAppFlowAssets carries. The top level is typed
 * (version, screens, data API version, routing model); everything else, components included, passes through
 * as JSON, so members Meta adds in later Flow JSON versions are kept, not dropped.
 *
 * Followed: Meta's Flow JSON reference (`developers.facebook.com/docs/whatsapp/flows/reference/flowjson`):
 * `version` and `screens` are required; `data_api_version` and `routing_model` go together for Flows with an
 * endpoint; a screen has a unique `id` (`SUCCESS` is reserved), a `layout` (`SingleColumnLayout` with
 * `children`), and optional `title`, `terminal`, `success`, `refresh_on_back`, `data`; the routing model maps
 * a screen id to the screen ids it may go to.
 */
import type * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { Utf8 } from "./WhatsAppMessage.js"

/** A JSON value. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** A JSON value (generated as small JSON, so property tests survive a JSON round trip). */
export const Json: Schema.Schema<Json> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Finite,
  Schema.String,
  Schema.Array(Schema.suspend((): Schema.Schema<Json> => Json)),
  Schema.Record({ key: Schema.String, value: Schema.suspend((): Schema.Schema<Json> => Json) })
).annotations({
  identifier: "Json",
  arbitrary: () => (fc) => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
    return fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.stringMatching(/^x_[a-z]{1,6}$/), leaf))
  }
})

/** Members not modelled here: kept as they are (generated with keys that never shadow a modelled one). */
const rest = Schema.Record({
  key: Schema.String.annotations({ arbitrary: () => (fc) => fc.stringMatching(/^x_[a-z]{1,6}$/) }),
  value: Json
})

/** A Flow JSON version such as `"7.3"`. */
export const Version = Schema.String.pipe(Schema.pattern(/^[0-9]+\.[0-9]+$/)).annotations({
  identifier: "WhatsAppFlowVersion"
})

/** A screen id; `SUCCESS` is reserved by Meta. */
export const ScreenId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.filter((id) => id !== "SUCCESS" || "SUCCESS is a reserved screen id")
).annotations({ identifier: "WhatsAppFlowScreenId" })

/** A component of a layout: its `type` (`TextHeading`, `Footer`, …) and whatever members it has. */
export const Component = Schema.Struct({ type: Schema.String.pipe(Schema.minLength(1)) }, rest).annotations({
  identifier: "WhatsAppFlowComponent"
})
export type Component = typeof Component.Type

/** A screen layout; Meta's one layout today is `SingleColumnLayout`. */
export const Layout = Schema.Struct({
  type: Schema.String.pipe(Schema.minLength(1)),
  children: Schema.Array(Component)
}, rest).annotations({ identifier: "WhatsAppFlowLayout" })
export type Layout = typeof Layout.Type

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** A screen of the Flow. */
export const Screen = Schema.Struct({
  id: ScreenId,
  title: optional(Schema.String),
  terminal: optional(Schema.Boolean),
  success: optional(Schema.Boolean),
  refresh_on_back: optional(Schema.Boolean),
  data: optional(Json),
  layout: Layout
}, rest).annotations({ identifier: "WhatsAppFlowScreen" })
export type Screen = typeof Screen.Type

/** Allowed transitions: screen id → the screen ids it may navigate to. */
export const RoutingModel = Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }).annotations({
  identifier: "WhatsAppFlowRoutingModel"
})
export type RoutingModel = typeof RoutingModel.Type

const consistent = (flow: {
  readonly screens: ReadonlyArray<{ readonly id: string }>
  readonly routing_model?: RoutingModel
}): string | undefined => {
  const ids = new Set<string>()
  for (const screen of flow.screens) {
    if (ids.has(screen.id)) return `screen ids must be unique, "${screen.id}" appears twice`
    ids.add(screen.id)
  }
  for (const [from, targets] of Object.entries(flow.routing_model ?? {})) {
    for (const id of [from, ...targets]) {
      if (!ids.has(id)) return `routing_model names "${id}", which is not a screen`
    }
  }
  return undefined
}

/**
 * The Flow JSON top level. Unknown members are kept at every level.
 *
 * @example
 * ```ts
 * import { WhatsAppFlow } from "@social-messaging/domain"
 *
 * const flowJson = WhatsAppFlow.encode({
 *   version: "7.3",
 *   screens: [{ id: "WELCOME", terminal: true, layout: { type: "SingleColumnLayout", children: [] } }]
 * }) // Effect<Uint8Array, ParseError>: the value for UpdateWhatsAppFlowAssets' `flowJson`
 * ```
 */
export const Flow = Schema.Struct({
  version: Version,
  data_api_version: optional(Version),
  routing_model: optional(RoutingModel),
  screens: Schema.NonEmptyArray(Screen)
}, rest).pipe(Schema.filter(consistent)).annotations({ identifier: "WhatsAppFlow" })
export type Flow = typeof Flow.Type

/** The blob: UTF-8 JSON bytes ⇄ `Flow`, validated both ways. */
export const FlowFromBytes = Schema.compose(Utf8, Schema.parseJson(Flow)).annotations({
  identifier: "WhatsAppFlowFromBytes"
})

/** Validates `flow` and gives the UTF-8 JSON bytes UpdateWhatsAppFlowAssets' `flowJson` takes. */
export const encode = (flow: Flow): Effect.Effect<Uint8Array, ParseResult.ParseError> =>
  Schema.encode(FlowFromBytes)(flow)

/** Reads a `flowJson` blob back: UTF-8, JSON, an object with `version` and `screens`. */
export const decode = (bytes: Uint8Array): Effect.Effect<Flow, ParseResult.ParseError> =>
  Schema.decode(FlowFromBytes)(bytes)
