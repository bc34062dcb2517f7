/**
 * The sandbox as a loopback HTTP server speaking the real wire protocol (restJson1 + SigV4), so the
 * HTTP client, the AWS SDK or any other client can be tested against it.
 *
 * Per request, in this order:
 * 1. `Host` must name the address the server listens on (or a configured alias), else 403
 *    `ForbiddenException`: the sandbox's keys are public, so a web page reaching it through a DNS
 *    rebinding name must not get an answer.
 * 2. SigV4's header checks (`SigV4Verifier.authenticate`: `Authorization`, the key, the scope, the date,
 *    no `UNSIGNED-PAYLOAD`), before a byte of the body is read.
 * 3. The body, at most `maxBodyBytes` (default 5 MiB, `defaultMaxBodyBytes`: the largest legitimate
 *    request, see there), else 413 `RequestEntityTooLargeException`; it must arrive within
 *    `bodyTimeout` (default 10 s), else 408 `RequestTimeoutException`. Both close the connection.
 * 4. The body's hash and the signature (`SigV4Verifier`), then the route (method + path from
 *    `Operations`; anything else is 404 `UnknownOperationException`, after authentication as AWS does),
 *    faults (`Faults`), the input from the query (GET/DELETE) or the JSON body (POST/PUT), validated
 *    (400 `ValidationException` naming each member), and the engine's answer.
 *
 * Outside the AWS API, `GET /_sandbox/outbox` shows the messages sent (`outboxPath`), and `GET /_sandbox/events`
 * the events delivered so far (`eventsPath`), unsigned, Host-checked.
 *
 * With `deliverEventsTo` (a loopback URL), every event of the engine's feed (`Engine.Service.events`: statuses
 * of sends from WABAs with an event destination, the seeded customer's replies) is also POSTed there when its
 * time comes, as SNS POSTs a notification to an HTTPS subscriber (its headers and JSON body), one at a time, in
 * order. No retries: a failed POST (refused, timed out after 10 s, not 2xx) is logged and counted
 * (`eventDeliveries`), and the server goes on.
 *
 * Every answer carries `x-amzn-requestid`; errors carry `x-amzn-errortype` and `{"message": …}`.
 * Injected HTML pages carry neither: they stand for a proxy, not for AWS. The request log is a ring of
 * the last `requestLogSize` requests (default 1000), so a server left running for days stays small.
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
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import * as Wire from "@social-messaging/domain/Wire"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Effectable from "effect/Effectable"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Readable from "effect/Readable"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as Os from "node:os"
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
  /**
   * Other names clients may use in `Host` (`host.docker.internal`, or `name:port` behind a port forward);
   * the address the server listens on is always accepted, and `localhost` when that is a loopback address.
   */
  readonly allowedHosts?: ReadonlyArray<string> | undefined
  /** Largest request body accepted (default `defaultMaxBodyBytes`, 5 MiB); larger is 413. */
  readonly maxBodyBytes?: number | undefined
  /** Time a request's body may take to arrive once its headers have (default 10 seconds); then 408. */
  readonly bodyTimeout?: Duration.DurationInput | undefined
  /** Requests kept in `requestLog`, the newest (default 1000; older ones are counted as dropped). */
  readonly requestLogSize?: number | undefined
  /**
   * POST every event of the feed to this URL as an SNS notification (http or https, on loopback only:
   * `localhost`, 127.0.0.0/8, `[::1]`; anything else fails with `EventDeliveryTargetError`). Default: none.
   */
  readonly deliverEventsTo?: string | undefined
}

/**
 * 5 MiB. The largest legitimate request of the nine operations is AssociateWhatsAppBusinessAccount step 2
 * (the model bounds every string but no list) linking a WABA with 20 numbers (Meta's limit on registered
 * numbers per verified business) where the WABA and every number carry 50 tags (AWS's usual limit per
 * resource, which the engine enforces) of the longest keys and values (128 and 256 code points), with the
 * longest ids and ARNs and an event destination: 434 KB in ASCII, 1.6 MB if every character takes 4 bytes
 * of UTF-8, 4.9 MB if the client escapes each as two JSON `\uXXXX` (botocore's `json.dumps` escapes
 * non-ASCII). So the cap refuses nothing those limits allow; a test sends that 4.9 MB request.
 */
