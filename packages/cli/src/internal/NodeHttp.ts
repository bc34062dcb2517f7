/**
 * The CLI's HTTP transport: an `HttpClient` over `node:http` / `node:https`, no more than one call needs.
 *
 * Why not `@effect/platform-node/NodeHttpClient`: its module also holds the undici client, and because the
 * sandbox (a chunk of its own) uses that, the bundle cannot leave undici out of the module's chunk; every call
 * would compile ~540 KB of undici it never runs. Nor does it build the response from a web `Response` (as
 * `HttpClientResponse.fromWeb` needs): the first `Response` loads Node's own copy of undici, ~35 ms of a call.
 * The body is read whole before the response is handed on (a read failure is a `ResponseError`, as the client
 * expects). Connections are not kept alive: the process ends after the call, and an idle socket would only
 * hold it up.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import { Effect, Inspectable, Layer, Option, Stream } from "effect"
import * as Http from "node:http"
import * as Https from "node:https"

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

/** A response whose body has been read. */
class Response extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly headers: Headers.Headers
  readonly cookies: Cookies.Cookies
  readonly remoteAddress = Option.none<string>()
  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    incoming: Http.IncomingHttpHeaders,
    readonly body: Buffer
  ) {
    super()
    const { "set-cookie": setCookie, ...rest } = incoming
    this.headers = Headers.fromInput(rest)
    this.cookies = Cookies.fromSetCookie(setCookie ?? [])
  }
  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }
  get text() {
    return Effect.succeed(this.body.toString("utf8"))
  }
  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: (): unknown => (this.body.length === 0 ? null : JSON.parse(this.body.toString("utf8"))),
      catch: (cause) => this.decodeError(cause)
    })
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    const copy = new ArrayBuffer(this.body.byteLength)
    new Uint8Array(copy).set(this.body)
    return Effect.succeed(copy)
  }
  get urlParamsBody() {
    return Effect.succeed(UrlParams.fromInput(new URLSearchParams(this.body.toString("utf8"))))
  }
  get stream() {
    return Stream.succeed(new Uint8Array(this.body))
  }
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(this.decodeError(new Error("form data answers are not read by this client")))
  }
  toJSON(): unknown {
    return { _id: "@effect/platform/HttpClientResponse", request: this.request.toJSON(), status: this.status }
  }
}

/** One request: the response once its body has been read. */
const send = (request: HttpClientRequest.HttpClientRequest, url: URL, signal: AbortSignal) =>
  Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
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
      const chunks: Array<Buffer> = []
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
      incoming.once(
        "end",
        () =>
          resume(
            Effect.succeed(new Response(request, incoming.statusCode ?? 0, incoming.headers, Buffer.concat(chunks)))
          )
      )
      incoming.once("error", (cause) =>
        resume(Effect.fail(
          new HttpClientError.ResponseError({
            request,
            response: new Response(request, incoming.statusCode ?? 0, incoming.headers, Buffer.alloc(0)),
            reason: "Decode",
            cause
          })
        )))
    })
    outgoing.once(
      "error",
      (cause) => resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
    )
    outgoing.end(bodyOf(body))
  })

/** The `HttpClient` layer of the CLI. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.succeed(HttpClient.HttpClient, HttpClient.make(send))
