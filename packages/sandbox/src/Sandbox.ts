/**
 * The in-process sandbox: `SocialMessaging` (the service of @social-messaging/http-client) and its
 * `Caller` (what `SocialMessaging.send` runs on) answered by the engine, with no network. Inputs are
 * validated as the HTTP client validates them (`Operations.encodeInput` first: a bad input fails with
 * `RequestValidationError` and never reaches the engine), and each operation fails only with the AWS
 * errors it declares.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
 * import * as Sandbox from "@social-messaging/sandbox/Sandbox"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* SocialMessaging
 *   return yield* client.listLinkedWhatsAppBusinessAccounts({})
 * }).pipe(Effect.provide(Sandbox.layer))
 * ```
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as EngineModule from "./Engine.js"

/** The engine tag, re-exported so tests can inspect the state behind `layer`. */
export const Engine = EngineModule.Engine

/**
 * The event feed of the engine behind `layer` (`Engine.Service.events`): each event a send produced for a WABA
 * with an event destination, as the SNS notification AWS delivers (`body`), when its `Clock` time comes.
 *
 * @example
 * ```ts
 * const [sent, delivered, read] = yield* Sandbox.events.pipe(
 *   Stream.mapEffect((delivery) => WhatsAppEvent.fromSnsHttp(delivery.body)),
 *   Stream.mapConcat(WhatsAppEvent.events),
 *   Stream.filter(WhatsAppEvent.isStatusOf(messageId)),
 *   Stream.take(3),
 *   Stream.runCollect
 * ) // with TestClock: fork this, TestClock.adjust("5 seconds"), join
 * ```
 */
export const events: Stream.Stream<EngineModule.Delivery, never, EngineModule.Engine> = Stream.unwrap(
  Effect.map(EngineModule.Engine, (engine) => engine.events)
)

/**
 * The generic call over the engine in context, one operation in process: the typed input validated (and
 * encoded) as the HTTP client does first, the engine's handler of the operation on that wire form (decoded as
 * the server decodes a request), its wire answer shown to the answer observer as the HTTP client shows the JSON
 * it reads (`Signup` saves its token from it), then decoded: the caller gets what the model's output holds, as
 * from the wire, never the engine's own objects. The operation fails only with the errors it declares.
 */
export const makeCall: Effect.Effect<SocialMessaging.Call, never, EngineModule.Engine> = Effect.map(
  EngineModule.Engine,
  (engine) => {
    const handlers = EngineModule.handlers(engine)
    return (operation, input) =>
      Operations.encodeInput(operation, input).pipe(
        Effect.flatMap((wire) =>
          EngineModule.handlerOf(handlers, operation.name)(wire).pipe(
            // The engine answers each operation with its declared errors, and decodes what was just encoded: any
            // other failure is a sandbox bug.
            Effect.catchAll((error) =>
              error._tag !== "RequestValidationError" && Errors.isDeclaredAwsError(operation.errors, error)
                ? Effect.fail(error)
                : Effect.die(error)
            )
          )
        ),
        Effect.tap((wire) => SocialMessaging.observeAnswer(operation.name, wire)),
        Effect.flatMap((wire) => Effect.orDie(Schema.decodeUnknown(operation.output)(wire)))
      )
  }
)

/** Builds the `SocialMessaging` service over the engine in context (its methods over `makeCall`). */
export const make: Effect.Effect<SocialMessaging.Service, never, EngineModule.Engine> = Effect.map(
  makeCall,
  SocialMessaging.fromCall
)

/** The `Caller` over the engine, and the service over that same call. */
const callerAndService: Layer.Layer<
  SocialMessaging.Caller | SocialMessaging.SocialMessaging,
  never,
  EngineModule.Engine
> = Layer.effect(SocialMessaging.SocialMessaging, Effect.map(SocialMessaging.Caller, SocialMessaging.fromCall)).pipe(
  Layer.provideMerge(Layer.effect(SocialMessaging.Caller, makeCall))
)

/**
 * `SocialMessaging`, its `Caller` and the `Engine` behind them, with the given engine options. Each build is a new,
 * empty sandbox.
 *
 * @example
 * ```ts
 * const TestLayer = Sandbox.layerWith({ region: "eu-west-1", wabaLimit: 2 })
 * ```
 */
export const layerWith = (
  options: EngineModule.Options = {}
): Layer.Layer<SocialMessaging.SocialMessaging | SocialMessaging.Caller | EngineModule.Engine> =>
  callerAndService.pipe(Layer.provideMerge(EngineModule.layer(options)))

/**
 * `SocialMessaging`, its `Caller` and their `Engine` with the default options (us-east-1, account 123456789012,
 * the seeded Meta fixtures).
 *
 * @example
 * ```ts
 * it.effect("lists nothing at first", () =>
 *   Effect.gen(function*() {
 *     const client = yield* SocialMessaging
 *     assert.deepStrictEqual((yield* client.listLinkedWhatsAppBusinessAccounts({})).linkedAccounts, [])
 *   }).pipe(Effect.provide(Sandbox.layer)))
 * ```
 */
export const layer: Layer.Layer<SocialMessaging.SocialMessaging | SocialMessaging.Caller | EngineModule.Engine> =
  layerWith()