export const defaultMaxBodyBytes = 5 * 1024 * 1024

/** 10 seconds for a body to arrive: 5 MiB takes 4 s even at 10 Mbit/s, and the sandbox is local. */
export const defaultBodyTimeout: Duration.Duration = Duration.seconds(10)

/**
 * The outbox, outside the AWS API: `GET /_sandbox/outbox[?originationPhoneNumberId=phone-number-id-…]`
 * answers `{"messages": [...]}`, what SendWhatsAppMessage accepted (oldest first), without a signature but
 * with the same Host check as every request.
 */
export const outboxPath = "/_sandbox/outbox"

/**
 * The events delivered so far, outside the AWS API: `GET /_sandbox/events[?after=N]` answers
 * `{"events": [...], "next": M}`, the feed's retained deliveries whose time has come (ordered by time) with a
 * `sequence` greater than `N`: each with `sequence`, `at`, `eventDestinationArn`, `kind`, `messageId`, the SNS
 * `headers` and `body` (the notification's JSON text). Poll again with `after=M` and skip the sequences already
 * seen: sequences follow scheduling, so a delayed `read` can arrive after a later send's `sent` (`Events.Poll`).
 */
export const eventsPath = "/_sandbox/events"

/** How long one POST of `deliverEventsTo` may take. */
export const eventDeliveryTimeout: Duration.Duration = Duration.seconds(10)

/** Requests kept in the log by default. */
export const defaultRequestLogSize = 1000

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
  /**
   * The last `requestLogSize` requests, oldest first. A ring: reading copies it, `Ref.set` replaces its
   * contents (keeping the newest `requestLogSize`) and resets `requestLogDropped`.
   */
  readonly requestLog: Ref.Ref<ReadonlyArray<RequestLogEntry>>
  /** Requests that left the log to make room, since the server started or the log was last set. */
  readonly requestLogDropped: Effect.Effect<number>
  /** The `Host` values the server answers (lower case); others get 403 `ForbiddenException`. */
  readonly allowedHosts: ReadonlyArray<string>
  /** The engine behind the server. */
  readonly engine: Engine.Service
  /** Where events are POSTed (`deliverEventsTo`, normalised), if anywhere. */
  readonly deliverEventsTo: string | undefined
  /** POSTs to `deliverEventsTo` so far: answered 2xx, and failed (logged, not retried). */
  readonly eventDeliveries: Effect.Effect<{ readonly posted: number; readonly failed: number }>
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
  | { readonly _tag: "Json"; readonly body: unknown; readonly fault?: Faults.Source }
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

const serializationError = (message: string) => errorReply(400, "SerializationException", message)

const malformedBodyMessages: Readonly<Record<Wire.MalformedBody["reason"], string>> = {
  "not JSON": "The request body is not valid JSON.",
  "not a JSON object": "The request body must be a JSON object.",
  "malformed path label": "A path label of the request is not valid percent-encoding."
}

/** The input from the query, the headers and the JSON body, as the model binds them (`Wire.fromWire`). */
const readInput = (
  operation: Operations.OperationInfo,
  request: HttpServerRequest.HttpServerRequest,
  body: Uint8Array
): Effect.Effect<unknown, Reply> => {
  const queryAt = request.url.indexOf("?")
  const received: Wire.Received = {
    path: queryAt === -1 ? request.url : request.url.slice(0, queryAt),
    query: Wire.parseQuery(queryAt === -1 ? "" : request.url.slice(queryAt + 1)),
    headers: request.headers,
    body: new TextDecoder().decode(body)
  }
  return Effect.mapError(
    Wire.fromWire(operation, received),
    (malformed) => serializationError(malformedBodyMessages[malformed.reason])
  )
}

// =============================================================================
// Validation messages, AWS style, never showing a secret
// =============================================================================

/** Every string or number in `value`, at any depth. */
const scalarsIn = (value: unknown, found: Set<string>): void => {
  if (typeof value === "string" || typeof value === "number") found.add(String(value))
  else if (Array.isArray(value)) { for (const item of value) scalarsIn(item, found) }
  else if (Predicate.isRecord(value)) { for (const member of Object.values(value)) scalarsIn(member, found) }
}

/**
 * Every string or number of the input's secrets: under a member the operation's input schema makes `Redacted`,
 * and under a member secret by name anywhere (`Redaction.secretMembers`): the member's whole value is secret,
 * however malformed.
 */
