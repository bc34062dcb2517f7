/**
 * An `@effect/platform` `HttpClient` over undici (`@effect/platform-node`'s own undici client, usable for any
 * request) that also offers this library a direct lane: the service recognises it and sends each attempt as one
 * undici dispatch under one timer, without the `HttpClient` machinery per request (URL parsing, abort controller
 * and finalization registry, tracer look-ups, response wrappers, a body stream). What `SocialMessagingNode`
 * uses. Wrapping this client (`HttpClient.mapRequest`, a tracing middleware...) gives a new client without the
 * lane: the wrapper's behaviour is kept, at the `HttpClient` path's cost.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
 * import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
 * import * as UndiciHttpClient from "@social-messaging/http-client/UndiciHttpClient"
 *
 * const Live = SocialMessaging.layer({ region: "eu-west-1", credentials: AwsCredentials.layerChain() }).pipe(
 *   Layer.provide(UndiciHttpClient.layer)
 * )
 * ```
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as Undici from "@effect/platform-node/Undici"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Buffer } from "node:buffer"
import * as Lanes from "./internal/directLane.js"

/** Why a request was abandoned (the attempt's time-out, or the call's interruption). */
class Abandoned extends Error {
  override readonly name = "AbortError"
  readonly code = "UND_ERR_ABORTED"
}

const text = (value: string | Buffer | ReadonlyArray<string | Buffer>): string =>
  typeof value === "string" ? value : Array.isArray(value) ? value.map(String).join(", ") : value.toString("latin1")

/** undici's raw response headers (name, value, name, value…) as one lower-case record, repeats joined. */
const headerRecord = (raw: ReadonlyArray<string | Buffer | ReadonlyArray<string | Buffer>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = text(raw[i] ?? "").toLowerCase()
    if (name === "__proto__") continue
    const value = text(raw[i + 1] ?? "")
    // Own members only: a header named `constructor` or `tostring` must not meet Object.prototype's.
    const seen = Object.hasOwn(out, name) ? out[name] : undefined
    out[name] = seen === undefined ? value : `${seen}, ${value}`
  }
  return out
}

/** The body as undici's `text()` reads it: UTF-8, a leading byte order mark skipped. */
const bodyText = (chunks: ReadonlyArray<Buffer>, length: number): string => {
  if (length === 0) return ""
  const buffer = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, length)
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0
  return buffer.toString("utf8", start)
}

/** One request as an undici dispatch handler: the answer read whole, or the failure, reported once. */
const sendOver = (dispatcher: Undici.Dispatcher): Lanes.Send => (request, onOutcome) => {
  let abort: ((reason: Error) => void) | undefined
  let abandoned = false
  let status = 0
  let headers: Record<string, string> | undefined
  const chunks: Array<Buffer> = []
  let length = 0
  const report = (outcome: Lanes.Outcome) => {
    if (abandoned) return
    abandoned = true
    onOutcome(outcome)
  }
  dispatcher.dispatch({
    method: request.method,
    origin: request.origin,
    path: request.path,
    headers: request.headers,
    body: request.body ?? null,
    // As @effect/platform-node: time-outs are the caller's (here the attempt's timer).
    headersTimeout: 60 * 60 * 1000,
    bodyTimeout: 0
  }, {
    onConnect: (abortRequest) => {
      if (abandoned) abortRequest(new Abandoned("the request was abandoned"))
      else abort = abortRequest
    },
    onHeaders: (statusCode, rawHeaders) => {
      // 1xx answers are informational; the final answer follows.
      if (statusCode < 200) return true
      status = statusCode
      headers = headerRecord(rawHeaders)
      return true
    },
    onData: (chunk) => {
      chunks.push(chunk)
      length += chunk.length
      return true
    },
    onComplete: () => {
      report({ _tag: "Answer", status, headers: headers ?? {}, body: bodyText(chunks, length) })
    },
    onError: (cause) => {
      report(headers === undefined ? { _tag: "RequestFailed", cause } : { _tag: "BodyFailed", cause })
    }
  })
  return () => {
    if (abandoned) return
    abandoned = true
    abort?.(new Abandoned("the request was abandoned"))
  }
}

/**
 * The client over `dispatcher`: `NodeHttpClient.makeUndici(dispatcher)` for every request, plus the direct lane
 * for this library's calls.
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  Lanes.register(NodeHttpClient.makeUndici(dispatcher), sendOver(dispatcher))

/** The client over a dispatcher from the context (`NodeHttpClient.Dispatcher`). */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, NodeHttpClient.Dispatcher> = Layer
  .effect(HttpClient.HttpClient, Effect.map(NodeHttpClient.Dispatcher, make))

/** The client over its own undici `Agent`, closed with the layer (as `NodeHttpClient.layerUndici`). */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.provide(
  layerWithoutDispatcher,
  NodeHttpClient.dispatcherLayer
)
