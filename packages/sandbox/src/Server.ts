/**
 * The sandbox as a loopback HTTP server speaking the real wire protocol (restJson1 + SigV4), so the
 * HTTP client, the AWS SDK or any other client can be tested against it.
 *
 * Per request: SigV4 is verified (`SigV4Verifier`), the route is looked up (method + path from
 * `Operations`; anything else is 404 `UnknownOperationException`, after authentication as AWS does),
 * faults are injected (`Faults`), the input is decoded from the query (GET/DELETE) or the JSON body
 * (POST/PUT) and validated (400 `ValidationException` naming each member), and the engine answers.
 * Every answer carries `x-amzn-requestid`; errors carry `x-amzn-errortype` and `{"message": …}`.
 * Injected HTML pages carry neither: they stand for a proxy, not for AWS.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Server from "@social-messaging/sandbox/Server"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const server = yield* Server.serve({ port: 0 })
 *     // point a client at server.url with server.credentials[0], region "us-east-1"
 *   })
 * )
 * ```
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Engine from "./Engine.js"
import * as Faults from "./Faults.js"
import { uuid } from "./internal/random.js"
import * as SigV4Verifier from "./SigV4Verifier.js"

// =============================================================================
// Options and service
// =============================================================================

/** Server options; the engine's options (region, account, fixtures…) apply too. */
export interface Options extends Engine.Options {
  /** Interface to bind (default `127.0.0.1`: the sandbox is for this machine only). */
  readonly host?: string | undefined
  /** Port; `0` (the default) takes any free port, reported in `url`/`port`. */
  readonly port?: number | undefined
  /** Accepted key pairs (default `[SigV4Verifier.defaultCredentials]`). */
  readonly credentials?: ReadonlyArray<SigV4Verifier.Credentials> | undefined
  /** Fault injection (default: none). */
  readonly faults?: Faults.FaultPlan | undefined
  /** Allowed distance between `x-amz-date` and the server's clock (default 5 minutes, as AWS). */
  readonly maxClockSkew?: Duration.DurationInput | undefined
}

/** One request the server answered (or dropped). */
export interface RequestLogEntry {
  readonly requestId: string
  readonly method: string
  readonly path: string
  /** `undefined` for an unknown route. */
  readonly operation: Errors.OperationName | undefined
  /** `undefined` when the connection was reset instead of answered. */
  readonly status: number | undefined
  readonly errorType: string | undefined
  /** Set when the fault plan produced the answer. */
  readonly fault: Faults.Source | undefined
  /** Set when the signature verified. */
  readonly accessKeyId: string | undefined
  readonly latencyMillis: number
}

/** A running sandbox server. */
export interface Service {
  /** `http://127.0.0.1:<port>`: the endpoint to give a client. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The signing region the server expects (and the region in its ARNs). */
  readonly region: string
  /** The accepted key pairs. */
  readonly credentials: ReadonlyArray<SigV4Verifier.Credentials>
  /** Every request so far, oldest first. */
  readonly requestLog: Ref.Ref<ReadonlyArray<RequestLogEntry>>
  /** The engine behind the server. */
  readonly engine: Engine.Service
}

/**
 * The running server's tag.
 *
 * @example
 * ```ts
 * const url = Effect.map(SandboxServer, (server) => server.url)
 * ```
 */
export class SandboxServer extends Context.Tag("@social-messaging/sandbox/SandboxServer")<SandboxServer, Service>() {}

// =============================================================================
// Replies
// =============================================================================

type Reply =
  | { readonly _tag: "Json"; readonly body: unknown }
  | {
    readonly _tag: "Error"
    readonly status: number
    readonly errorType: string
    readonly message: string
    readonly fault?: Faults.Source
    /** For "Signature expired": the server's time, sent as `Date`. */
    readonly serverDate?: number
  }
  | { readonly _tag: "Html"; readonly status: number; readonly fault: Faults.Source }
  | { readonly _tag: "Reset"; readonly fault: Faults.Source }

const errorReply = (status: number, errorType: string, message: string): Reply => ({
  _tag: "Error",
  status,
  errorType,
  message
})