const secretsIn = (
  input: unknown,
  schema: Schema.Schema.All | undefined,
  found: Set<string> = new Set()
): Set<string> => {
  if (schema !== undefined) { for (const secret of Redaction.wireSecrets(schema, input)) found.add(secret) }
  const byName = Redaction.secretMembers()
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item)
    } else if (Predicate.isRecord(value)) {
      for (const [key, member] of Object.entries(value)) {
        if (byName.has(key)) scalarsIn(member, found)
        else walk(member)
      }
    }
  }
  walk(input)
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
export const validationMessage = (
  violations: ReadonlyArray<Errors.Violation>,
  input: unknown,
  schema?: Schema.Schema.All
): string => {
  const secrets = secretsIn(input, schema)
  const parts = violations.map((v) =>
    v.path === ""
      ? redact(v.message, secrets)
      : `Value at '${awsPath(v.path)}' failed to satisfy constraint: ${redact(v.message, secrets)}`
  )
  return `${parts.length} validation error${parts.length === 1 ? "" : "s"} detected: ${parts.join("; ")}`
}

// =============================================================================
// The request log: a ring behind the Ref interface
// =============================================================================

/**
 * The last `capacity` entries in a ring, as a `Ref` (so `Ref.get` / `Ref.set` work as on any log):
 * appending is O(1) and copies nothing; reading copies the ring once.
 */
class RequestRing extends Effectable.Class<ReadonlyArray<RequestLogEntry>>
  implements Ref.Ref<ReadonlyArray<RequestLogEntry>>
{
  readonly [Ref.RefTypeId] = { _A: (a: ReadonlyArray<RequestLogEntry>) => a }
  readonly [Readable.TypeId]: Readable.TypeId = Readable.TypeId
  private readonly slots: Array<RequestLogEntry | undefined>
  private start = 0
  private size = 0
  private droppedCount = 0

  constructor(readonly capacity: number) {
    super()
    this.slots = new Array<RequestLogEntry | undefined>(capacity)
  }

  readonly get: Effect.Effect<ReadonlyArray<RequestLogEntry>> = Effect.sync(() => this.snapshot())
  readonly dropped: Effect.Effect<number> = Effect.sync(() => this.droppedCount)

  commit(): Effect.Effect<ReadonlyArray<RequestLogEntry>> {
    return this.get
  }

  modify<B>(f: (log: ReadonlyArray<RequestLogEntry>) => readonly [B, ReadonlyArray<RequestLogEntry>]) {
    return Effect.sync(() => {
      const current = this.snapshot()
      const [result, next] = f(current)
      if (next !== current) this.replace(next)
      return result
    })
  }

  push(entry: RequestLogEntry): void {
    if (this.capacity === 0) {
      this.droppedCount += 1
    } else if (this.size < this.capacity) {
      this.slots[(this.start + this.size) % this.capacity] = entry
      this.size += 1
    } else {
      this.slots[this.start] = entry
      this.start = (this.start + 1) % this.capacity
      this.droppedCount += 1
    }
  }

  private snapshot(): ReadonlyArray<RequestLogEntry> {
    const out: Array<RequestLogEntry> = []
    for (let i = 0; i < this.size; i++) {
      const entry = this.slots[(this.start + i) % this.capacity]
      if (entry !== undefined) out.push(entry)
    }
    return out
  }

  private replace(entries: ReadonlyArray<RequestLogEntry>): void {
    this.slots.fill(undefined)
    this.start = 0
    this.size = 0
    this.droppedCount = 0
    for (const entry of entries.slice(Math.max(0, entries.length - this.capacity))) this.push(entry)
  }
}

// =============================================================================
// Host: the defence against DNS rebinding
// =============================================================================

/** Whether a host name or address is this machine's loopback (`localhost`, 127.0.0.0/8, `::1`). */
export const isLoopback = (host: string): boolean => {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, "$1")
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare)
}

/**
 * What to print when the server listens beyond loopback (`undefined` on loopback): its keys are public,
 * so whoever can reach the port can use it.
 */
export const exposureWarning = (host: string): string | undefined =>
  isLoopback(host)
    ? undefined
    : `warning: the sandbox listens on ${host}, not on loopback only. Its keys are public (printed here and ` +
      "in the README), so anyone who can reach this port can call it and change its state. " +
      "Use --host 127.0.0.1 unless you mean to share it."

