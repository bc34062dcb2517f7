/**
 * The CLI's HTTP transport: an `HttpClient` over `node:http` / `node:https`, no more than one call needs.
 *
 * Why not `@effect/platform-node/NodeHttpClient`: its module also holds the undici client, and because the
 * sandbox (a chunk of its own) uses that, the bundle cannot leave undici out of the module's chunk; every call
 * would compile ~540 KB of undici it never runs. Connections are not kept alive: the process ends after the
 * call, and an idle socket would only hold it up.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Layer } from "effect"
import * as Http from "node:http"
import * as Https from "node:https"
import { Readable } from "node:stream"

const bodyOf = (body: HttpBody.HttpBody): Uint8Array | string | undefined => {
  switch (body._tag) {
    case "Empty":
      return undefined
    case "Uint8Array":
      return body.body
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array ? body.body : undefined
    default:
      return undefined
  }
}

const headersOf = (incoming: Http.IncomingHttpHeaders): Array<[string, string]> =>
  Object.entries(incoming).flatMap(([name, value]) =>
    value === undefined ? [] : Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, value]]
  )

/** One request: the response as soon as its headers arrive; its body is read as the caller reads it. */
const send = (request: HttpClientRequest.HttpClientRequest, url: URL, signal: AbortSignal) =>
  Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
    const body = request.body
    if (body._tag === "Stream" || body._tag === "FormData" || (body._tag === "Raw" && bodyOf(body) === undefined)) {
      return resume(
        Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", description: "unsupported body" }))
      )
    }
    const outgoing = (url.protocol === "https:" ? Https : Http).request(url, {
      method: request.method,
      headers: request.headers,
      signal,
      agent: false
    }, (incoming) => {
      const status = incoming.statusCode ?? 0
      const empty = request.method === "HEAD" || status === 204 || status === 304
      if (empty) incoming.resume()
      resume(Effect.succeed(HttpClientResponse.fromWeb(
        request,
        new Response(empty ? null : Readable.toWeb(incoming) as ReadableStream<Uint8Array>, {
          status,
          headers: headersOf(incoming.headers)
        })
      )))
    })
    outgoing.once("error", (cause) => resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))))
    outgoing.end(bodyOf(body))
  })

/** The `HttpClient` layer of the CLI. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.succeed(HttpClient.HttpClient, HttpClient.make(send))
