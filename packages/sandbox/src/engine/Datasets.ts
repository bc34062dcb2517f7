/**
 * Meta Conversions API datasets: CreateWhatsAppDataset and SendWhatsAppConversionEvent.
 *
 * - A WABA has at most one dataset: CreateWhatsAppDataset answers the existing one when there is one (the
 *   operation is idempotent), and the WABA's `datasetId` shows in Get/ListLinkedWhatsAppBusinessAccount(s).
 * - `eventData` is Meta's Conversions API payload for business messaging: `{"data": [event, …]}`, each event
 *   with `event_name`, `event_time` (epoch seconds), `action_source: "business_messaging"`,
 *   `messaging_channel: "whatsapp"` and `user_data`; anything else is `ValidationException` naming the member.
 * - A dataset id other than the WABA's is `ResourceNotFoundException`. Accepted events are kept (the newest
 *   `outboxSize`) in `State.conversionEvents`, with the `requestId` answered.
 */
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { decimalDigits, uuid } from "../internal/random.js"
import {
  type Context,
  describeIssues,
  metaAccess,
  type Methods,
  newest,
  notFound,
  readJson,
  requireWaba,
  validation
} from "./State.js"

const rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** One server event of Meta's Conversions API, as business messaging sends it. */
export const ConversionEventJson = Schema.Struct({
  event_name: Schema.String.pipe(Schema.minLength(1)),
  event_time: Schema.Int.pipe(Schema.positive()),
  action_source: Schema.Literal("business_messaging"),
  messaging_channel: Schema.Literal("whatsapp"),
  user_data: rest
}, rest)

/** The `eventData` blob: `{"data": [event, …]}`. */
export const EventDataJson = Schema.Struct({ data: Schema.NonEmptyArray(ConversionEventJson) }, rest)

/** The dataset operations. */
export const make = ({ config, ref }: Context): Methods<"CreateWhatsAppDataset" | "SendWhatsAppConversionEvent"> => ({
  createWhatsAppDataset: (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const waba = yield* requireWaba(state, input.id)
        yield* metaAccess(waba)
        if (waba.datasetId !== undefined) return [{ datasetId: waba.datasetId }, state] as const
        const datasetId = Shapes.WhatsAppDatasetId.make(yield* decimalDigits(15))
        return [{ datasetId }, {
          ...state,
          linked: state.linked.map((l) => l.id === waba.id ? { ...l, datasetId } : l)
        }] as const
      })),

  sendWhatsAppConversionEvent: (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const waba = yield* requireWaba(state, input.id)
        if (waba.datasetId !== input.datasetId) {
          return yield* notFound(`Dataset ${input.datasetId} is not the dataset of WABA ${input.id}.`)
        }
        const json = readJson(Redacted.value(input.eventData))
        if (Either.isLeft(json)) return yield* validation(`eventData: ${json.left}`)
        const event = Schema.decodeUnknownEither(EventDataJson, { errors: "all" })(json.right)
        if (Either.isLeft(event)) return yield* validation(`eventData: ${describeIssues(event.left)}`)
        yield* metaAccess(waba)
        const requestId = yield* uuid
        const received = {
          requestId,
          waba: waba.id,
          datasetId: input.datasetId,
          event: event.right,
          receivedAtMillis: yield* Clock.currentTimeMillis
        }
        return [{ requestId }, {
          ...state,
          conversionEvents: newest([...state.conversionEvents, received], config.outboxSize)
        }] as const
      }))
})