const statusTexts: Readonly<Record<number, string>> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out"
}

/** The page nginx-style proxies send. */
const htmlPage = (status: number) => {
  const title = `${status} ${statusTexts[status] ?? "Error"}`
  return [
    "<html>",
    `<head><title>${title}</title></head>`,
    "<body>",
    `<center><h1>${title}</h1></center>`,
    "</body>",
    "</html>",
    ""
  ].join("\r\n")
}

// =============================================================================
// Input: query members and JSON body, as the model binds them
// =============================================================================

/** Query members that are integers in the model (the only non-string query member of these operations). */
const integerQueryMembers: ReadonlySet<string> = new Set(["maxResults"])

const serializationError = (message: string) => errorReply(400, "SerializationException", message)

const readInput = (
  operation: Operations.OperationInfo,
  url: string,
  body: Uint8Array
): Effect.Effect<unknown, Reply> => {
  const queryAt = url.indexOf("?")
  const params = new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1))
  const fromQuery: Record<string, unknown> = {}
  for (const name of operation.query) {
    const value = params.get(name)
    if (value !== null) {
      fromQuery[name] = integerQueryMembers.has(name) && /^-?\d+$/.test(value) ? Number(value) : value
    }
  }
  if (operation.method === "GET" || operation.method === "DELETE") return Effect.succeed(fromQuery)
  const text = new TextDecoder().decode(body)
  if (text.trim() === "") return Effect.succeed(fromQuery)
  return Schema.decodeUnknown(Schema.parseJson())(text).pipe(
    Effect.mapError(() => serializationError("The request body is not valid JSON.")),
    Effect.filterOrFail(Predicate.isRecord, () => serializationError("The request body must be a JSON object.")),
    Effect.map((json) => ({ ...fromQuery, ...json }))
  )
}

// =============================================================================
// Validation messages, AWS style, never showing a secret
// =============================================================================

/** Every string or number in `value`, at any depth. */
const scalarsIn = (value: unknown, found: Set<string>): void => {
  if (typeof value === "string" || typeof value === "number") found.add(String(value))
  else if (Array.isArray(value)) for (const item of value) scalarsIn(item, found)
  else if (Predicate.isRecord(value)) for (const member of Object.values(value)) scalarsIn(member, found)
}

/**
 * Every string or number under a secret member (`WhatsAppSignup.secretMembers`), anywhere in the input. As
 * in `WhatsAppSignup.redactSecretMembers`, the member's whole value is secret, however malformed.
 */
const secretsIn = (input: unknown, found: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(input)) {
    for (const item of input) secretsIn(item, found)
  } else if (Predicate.isRecord(input)) {
    for (const [key, value] of Object.entries(input)) {
      if (WhatsAppSignup.secretMembers.has(key)) scalarsIn(value, found)
      else secretsIn(value, found)
    }
  }
  return found
}

const redact = (message: string, secrets: ReadonlySet<string>): string => {
  let out = message
  for (const secret of secrets) {
    if (secret === "") continue
    out = out.split(JSON.stringify(secret)).join("\"*** Sensitive Data Redacted ***\"")
    // Short secrets (a 1-digit PIN) would blank out unrelated digits; quoted forms are handled above.
    if (secret.length >= 4) out = out.split(secret).join("*** Sensitive Data Redacted ***")
  }
  return out
}

/** `setupFinalization.phoneNumbers[0].twoFactorPin` → `setupFinalization.phoneNumbers.1.member.twoFactorPin`. */
const awsPath = (path: string): string => path.replace(/\[(\d+)\]/g, (_, i: string) => `.${Number(i) + 1}.member`)

/** "2 validation errors detected: Value at 'x' failed to satisfy constraint: …; Value at 'y' …". */
export const validationMessage = (violations: ReadonlyArray<Errors.Violation>, input: unknown): string => {
  const secrets = secretsIn(input)
  const parts = violations.map((v) =>
    v.path === ""
      ? redact(v.message, secrets)
      : `Value at '${awsPath(v.path)}' failed to satisfy constraint: ${redact(v.message, secrets)}`
  )
  return `${parts.length} validation error${parts.length === 1 ? "" : "s"} detected: ${parts.join("; ")}`
}

