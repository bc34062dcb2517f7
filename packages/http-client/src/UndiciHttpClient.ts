/**
 * An `@effect/platform` `HttpClient` over undici (`@effect/platform-node`'s own undici client, usable for any
 * request) that also offers this library a direct lane: the service recognises it and sends each attempt as one
 * `undici.request` under one timer and the attempt's abort signal, without the `HttpClient` machinery per
 * request (URL parsing, abort controller and finalization registry, tracer look-ups, response wrappers).
 * What `SocialMessagingNode` uses. Wrapping this client (`HttpClient.mapRequest`, a tracer middleware...) gives
 * a new client without the lane: the wrapper's behaviour is kept, at the `HttpClient` path's cost.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
 * import * as UndiciHttpClient from "@social-messaging/http-client/UndiciHttpClient"
 *
 * const Live = SocialMessaging.layer({ region: "eu-west-1" }).pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as Undici from "@effect/platform-node/Undici"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Lanes from "./internal/directLane.js"

/**
 * The client over `dispatcher`: `NodeHttpClient.makeUndici(dispatcher)` for every request, plus the direct lane
 * for this library's calls.
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  Lanes.register(NodeHttpClient.makeUndici(dispatcher), (request, signal) =>
    dispatcher.request({
      signal,
      method: request.method,
      origin: request.origin,
      path: request.path,
      headers: request.headers,
      body: request.body ?? null,
      // As @effect/platform-node: time-outs are the caller's (here the attempt's timer and signal).
      headersTimeout: 60 * 60 * 1000,
      bodyTimeout: 0
    }).then(
      (response) =>
        response.body.text().then(
          (body): Lanes.Outcome => ({ _tag: "Answer", status: response.statusCode, headers: response.headers, body }),
          (cause: unknown): Lanes.Outcome => ({ _tag: "BodyFailed", cause })
        ),
      (cause: unknown): Lanes.Outcome => ({ _tag: "RequestFailed", cause })
    ))

/** The client over a dispatcher from the context (`NodeHttpClient.Dispatcher`). */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, NodeHttpClient.Dispatcher> = Layer
  .effect(HttpClient.HttpClient, Effect.map(NodeHttpClient.Dispatcher, make))

/** The client over its own undici `Agent`, closed with the layer (as `NodeHttpClient.layerUndici`). */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.provide(
  layerWithoutDispatcher,
  NodeHttpClient.dispatcherLayer
)