const isWildcard = (host: string): boolean => host === "0.0.0.0" || host === "::" || host === "[::]" || host === ""

const bracketed = (name: string): string => name.includes(":") && !name.startsWith("[") ? `[${name}]` : name

/**
 * The `Host` values a server bound to `host` (resolved to `address`) on `port` answers: its own address,
 * `localhost` if that is loopback, every interface's address and the machine's name if it listens on all
 * of them, and the aliases (a bare name takes the server's port; `name:port` is taken as is).
 */
export const allowedHostValues = (
  host: string,
  address: string,
  port: number,
  aliases: ReadonlyArray<string> = []
): ReadonlyArray<string> => {
  // A wildcard itself (`0.0.0.0`) is kept: `url` names it, and no DNS name can rebind to a literal.
  const names = new Set<string>([host, address].filter((name) => name !== ""))
  if (isLoopback(host) || isLoopback(address)) names.add("localhost")
  if (isWildcard(host) || isWildcard(address)) {
    names.add("localhost")
    names.add(Os.hostname())
    for (const addresses of Object.values(Os.networkInterfaces())) {
      for (const info of addresses ?? []) names.add(info.address.replace(/%.*$/, ""))
    }
  }
  const values = new Set<string>()
  const add = (name: string) => {
    values.add(`${bracketed(name)}:${port}`.toLowerCase())
    if (port === 80) values.add(bracketed(name).toLowerCase())
  }
  for (const name of names) add(name)
  for (const alias of aliases) {
    if (/^(\[[^\]]+\]|[^:]+):\d+$/.test(alias)) values.add(alias.toLowerCase())
    else add(alias)
  }
  return [...values]
}

// =============================================================================
// The body: bounded in size and time
// =============================================================================

const tooLarge = (maxBytes: number): Reply =>
  errorReply(413, "RequestEntityTooLargeException", `The request body is larger than ${maxBytes} bytes.`)

/** Reads the body as it arrives, giving up (413) as soon as it passes `maxBytes`. */
const readBody = (incoming: Http.IncomingMessage, maxBytes: number): Effect.Effect<Uint8Array, Reply> =>
  Effect.async<Uint8Array, Reply>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    const stop = () => {
      incoming.off("data", onData)
      incoming.off("end", onEnd)
      incoming.off("error", onError)
      incoming.off("aborted", onError)
      // Paused, the socket stops reading; the answer closes the connection (`connection: close`).
      incoming.pause()
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        stop()
        resume(Effect.fail(tooLarge(maxBytes)))
      } else {
        chunks.push(chunk)
      }
    }
    const onEnd = () => {
      stop()
      resume(Effect.succeed(new Uint8Array(Buffer.concat(chunks, size))))
    }
    const onError = () => {
      stop()
      resume(Effect.fail(serializationError("The request body could not be read.")))
    }
    incoming.on("data", onData)
    incoming.on("end", onEnd)
    incoming.on("error", onError)
    incoming.on("aborted", onError)
    return Effect.sync(stop)
  })

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

/** `deliverEventsTo` is not a loopback http(s) URL: the sandbox only delivers events to this machine. */
export class EventDeliveryTargetError extends Schema.TaggedError<EventDeliveryTargetError>()(
  "EventDeliveryTargetError",
  { url: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `cannot deliver events to ${JSON.stringify(this.url.slice(0, 200))}: ${this.reason}`
  }
}

/**
 * Checks a `deliverEventsTo` URL: http or https, on a loopback host (`localhost`, 127.0.0.0/8, `[::1]`), no
 * user info. Answers it normalised.
 */
export const eventDeliveryTarget = (url: string): Either.Either<string, EventDeliveryTargetError> =>
  Either.try({
    try: () => new URL(url),
    catch: () => new EventDeliveryTargetError({ url, reason: "not a URL (expected http://127.0.0.1:PORT/path)" })
  }).pipe(Either.flatMap((parsed) =>
    parsed.protocol !== "http:" && parsed.protocol !== "https:"
      ? Either.left(new EventDeliveryTargetError({ url, reason: `the scheme must be http or https` }))
      : !isLoopback(parsed.hostname)
      ? Either.left(
        new EventDeliveryTargetError({
          url,
          reason: `${parsed.hostname} is not a loopback host; the sandbox delivers events only to this machine ` +
            "(localhost, 127.0.0.1, [::1])"
        })
      )
      : parsed.username !== "" || parsed.password !== ""
      ? Either.left(new EventDeliveryTargetError({ url, reason: "user info in the URL is not supported" }))
      : Either.right(parsed.href)
  ))

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