// =============================================================================
// The server
// =============================================================================

/** The body `message` of a 500 caused by a bug in the sandbox; the cause is logged by the server. */
export const internalErrorMessage = "internal error in the sandbox; see the server log"

/** The server is bound to an address a client cannot reach over TCP (a Unix socket). */
export class ServerAddressError extends Schema.TaggedError<ServerAddressError>()("ServerAddressError", {
  address: Schema.String
}) {
  override get message(): string {
    return `the sandbox server is bound to ${this.address}, not to a TCP address`
  }
}

/** The URL and port clients use for the server's address (an IPv6 host is bracketed); TCP addresses only. */
export const endpointOf = (
  host: string,
  address: HttpServer.Address
): Either.Either<{ readonly url: string; readonly port: number }, ServerAddressError> =>
  address._tag === "TcpAddress"
    ? Either.right({
      port: address.port,
      url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`
    })
    : Either.left(new ServerAddressError({ address: HttpServer.formatAddress(address) }))

/** Starts a server over the engine in context; it stops when the scope closes. */
export const make = (
  options: Options = {}
): Effect.Effect<Service, HttpServerError.ServeError | ServerAddressError, Scope.Scope | Engine.Engine> =>
  Effect.gen(function*() {
    const engine = yield* Engine.Engine
    const handlers = Engine.handlers(engine)
    const region = engine.config.region
    const credentials = options.credentials ?? [SigV4Verifier.defaultCredentials]
    const verify = SigV4Verifier.make({ credentials, region, maxSkew: options.maxClockSkew })
    const injector = yield* Faults.make(options.faults ?? Faults.none)
    const requestLog = yield* Ref.make<ReadonlyArray<RequestLogEntry>>([])
    const host = options.host ?? "127.0.0.1"

    const run = (
      operation: Operations.OperationInfo | undefined,
      request: HttpServerRequest.HttpServerRequest,
      signer: Ref.Ref<string | undefined>
    ): Effect.Effect<Reply, Reply> =>
      Effect.gen(function*() {
        const body = new Uint8Array(
          yield* Effect.mapError(request.arrayBuffer, () => serializationError("The request body could not be read."))
        )
        const received = { method: request.method, url: request.url, headers: request.headers, body }
        const verified = yield* verify(received).pipe(
          Effect.mapError((rejected): Reply => ({
            _tag: "Error",
            status: rejected.status,
            errorType: rejected.errorType,
            message: rejected.message,
            ...(rejected.serverDate === undefined ? {} : { serverDate: rejected.serverDate })
          }))
        )
        yield* Ref.set(signer, verified.accessKeyId)
        if (operation === undefined) {
          const path = request.url.split("?")[0] ?? ""
          return yield* Effect.fail(
            errorReply(404, "UnknownOperationException", `No operation at ${request.method} ${path}`)
          )
        }

        const injected = yield* injector.before(operation.name)
        if (injected !== undefined) {
          return yield* Effect.fail<Reply>(
            injected._tag === "Error"
              ? {
                _tag: "Error",
                status: injected.status,
                errorType: injected.errorType,
                message: injected.message,
                fault: injected.source
              }
              : injected._tag === "Html"
              ? { _tag: "Html", status: injected.status, fault: injected.source }
              : { _tag: "Reset", fault: injected.source }
          )
        }

        const input = yield* readInput(operation, request.url, body)
        const output = yield* handlers[operation.name](input).pipe(
          Effect.mapError((error): Reply =>
            error._tag === "RequestValidationError"
              ? errorReply(400, "ValidationException", validationMessage(error.violations, input))
              : errorReply(error.classification.httpStatus ?? 500, error._tag, error.message ?? "")
          )
        )
        return { _tag: "Json", body: output } satisfies Reply
      })

    const respond = (operation: Operations.OperationInfo | undefined) =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const started = yield* Clock.currentTimeMillis
        const requestId = yield* uuid
        const signer = yield* Ref.make<string | undefined>(undefined)
        const reply = yield* run(operation, request, signer).pipe(
          Effect.merge,
          // A bug in the sandbox: the details (a stack trace) go to the server's log, not to the client.
          Effect.catchAllCause((cause) =>
            Effect.logError(`internal error at ${request.method} ${request.url.split("?")[0] ?? ""}`, cause).pipe(
              Effect.as(errorReply(500, "InternalServiceException", internalErrorMessage))
            )
          )
        )
        const finished = yield* Clock.currentTimeMillis
        const entry: RequestLogEntry = {
          requestId,
          method: request.method,
          path: request.url.split("?")[0] ?? "",
          operation: operation?.name,
          status: reply._tag === "Reset" ? undefined : reply._tag === "Json" ? 200 : reply.status,
          errorType: reply._tag === "Error" ? reply.errorType : undefined,
          fault: reply._tag === "Json" ? undefined : reply.fault,
          accessKeyId: yield* Ref.get(signer),
          latencyMillis: finished - started
        }
        yield* Ref.update(requestLog, (log) => [...log, entry])

        const headers = { "x-amzn-requestid": requestId, date: new Date(finished).toUTCString() }
        switch (reply._tag) {
          case "Reset": {
            // Drop the connection unanswered; the server interrupts this fiber when the socket closes.
            yield* Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy())
            return yield* Effect.never
          }
          case "Html":
            return HttpServerResponse.text(htmlPage(reply.status), {
              status: reply.status,
              contentType: "text/html",
              headers: { date: headers.date }
            })
          case "Error":
            return HttpServerResponse.text(JSON.stringify({ message: reply.message }), {
              status: reply.status,
              contentType: "application/json",
              headers: {
                ...headers,
                "x-amzn-errortype": reply.errorType,
                ...(reply.serverDate === undefined ? {} : { date: new Date(reply.serverDate).toUTCString() })
              }
            })
          case "Json":
            return HttpServerResponse.text(JSON.stringify(reply.body), {
              status: 200,
              contentType: "application/json",
              headers
            })
        }
      })

    const router = Object.values(Operations.operations).reduce(
      (routes, operation) =>
        // `PathInput` wants a template literal type; every model path starts with "/".
        HttpRouter.route(operation.method)(`/${operation.path.replace(/^\//, "")}`, respond(operation))(routes),
      HttpRouter.empty
    ).pipe(HttpRouter.all("*", respond(undefined)))

    const server = yield* NodeHttpServer.make(() => Http.createServer(), { host, port: options.port ?? 0 })
    yield* HttpServer.serveEffect(router).pipe(Effect.provideService(HttpServer.HttpServer, server))
    const { port, url } = yield* endpointOf(host, server.address)
    return {
      url,
      host,
      port,
      region,
      credentials,
      requestLog,
      engine
    }
  })

/** The server as a layer over the `Engine` in context (share one engine with `Sandbox.layer`). */
export const layer = (
  options: Options = {}
): Layer.Layer<SandboxServer, HttpServerError.ServeError | ServerAddressError, Engine.Engine> =>
  Layer.scoped(SandboxServer, make(options))

/**
 * The server and a fresh engine: what tests and the CLI's `sandbox serve` use.
 *
 * @example
 * ```ts
 * const TestServer = Server.layerServer({ port: 0, faults: { rateLimits: "aws" } })
 * ```
 */
export const layerServer = (
  options: Options = {}
): Layer.Layer<SandboxServer | Engine.Engine, HttpServerError.ServeError | ServerAddressError> =>
  layer(options).pipe(Layer.provideMerge(Engine.layer(options)))

/** Starts a server with a fresh engine in the current scope and answers its description. */
export const serve = (
  options: Options = {}
): Effect.Effect<Service, HttpServerError.ServeError | ServerAddressError, Scope.Scope> =>
  Effect.flatMap(Engine.make(options), (engine) => Effect.provideService(make(options), Engine.Engine, engine))
