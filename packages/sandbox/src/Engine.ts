/**
 * The sandbox engine: all 38 operations of AWS End User Messaging Social, in memory, with Meta's side
 * played by fixtures (`Fixtures`).
 *
 * It works on the typed (decoded) domain values and fails only with errors the operation declares.
 * State lives in one `SynchronizedRef`; ids and tokens come from `Random`, times from `Clock`, so tests
 * are reproducible with a seeded `Random` and `TestClock`. Both faces of the sandbox (the in-process
 * layer and the HTTP server) run operations through `handlers`, which speaks the wire form.
 *
 * This module wires the state and the service; each area's behaviour, and the decisions taken where
 * AWS's and Meta's documentation leave room, are in its own module:
 *
 * | module | operations |
 * | --- | --- |
 * | `engine/Association.ts` | Associate, Disassociate, GetLinked…Account, ListLinked…Accounts, GetLinked…PhoneNumber, Put…EventDestinations |
 * | `engine/Tags.ts` | TagResource, UntagResource, ListTagsForResource |
 * | `engine/Messages.ts` | SendWhatsAppMessage (and the outbox) |
 * | `engine/Events.ts` | the events a send produces at the WABA's event destination, and their feed (`events`) |
 * | `engine/Media.ts` | Post/Get/DeleteWhatsAppMessageMedia, CreateWhatsAppMessageTemplateMedia (and the S3 stand-in) |
 * | `engine/Templates.ts` | Create…Template(FromLibrary), List…Templates, Get/Update/Delete…Template, ListWhatsAppTemplateLibrary |
 * | `engine/Flows.ts` | Create/List/Get/Update/Publish/Deprecate/DeleteWhatsAppFlow, GetWhatsAppFlowPreview, List/UpdateWhatsAppFlowAssets |
 * | `engine/Datasets.ts` | CreateWhatsAppDataset, SendWhatsAppConversionEvent |
 * | `engine/BusinessKeys.ts` | Put/GetWhatsAppBusinessPublicKey |
 * | `engine/Calling.ts` | UpdateLinkedWhatsAppBusinessAccountPhoneNumber, GetWhatsAppCallPermission, SendWhatsAppCallEvent |
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Engine from "@social-messaging/sandbox/Engine"
 *
 * const linked = Effect.flatMap(Engine.Engine, (engine) => engine.state).pipe(
 *   Effect.map((state) => state.linked.length),
 *   Effect.provide(Engine.layer())
 * )
 * ```
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Association from "./engine/Association.js"
import * as BusinessKeys from "./engine/BusinessKeys.js"
import * as Calling from "./engine/Calling.js"
import { type Config, defaults, type Options, resolve } from "./engine/Config.js"
import * as Datasets from "./engine/Datasets.js"
import * as Events from "./engine/Events.js"
import * as Flows from "./engine/Flows.js"
import * as Media from "./engine/Media.js"
import * as Messages from "./engine/Messages.js"
import * as State from "./engine/State.js"
import * as Tags from "./engine/Tags.js"
import * as Templates from "./engine/Templates.js"
import * as Dispatch from "./generated/Dispatch.js"
import { hex } from "./internal/random.js"

export { type Config, defaults, type Options, resolve }

/** One event as AWS delivers it to a WABA's event destination (an SNS notification; see `engine/Events.ts`). */
export type Delivery = Events.Delivery

/** The data localisation regions Meta offers (AWS API reference of `WabaPhoneNumberSetupFinalization`). */
export const dataLocalizationRegions = Association.dataLocalizationRegions

/** Tags a resource may carry (the usual AWS limit). */
export const maxTagsPerResource = Tags.maxTagsPerResource

export type {
  BusinessPublicKey,
  Call,
  ConversionEvent,
  Flow,
  HeaderHandle,
  LinkedWaba,
  Media as MediaFile,
  MetaStatus,
  PhoneNumberIdentity,
  SentMessage,
  Session,
  State,
  StoredObject,
  Template
} from "./engine/State.js"

// =============================================================================
// The service
// =============================================================================

/** Every operation over typed values, each failing only with errors its operation declares. */
export type Methods = State.Methods<Operations.OperationName>