const rejection = (rejected: SigV4Verifier.SignatureRejected): Reply => ({
  _tag: "Error",
  status: rejected.status,
  errorType: rejected.errorType,
  message: rejected.message,
  ...(rejected.serverDate === undefined ? {} : { serverDate: rejected.serverDate })
})

/** What answering a request needs of the running server. */
interface Handling {
  readonly engine: Engine.Service
  readonly handlers: Engine.Handlers
  readonly verifier: SigV4Verifier.Verifier
  readonly injector: Faults.Injector
  readonly requestLog: RequestRing
  /** The `Host` check (403 `ForbiddenException` for another name). */
  readonly checkHost: (value: string | undefined) => Effect.Effect<void, Reply>
  /** The body, bounded in size (413) and time (408). */
  readonly readBounded: (incoming: Http.IncomingMessage) => Effect.Effect<Uint8Array, Reply>
}

const hostCheck = (allowedHosts: ReadonlyArray<string>, url: string) => {
  const allowed: ReadonlySet<string> = new Set(allowedHosts)
  return (value: string | undefined): Effect.Effect<void, Reply> =>
    value !== undefined && allowed.has(value.toLowerCase())
      ? Effect.void
      : Effect.fail(errorReply(
        403,
        "ForbiddenException",
        `Host '${(value ?? "").slice(0, 100)}' is not this sandbox's address (${allowedHosts[0] ?? url}). ` +
          "Requests through other names are refused, as a web page using DNS rebinding would send them; " +
          "add an alias (allowedHosts, --allowed-host) if you mean it."
      ))
}

const boundedReader =
  (maxBodyBytes: number, bodyTimeout: Duration.Duration) =>
  (incoming: Http.IncomingMessage): Effect.Effect<Uint8Array, Reply> => {
    const declared = Number(incoming.headers["content-length"] ?? "0")
    // A declared length over the cap is refused unread; a chunked body is counted as it arrives.
    if (declared > maxBodyBytes) return Effect.fail(tooLarge(maxBodyBytes))
    return readBody(incoming, maxBodyBytes).pipe(
      Effect.timeoutFail({
        duration: bodyTimeout,
        onTimeout: () =>
          errorReply(
            408,
            "RequestTimeoutException",
            `The request body did not arrive within ${Duration.format(bodyTimeout)}.`
          )
      })
    )
  }

/** The engine's answer to a request of `operation`, its failures as the replies AWS sends. */
const answerOf = (
  handling: Handling,
  operation: Operations.OperationInfo,
  request: HttpServerRequest.HttpServerRequest,
  body: Uint8Array
): Effect.Effect<unknown, Reply> =>
  Effect.gen(function*() {
    const input = yield* readInput(operation, request, body)
    return yield* Engine.handlerOf(handling.handlers, operation.name)(input).pipe(
      Effect.mapError((error): Reply =>
        error._tag === "RequestValidationError"
          ? errorReply(
            400,
            "ValidationException",
            validationMessage(error.violations, input, Operations.operations[operation.name].input)
          )
          : errorReply(error.classification.httpStatus ?? 500, error._tag, error.message ?? "")
      )
    )
  })

/** The fault plan's answer instead of the operation's, if it has one for this request. */
const injectedReply = (injected: Faults.Injected | undefined): Reply | undefined => {
  switch (injected?._tag) {
    case "Error":
      return {
        _tag: "Error",
        status: injected.status,
        errorType: injected.errorType,
        message: injected.message,
        fault: injected.source
      }
    case "Html":
      return { _tag: "Html", status: injected.status, fault: injected.source }
    case "Reset":
      return { _tag: "Reset", fault: injected.source }
    default:
      return undefined
  }
}

