/**
 * A scripted transport for the retry, fault-matrix and interruption tests: `HttpClient.make` answering from a
 * script (responses, hangs, connection resets, bodies that never end) and recording what it was sent and when
 * (by `Clock`, so `TestClock` time); plus a tracer that records spans and their events.
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as AwsCredentials from "../../src/AwsCredentials.js"
import * as SocialMessaging from "../../src/SocialMessaging.js"

export const credentials = AwsCredentials.layerStatic(
  AwsCredentials.makeCredentials({
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
  })
)

/** One scripted answer. */
export type Answer =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
  }
  /** Never answers (until interrupted). */
  | { readonly _tag: "Hang" }
  /** Fails like a socket reset: a `RequestError` whose cause has code ECONNRESET. */
  | { readonly _tag: "Reset" }
  /** Answers headers, then a body that never ends. */
  | { readonly _tag: "SlowBody"; readonly status: number }
  /** Fails like a socket error before or after writing: a `RequestError` whose cause has this code. */
  | { readonly _tag: "Fail"; readonly code: string }
  /** Answers headers, then a body that breaks off (the stream errors after its first chunk). */
  | { readonly _tag: "BrokenBody"; readonly status: number }

export const respond = (
  status: number,
  options: { readonly headers?: Record<string, string>; readonly body?: string } = {}
): Answer => ({ _tag: "Respond", status, headers: options.headers ?? {}, body: options.body ?? "" })

/** An AWS error answer: `x-amzn-errortype` plus a JSON body with `message`. */
export const awsError = (
  status: number,
  errorType: string,
  options: { readonly message?: string; readonly headers?: Record<string, string> } = {}
): Answer =>
  respond(status, {
    headers: { "content-type": "application/json", "x-amzn-errortype": errorType, ...options.headers },
    body: JSON.stringify({ message: options.message ?? `${errorType} (scripted)` })
  })

export const ok = (body: unknown = { linkedAccounts: [] }): Answer =>
  respond(200, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

export const hang: Answer = { _tag: "Hang" }
export const reset: Answer = { _tag: "Reset" }
export const slowBody = (status = 200): Answer => ({ _tag: "SlowBody", status })
/** A socket failure with a node/undici code: ENOTFOUND, ECONNREFUSED, EHOSTUNREACH, UND_ERR_CONNECT_TIMEOUT... */
export const failWith = (code: string): Answer => ({ _tag: "Fail", code })
export const brokenBody = (status = 200): Answer => ({ _tag: "BrokenBody", status })

/** What the transport received. */
export interface Sent {
  /** `Clock` time (TestClock in tests) when the request reached the transport. */
  readonly at: number
  readonly url: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  /** The request body as text (`undefined` for none). */
  readonly body: string | undefined
  /** Whether the request's AbortSignal fired (checked when the answer is settled or interrupted). */
  readonly aborted: () => boolean
}

/** A script: the answers in order (the last one repeats), or a function of the request index. */
export type Script = ReadonlyArray<Answer> | ((n: number) => Effect.Effect<Answer>)

const answerFor = (script: Script, n: number): Effect.Effect<Answer> =>
  typeof script === "function"
    ? script(n)
    : Effect.succeed(script[Math.min(n, script.length - 1)] ?? respond(500))

const bodyText = (body: HttpBody.HttpBody): string | undefined =>
  body._tag === "Uint8Array"
    ? new TextDecoder().decode(body.body)
    : body._tag === "Empty"
    ? undefined
    : `<${body._tag}>`

const breakingBody = () =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new TextEncoder().encode("{\"linkedAcc"))
      controller.error(Object.assign(new Error("terminated"), { code: "UND_ERR_SOCKET" }))
    }
  })

const neverEndingBody = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("{"))
    }
  })

/** The transport alone. */
export const transport = (script: Script) =>
  Effect.sync(() => {
    const log: Array<Sent> = []
    const sent: Effect.Effect<ReadonlyArray<Sent>> = Effect.sync(() => log.slice())
    const client = HttpClient.make((request, url, signal) =>
      Effect.gen(function*() {
        const at = yield* Clock.currentTimeMillis
        const n = log.length
        log.push({
          at,
          url: url.href,
          method: request.method,
          headers: request.headers,
          body: bodyText(request.body),
          aborted: () => signal.aborted
        })
        const answer = yield* answerFor(script, n)
        switch (answer._tag) {
          case "Respond":
            return HttpClientResponse.fromWeb(
              request,
              new Response(answer.body === "" ? null : answer.body, { status: answer.status, headers: answer.headers })
            )
          case "SlowBody":
            return HttpClientResponse.fromWeb(
              request,
              new Response(neverEndingBody(), {
                status: answer.status,
                headers: { "content-type": "application/json" }
              })
            )
          case "Reset":
            return yield* new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
            })
          case "Fail":
            return yield* new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause: new TypeError("fetch failed", {
                cause: Object.assign(new Error(`connect ${answer.code}`), { code: answer.code })
              })
            })
          case "BrokenBody":
            return HttpClientResponse.fromWeb(
              request,
              new Response(breakingBody(), { status: answer.status, headers: { "content-type": "application/json" } })
            )
          case "Hang":
            return yield* Effect.never
        }
      })
    )
    return { client, sent }
  })

/** The service over a scripted transport, built with `make` (defaults: us-east-1, everything else default). */
export const service = (script: Script, options: Partial<SocialMessaging.Options> = {}) =>
  Effect.gen(function*() {
    const { client, sent } = yield* transport(script)
    const svc = yield* SocialMessaging.make({ region: "us-east-1", ...options }).pipe(
      Effect.provide(Layer.merge(credentials, Layer.succeed(HttpClient.HttpClient, client)))
    )
    return { service: svc, sent }
  })

/** Offsets of the requests' times from the first one's. */
export const timeline = (sent: ReadonlyArray<Sent>): ReadonlyArray<number> => sent.map((s) => s.at - (sent[0]?.at ?? 0))

/** The failure of an exit, if it failed with one (a defect or interruption yields `None`). */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): Option.Option<E> =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? Option.some(exit.cause.error) : Option.none()

// =============================================================================
// A recording tracer
// =============================================================================

export interface RecordedEvent {
  readonly name: string
  readonly attributes: Readonly<Record<string, unknown>>
}

export class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId: string
  readonly traceId = "trace"
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<RecordedEvent> = []
  links: ReadonlyArray<Tracer.SpanLink>
  status: Tracer.SpanStatus
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    id: number
  ) {
    this.spanId = `span-${id}`
    this.links = links
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes: attributes ?? {} })
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links = [...this.links, ...links]
  }
}

/** A tracer that keeps every span it starts. */
export const recordingTracer = () => {
  const spans: Array<RecordingSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const span = new RecordingSpan(name, parent, context, links, startTime, kind, spans.length)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { spans, tracer }
}