/** The operations, and what tests and tools inspect or arrange beside them. */
export interface Service extends Methods {
  readonly config: Config
  /** The current state, for tests and tools. */
  readonly state: Effect.Effect<State.State>
  /** The messages sent from a phone number (`phone-number-id-…`), oldest first; every number's without one. */
  readonly outbox: (phoneNumberId?: string) => Effect.Effect<ReadonlyArray<State.SentMessage>>
  /** Writes an object of the S3 stand-in (a fixture, or what an app would have uploaded to S3). */
  readonly putObject: (object: {
    readonly bucket: string
    readonly key: string
    readonly contentType: string
    readonly bytes: Uint8Array
  }) => Effect.Effect<void>
  /** Reads an object of the S3 stand-in (what GetWhatsAppMessageMedia wrote, say). */
  readonly getObject: (bucket: string, key: string) => Effect.Effect<State.StoredObject | undefined>
  /**
   * What Meta answers for a linked WABA (id or ARN) from now on: `unavailable` makes its Meta-backed calls
   * fail with DependencyException, `accessRevoked` with AccessDeniedByMetaException where declared. False
   * when no such WABA is linked.
   */
  readonly setMetaStatus: (waba: string, status: State.MetaStatus) => Effect.Effect<boolean>
  /**
   * The event feed: the events sends produced for WABAs with an event destination (statuses, the seeded
   * customer's replies), each encoded as AWS delivers it (`body`: an SNS notification for
   * `WhatsAppEvent.fromSnsHttp`), emitted when its `Clock` time comes. It replays the retained deliveries
   * already due, then follows; it never ends (take what you need).
   *
   * @example
   * ```ts
   * const statuses = (messageId: string) =>
   *   engine.events.pipe(
   *     Stream.mapEffect((d) => WhatsAppEvent.fromSnsHttp(d.body)),
   *     Stream.mapConcat(WhatsAppEvent.events),
   *     Stream.filter(WhatsAppEvent.isStatusOf(messageId)),
   *     Stream.take(3)
   *   )
   * ```
   */
  readonly events: Stream.Stream<Delivery>
  /** The retained deliveries whose time has come, oldest first (a snapshot of the feed). */
  readonly deliveredEvents: Effect.Effect<ReadonlyArray<Delivery>>
  /** The delivered events numbered above `after`, and the sequence to poll after next (`Events.Poll`). */
  readonly pollEvents: (after: number) => Effect.Effect<Events.Poll>
}

/**
 * The engine tag.
 *
 * @example
 * ```ts
 * const count = Effect.flatMap(Engine, (engine) => engine.state).pipe(Effect.map((s) => s.linked.length))
 * ```
 */
export class Engine extends Context.Tag("@social-messaging/sandbox/Engine")<Engine, Service>() {}

// =============================================================================
// Constructor
// =============================================================================

/** Builds an engine with fresh state (no linked WABAs; the S3 stand-in holds its seeded objects). */
export const make = (options: Options = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const config = resolve(options)
    const ref = yield* SynchronizedRef.make(State.initialState(config))
    const feed = yield* Events.makeFeed(config.eventFeedSize)
    const context: State.Context = {
      config,
      ref,
      feed,
      salt: yield* hex(8),
      arnPrefix: `arn:aws:social-messaging:${config.region}:${config.accountId}`
    }
    const methods: Methods = {
      ...Association.make(context),
      ...Tags.make(context),
      ...Messages.make(context),
      ...Media.make(context),
      ...Templates.make(context),
      ...Flows.make(context),
      ...Datasets.make(context),
      ...BusinessKeys.make(context),
      ...Calling.make(context)
    }
    return {
      ...methods,
      config,
      state: SynchronizedRef.get(ref),
      outbox: (phoneNumberId) =>
        Effect.map(SynchronizedRef.get(ref), (state) =>
          phoneNumberId === undefined
            ? [...state.outbox.values()].flat().sort((a, b) => a.sentAtMillis - b.sentAtMillis)
            : state.outbox.get(phoneNumberId) ?? []),
      putObject: ({ bucket, bytes, contentType, key }) =>
        SynchronizedRef.update(ref, (state) => {
          const objects = new Map(state.objects)
          objects.set(State.objectKey(bucket, key), { contentType, bytes })
          return { ...state, objects }
        }),
      getObject: (bucket, key) =>
        Effect.map(SynchronizedRef.get(ref), (state) => state.objects.get(State.objectKey(bucket, key))),
      setMetaStatus: (waba, metaStatus) =>
        SynchronizedRef.modify(ref, (state) => {
          const found = State.findLinked(state, waba)
          if (found === undefined) return [false, state]
          return [true, { ...state, linked: state.linked.map((l) => l.id === found.id ? { ...l, metaStatus } : l) }]
        }),
      events: feed.stream,
      deliveredEvents: feed.due,
      pollEvents: feed.poll
    }
  })

/** A fresh engine as a layer (each build starts empty). */
export const layer = (options: Options = {}): Layer.Layer<Engine> => Layer.effect(Engine, make(options))

// =============================================================================
// The wire face: one handler per operation, wire input in, wire output out
// =============================================================================

/** Runs one operation on wire-form input (JSON values), answering its wire-form output. */
export type Handler = (
  input: unknown
) => Effect.Effect<unknown, Errors.AwsError | Errors.RequestValidationError>

const handler = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  run: (input: I) => Effect.Effect<O, Errors.AwsErrorOf<K>>
): Handler =>
(input) =>
  Operations.decodeInput(operation, input).pipe(
    Effect.flatMap(run),
    // The engine builds its outputs from typed values: an encode failure is a sandbox bug.
    Effect.flatMap((output) => Effect.orDie(Schema.encode(operation.output)(output)))
  )

/** The engine's operations, by AWS name: every operation of the table. */
export type Handlers = { readonly [K in Operations.OperationName]: Handler }

/** The engine's handler of operation `name`. */
export const handlerOf = (all: Handlers, name: Errors.OperationName): Handler => all[name]

/**
 * The engine's operations over the wire form, by AWS name: decode (`Operations.decodeInput`, failing
 * with `RequestValidationError`), run, encode the output. Both faces of the sandbox use this.
 */
export const handlers = (engine: Service): Handlers => Dispatch.byName(engine, handler)