/** Host, signature, body, route, faults, then the operation: the reply to one request of the AWS API. */
const run = (
  handling: Handling,
  operation: Operations.OperationInfo | undefined,
  request: HttpServerRequest.HttpServerRequest,
  signer: Ref.Ref<string | undefined>
): Effect.Effect<Reply, Reply> =>
  Effect.gen(function*() {
    yield* handling.checkHost(request.headers["host"])
    const head = { method: request.method, url: request.url, headers: request.headers }
    const authenticated = yield* Effect.mapError(handling.verifier.authenticate(head), rejection)
    const body = yield* handling.readBounded(NodeHttpServerRequest.toIncomingMessage(request))
    const verified = yield* Effect.mapError(authenticated.verifyBody(body), rejection)
    yield* Ref.set(signer, verified.accessKeyId)
    if (operation === undefined) {
      const path = request.url.split("?")[0] ?? ""
      return yield* Effect.fail(
        errorReply(404, "UnknownOperationException", `No operation at ${request.method} ${path}`)
      )
    }

    const injected = yield* handling.injector.before(operation.name)
    const instead = injectedReply(injected)
    if (instead !== undefined) return yield* Effect.fail(instead)
    const answer = answerOf(handling, operation, request, body)
    switch (injected?._tag) {
      case "ResetAfterRead":
        // The operation's effect stands, whatever it answered; the client never hears of it.
        yield* Effect.exit(answer)
        return yield* Effect.fail<Reply>({ _tag: "Reset", fault: injected.source })
      case "EditMembers": {
        const edited = Faults.editMembers(yield* answer, injected.paths, injected.edit)
        if (edited.unmatched.length > 0) {
          yield* Effect.logWarning(
            `fault plan: ${operation.name} has no member at ${edited.unmatched.join(", ")}; sent unchanged there`
          )
        }
        return { _tag: "Json", body: edited.output, fault: injected.source } satisfies Reply
      }
      default:
        return { _tag: "Json", body: yield* answer } satisfies Reply
    }
  })

/** A reply as the HTTP answer (a reset drops the connection and never answers). */
const toResponse = (
  reply: Reply,
  incoming: Http.IncomingMessage,
  requestId: string,
  finished: number
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  // Answered before the body was read (refused, too large, too slow): close rather than drain it.
  const close = incoming.complete ? {} : { connection: "close" }
  const headers = { "x-amzn-requestid": requestId, date: new Date(finished).toUTCString(), ...close }
  switch (reply._tag) {
    case "Reset":
      // Drop the connection unanswered; the server interrupts this fiber when the socket closes.
      return Effect.zipRight(Effect.sync(() => incoming.socket.destroy()), Effect.never)
    case "Html":
      return Effect.succeed(HttpServerResponse.text(htmlPage(reply.status), {
        status: reply.status,
        contentType: "text/html",
        headers: { date: headers.date, ...close }
      }))
    case "Error":
      return Effect.succeed(HttpServerResponse.text(JSON.stringify({ message: reply.message }), {
        status: reply.status,
        contentType: "application/json",
        headers: {
          ...headers,
          "x-amzn-errortype": reply.errorType,
          ...(reply.serverDate === undefined ? {} : { date: new Date(reply.serverDate).toUTCString() })
        }
      }))
    case "Json":
      return Effect.succeed(HttpServerResponse.text(JSON.stringify(reply.body), {
        status: 200,
        contentType: "application/json",
        headers
      }))
  }
}

/** The route of `operation` (`undefined`: any other request): run, log, answer. */
const respond = (handling: Handling, operation: Operations.OperationInfo | undefined) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const started = yield* Clock.currentTimeMillis
    const requestId = yield* uuid
    const signer = yield* Ref.make<string | undefined>(undefined)
    const reply = yield* run(handling, operation, request, signer).pipe(
      Effect.merge,
      // A bug in the sandbox: the details (a stack trace) go to the server's log, not to the client.
      Effect.catchAllCause((cause) =>
        Effect.logError(`internal error at ${request.method} ${request.url.split("?")[0] ?? ""}`, cause).pipe(
          Effect.as(errorReply(500, "InternalServiceException", internalErrorMessage))
        )
      )
    )
    const finished = yield* Clock.currentTimeMillis
    handling.requestLog.push({
      requestId,
      method: request.method,
      path: request.url.split("?")[0] ?? "",
      operation: operation?.name,
      status: reply._tag === "Reset" ? undefined : reply._tag === "Json" ? 200 : reply.status,
      errorType: reply._tag === "Error" ? reply.errorType : undefined,
      fault: reply.fault,
      accessKeyId: yield* Ref.get(signer),
      latencyMillis: finished - started
    })
    return yield* toResponse(reply, NodeHttpServerRequest.toIncomingMessage(request), requestId, finished)
  })

