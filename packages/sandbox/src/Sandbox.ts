/**
 * The in-process sandbox: `SocialMessaging` (the service of @social-messaging/http-client) answered
 * by the engine, with no network. Inputs are validated as the HTTP client validates them
 * (`Operations.encodeInput` first: a bad input fails with `RequestValidationError` and never reaches
 * the engine), and each operation fails only with the AWS errors it declares.
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

const messageOf = (error: Errors.AwsError) => error.message === undefined ? {} : { message: error.message }

/** Builds the `SocialMessaging` service over the engine in context. */
export const make: Effect.Effect<SocialMessaging.Service, never, EngineModule.Engine> = Effect.map(
  EngineModule.Engine,
  (engine) => {
    const handlers = EngineModule.handlers(engine)
    const toDeclared = <K extends Errors.AwsErrorName>(
      operation: Operations.OperationInfo & { readonly errors: ReadonlyArray<K> },
      error: Errors.AwsError
    ): Errors.AwsErrorOf<K> | Errors.UnknownServiceError =>
      Errors.declaredAwsError(operation.errors, error._tag, messageOf(error)) ??
        // The engine never does this; if it did, the caller sees what the HTTP client would show.
        new Errors.UnknownServiceError({
          operation: operation.name,
          errorType: error._tag,
          status: error.classification.httpStatus ?? 500,
          ...(error.message === undefined ? {} : { awsMessage: error.message })
        })
    const call = <I, IE, O, OE, K extends Errors.AwsErrorName>(
      operation: Operations.Operation<I, IE, O, OE, K>,
      input: I
    ): Effect.Effect<O, Errors.AwsErrorOf<K> | Errors.ClientError> =>
      Operations.encodeInput(operation, input).pipe(
        Effect.flatMap(EngineModule.handlerOf(handlers, operation.name)),
        Effect.catchAll((error) =>
          Effect.fail(error._tag === "RequestValidationError" ? error : toDeclared(operation, error))
        ),
        // The answer's wire form, shown first as the HTTP client shows it (`Signup` saves its token from it).
        Effect.tap((output) => SocialMessaging.observeAnswer(operation.name, output)),
        // The handler encoded a valid output; decoding it back cannot fail unless the sandbox is broken.
        Effect.flatMap((output) => Effect.orDie(Schema.decodeUnknown(operation.output)(output)))
      )
    return SocialMessaging.fromCall(call)
  }
)

/**
 * `SocialMessaging` and the `Engine` behind it, with the given engine options. Each build is a new,
 * empty sandbox.
 *
 * @example
 * ```ts
 * const TestLayer = Sandbox.layerWith({ region: "eu-west-1", wabaLimit: 2 })
 * ```
 */
export const layerWith = (
  options: EngineModule.Options = {}
): Layer.Layer<SocialMessaging.SocialMessaging | EngineModule.Engine> =>
  Layer.effect(SocialMessaging.SocialMessaging, make).pipe(Layer.provideMerge(EngineModule.layer(options)))

/**
 * `SocialMessaging` and its `Engine` with the default options (us-east-1, account 123456789012,
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
export const layer: Layer.Layer<SocialMessaging.SocialMessaging | EngineModule.Engine> = layerWith()