// The outbox and the events, outside the AWS API: read-only, unsigned (nothing secret a client lacks),
// Host-checked.
const sandboxRoute = (handling: Handling, answer: (params: URLSearchParams) => Effect.Effect<unknown>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const headers = {
      "x-amzn-requestid": yield* uuid,
      date: new Date(yield* Clock.currentTimeMillis).toUTCString()
    }
    const host = yield* Effect.either(handling.checkHost(request.headers["host"]))
    if (Either.isLeft(host) && host.left._tag === "Error") {
      return HttpServerResponse.text(JSON.stringify({ message: host.left.message }), {
        status: host.left.status,
        contentType: "application/json",
        headers: { ...headers, "x-amzn-errortype": host.left.errorType }
      })
    }
    const queryAt = request.url.indexOf("?")
    const params = new URLSearchParams(queryAt === -1 ? "" : request.url.slice(queryAt + 1))
    return HttpServerResponse.text(JSON.stringify(yield* answer(params)), {
      status: 200,
      contentType: "application/json",
      headers
    })
  })

const outboxRoute = (handling: Handling) =>
  sandboxRoute(
    handling,
    (params) =>
      Effect.map(handling.engine.outbox(params.get("originationPhoneNumberId") ?? undefined), (messages) => ({
        messages: messages.map(({ sentAtMillis, ...message }) => ({
          ...message,
          sentAt: new Date(sentAtMillis).toISOString()
        }))
      }))
  )

const eventsRoute = (handling: Handling) =>
  sandboxRoute(handling, (params) => {
    const after = Number(params.get("after") ?? "0")
    return Effect.map(handling.engine.pollEvents(Number.isSafeInteger(after) && after > 0 ? after : 0), (polled) => ({
      events: polled.deliveries.map(({ atMillis, ...delivery }) => ({
        ...delivery,
        at: new Date(atMillis).toISOString()
      })),
      next: polled.next
    }))
  })

/** Every operation of the table; any other request is an UnknownOperationException, as AWS answers. */
const routerOf = (handling: Handling) =>
  Object.values(Operations.operations).reduce<HttpRouter.HttpRouter<Reply, never>>(
    (routes, operation) =>
      // `PathInput` wants a template literal type; every model path starts with "/".
      HttpRouter.route(operation.method)(`/${operation.path.replace(/^\//, "")}`, respond(handling, operation))(routes),
    HttpRouter.empty
  ).pipe(
    HttpRouter.get(outboxPath, outboxRoute(handling)),
    HttpRouter.get(eventsPath, eventsRoute(handling)),
    HttpRouter.all("*", respond(handling, undefined))
  )

/** The Node server, with Node's own limits behind ours: headers that never finish, a request that never ends. */
const nodeServer = (host: string, port: number, bodyTimeout: Duration.Duration) => {
  const bodyTimeoutMillis = Duration.toMillis(bodyTimeout)
  return NodeHttpServer.make(
    () =>
      Http.createServer({
        headersTimeout: Math.max(1000, bodyTimeoutMillis),
        requestTimeout: Math.max(1000, bodyTimeoutMillis) + bodyTimeoutMillis + 1000,
        connectionsCheckingInterval: 1000
      }),
    { host, port }
  )
}

/** Starts a server over the engine in context; it stops when the scope closes. */
export const make = (
  options: Options = {}
): Effect.Effect<
  Service,
  HttpServerError.ServeError | ServerAddressError | EventDeliveryTargetError,
  Scope.Scope | Engine.Engine
> =>
  Effect.gen(function*() {
    // Checked first: a bad target must not leave a server half started.
    const deliverEventsTo = options.deliverEventsTo === undefined
      ? undefined
      : yield* eventDeliveryTarget(options.deliverEventsTo)
    const engine = yield* Engine.Engine
    const region = engine.config.region
    const credentials = options.credentials ?? [SigV4Verifier.defaultCredentials]
    const requestLog = new RequestRing(Math.max(0, Math.floor(options.requestLogSize ?? defaultRequestLogSize)))
    const bodyTimeout = Duration.decode(options.bodyTimeout ?? defaultBodyTimeout)
    const host = options.host ?? "127.0.0.1"

    const server = yield* nodeServer(host, options.port ?? 0, bodyTimeout)
    const { port, url } = yield* endpointOf(host, server.address)
    const boundAddress = server.address._tag === "TcpAddress" ? server.address.hostname : host
    const allowedHosts = allowedHostValues(host, boundAddress, port, options.allowedHosts)
    const handling: Handling = {
      engine,
      handlers: Engine.handlers(engine),
      verifier: SigV4Verifier.make({ credentials, region, maxSkew: options.maxClockSkew }),
      injector: yield* Faults.make(options.faults ?? Faults.none),
      requestLog,
      checkHost: hostCheck(allowedHosts, url),
      readBounded: boundedReader(Math.max(0, Math.floor(options.maxBodyBytes ?? defaultMaxBodyBytes)), bodyTimeout)
    }

    yield* HttpServer.serveEffect(routerOf(handling)).pipe(Effect.provideService(HttpServer.HttpServer, server))
    const deliveries = yield* Ref.make({ posted: 0, failed: 0 })
    if (deliverEventsTo !== undefined) {
      const client = yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)
      yield* engine.events.pipe(
        Stream.runForEach((delivery) => postEvent(client, deliverEventsTo, delivery, deliveries)),
        // Redirects are not followed (fetch reads its options from the fiber's context at each request): a
        // loopback webhook answering 307 must not send events beyond this machine; a 3xx counts as failed.
        Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }),
        Effect.forkScoped
      )
    }
    return {
      url,
      host,
      port,
      region,
      credentials,
      requestLog,
      requestLogDropped: requestLog.dropped,
      allowedHosts,
      engine,
      deliverEventsTo,
      eventDeliveries: Ref.get(deliveries)
    }
  })

/** POSTs one delivery as SNS would; a failure is logged and counted, never raised. */
const postEvent = (
  client: HttpClient.HttpClient,
  url: string,
  delivery: Engine.Delivery,
  counts: Ref.Ref<{ readonly posted: number; readonly failed: number }>
): Effect.Effect<void> => {
  const { "content-type": contentType, ...headers } = delivery.headers
  return HttpClientRequest.post(url).pipe(
    HttpClientRequest.setHeaders(headers),
    HttpClientRequest.bodyText(delivery.body, contentType ?? "text/plain; charset=UTF-8"),
    client.execute,
    Effect.flatMap((response) =>
      response.status >= 200 && response.status < 300
        ? Effect.void
        : Effect.fail(`answered HTTP ${response.status}`)
    ),
    Effect.scoped,
    Effect.timeoutFail({ duration: eventDeliveryTimeout, onTimeout: () => "timed out" }),
    Effect.matchCauseEffect({
      onSuccess: () => Ref.update(counts, (c) => ({ ...c, posted: c.posted + 1 })),
      onFailure: (cause) =>
        Effect.zipRight(
          Ref.update(counts, (c) => ({ ...c, failed: c.failed + 1 })),
          Effect.logWarning(
            `sandbox: event ${delivery.sequence} (${delivery.kind} of ${delivery.messageId}) not delivered to ${url}`,
            cause
          )
        )
    })
  )
}

/** The server as a layer over the `Engine` in context (share one engine with `Sandbox.layer`). */
export const layer = (
  options: Options = {}
): Layer.Layer<
  SandboxServer,
  HttpServerError.ServeError | ServerAddressError | EventDeliveryTargetError,
  Engine.Engine
> => Layer.scoped(SandboxServer, make(options))

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
): Layer.Layer<
  SandboxServer | Engine.Engine,
  HttpServerError.ServeError | ServerAddressError | EventDeliveryTargetError
> => layer(options).pipe(Layer.provideMerge(Engine.layer(options)))

/** Starts a server with a fresh engine in the current scope and answers its description. */
export const serve = (
  options: Options = {}
): Effect.Effect<Service, HttpServerError.ServeError | ServerAddressError | EventDeliveryTargetError, Scope.Scope> =>
  Effect.flatMap(Engine.make(options), (engine) => Effect.provideService(make(options), Engine.Engine, engine))
