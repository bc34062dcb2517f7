/**
 * The `SocialMessaging` service: one method per association operation of AWS End User Messaging
 * Social, each `(input) => Effect<Output, that operation's errors>` with no requirements.
 *
 * Provide it with `layer`/`layerConfig` (real AWS over an `HttpClient`), `SocialMessagingNode.layer`
 * (Node's HTTP client included), or the sandbox's in-process layer in tests.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* SocialMessaging
 *   const { linkedAccounts } = yield* client.listLinkedWhatsAppBusinessAccounts({})
 *   return linkedAccounts ?? []
 * })
 * ```
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Errors from "@social-messaging/domain/Errors"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { AwsCredentials, type Credentials, peek as peekCredentials } from "./AwsCredentials.js"
import * as AwsRegion from "./AwsRegion.js"
import * as Endpoint from "./Endpoint.js"
import * as GeneratedService from "./generated/Service.js"
import * as DirectLane from "./internal/directLane.js"
import * as Pagination from "./internal/pagination.js"
import * as RestJson from "./internal/restJson.js"
import * as RetryDriver from "./internal/retryDriver.js"
import * as RetryPolicy from "./RetryPolicy.js"
import * as SigV4 from "./SigV4.js"

// =============================================================================
// The service
// =============================================================================

/** The typed input of operation `K`. */
export type InputOf<K extends Operations.OperationName> = Schema.Schema.Type<
  (typeof Operations.operations)[K]["input"]
>

/** The typed output of operation `K`. */
export type OutputOf<K extends Operations.OperationName> = Schema.Schema.Type<
  (typeof Operations.operations)[K]["output"]
>

/**
 * One method per operation of the table, named as the operation in camelCase: `(input) => Effect<output, the
 * operation's errors>` with no requirements (`getWhatsAppFlow` for GetWhatsAppFlow, `GET /v1/whatsapp/flow`).
 */
export type Methods = {
  readonly [K in Operations.OperationName as Uncapitalize<K>]: (
    input: InputOf<K>
  ) => Effect.Effect<OutputOf<K>, Errors.ErrorOf<K>>
}

/**
 * The operations of AWS End User Messaging Social: a method per operation (`Methods`), and for each pageable
 * operation a stream of every item of every page (`listWhatsAppFlowsStream`…, `GeneratedService.Streams`).
 */
export interface Service extends Methods, GeneratedService.Streams {}

/**
 * The service tag.
 *
 * @example
 * ```ts
 * const account = SocialMessaging.pipe(Effect.flatMap((c) => c.getLinkedWhatsAppBusinessAccount({ id })))
 * ```
 */
export class SocialMessaging extends Context.Tag("@social-messaging/http-client/SocialMessaging")<
  SocialMessaging,
  Service
>() {}

// =============================================================================
// Building a service from one generic call
// =============================================================================

/** Runs one operation: validate, send (or simulate), decode. Transports implement this once. */
export type Call = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  input: I
) => Effect.Effect<O, Errors.AwsErrorOf<K> | Errors.ClientError>

/** A list call of ListLinkedWhatsAppBusinessAccounts's shape (what `pages` and `paginate` take). */
type ListLinked = Service["listLinkedWhatsAppBusinessAccounts"]

/**
 * Every page of ListLinkedWhatsAppBusinessAccounts, following `nextToken` until a page has none or an empty
 * one (pages fetched as the stream is pulled; see `Pagination.pages` for any pageable operation).
 */
export const pages = (
  list: ListLinked,
  input: { readonly maxResults?: number } = {}
): Stream.Stream<OutputOf<"ListLinkedWhatsAppBusinessAccounts">, Errors.ListLinkedWhatsAppBusinessAccountsError> =>
  Pagination.pages(Operations.ListLinkedWhatsAppBusinessAccounts.name, (token) => list({ ...input, ...token }))

/** Every linked account of every page, in order (see `pages`). */
export const paginate = (
  list: ListLinked,
  input: { readonly maxResults?: number } = {}
): Stream.Stream<
  LinkedAccounts.LinkedWhatsAppBusinessAccountSummary,
  Errors.ListLinkedWhatsAppBusinessAccountsError
> => Pagination.items(pages(list, input), (page) => page.linkedAccounts)

// =============================================================================
// Answer observers: the raw JSON of an answer, before anything in it can fail to decode
// =============================================================================

/** Sees the JSON of a 2xx answer before it is decoded (after parsing, before correction and decoding). */
export type AnswerObserver = (operation: Errors.OperationName, json: unknown) => Effect.Effect<void>

/** The observer of the calls a fiber makes (`withAnswerObserver`); `None` for none. */
export const currentAnswerObserver: FiberRef.FiberRef<Option.Option<AnswerObserver>> = globalValue(
  Symbol.for("@social-messaging/http-client/SocialMessaging/currentAnswerObserver"),
  () => FiberRef.unsafeMake(Option.none<AnswerObserver>())
)

/**
 * Runs `self` with `observer` shown the JSON of every 2xx answer its calls receive, before decoding: what
 * lets the association workflow (`Signup`) hand the one-time in-progress token to the caller even when
 * another member of the answer breaks the model. Implementations of `Call` run it with `observeAnswer`.
 */
export const withAnswerObserver: {
  (observer: AnswerObserver): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, observer: AnswerObserver): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, observer: AnswerObserver): Effect.Effect<A, E, R> =>
    Effect.locally(self, currentAnswerObserver, Option.some(observer))
)

/** Shows an answer's JSON to the current observer, if any (for `Call` implementations). */
export const observeAnswer = (operation: Errors.OperationName, json: unknown): Effect.Effect<void> =>
  Effect.flatMap(
    FiberRef.get(currentAnswerObserver),
    Option.match({ onNone: () => Effect.void, onSome: (observe) => observe(operation, json) })
  )

/**
 * Hides secrets in text read back from AWS before it is shown (error messages, `--debug` traces): AWS's
 * canonical-request dump, the values of secret JSON members, and every given secret value of the request.
 */
export const scrubSecrets: (text: string, secrets?: ReadonlyArray<string>) => string = RestJson.scrub

/**
 * The generic call behind the service, as a service of its own: what `send` runs on. A program that calls a few
 * operations through it (`layerCaller`, `send`) and never builds the `SocialMessaging` service carries only those
 * operations' schemas when bundled, as AWS's SDK carries only the commands a program imports. Provided by
 * `layerCaller`, `layerCallerConfig` and, in process, by `Sandbox.layer` of @social-messaging/sandbox.
 *
 * @example
 * ```ts
 * const program = SocialMessaging.send(Operations.ListLinkedWhatsAppBusinessAccounts, {})
 * const linked = program.pipe(Effect.provide(Sandbox.layer)) // Sandbox.layer provides a Caller
 * ```
 */
export class Caller extends Context.Tag("@social-messaging/http-client/Caller")<Caller, Call>() {}

/**
 * One operation through the `Caller` in context: validate `input` (a typed error and nothing sent when it breaks
 * the model), sign, send with the retry and time-out policy, decode. What `client.associateWhatsAppBusinessAccount(
 * input)` does, with the operation named by its entry of `Operations`.
 *
 * @example
 * ```ts
 * import * as Operations from "@social-messaging/domain/Operations"
 *
 * const linked = SocialMessaging.send(Operations.GetLinkedWhatsAppBusinessAccount, { id })
 * // Effect<GetLinkedWhatsAppBusinessAccountOutput, its declared errors | ClientError, Caller>
 * ```
 */
export const send = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  input: I
): Effect.Effect<O, Errors.AwsErrorOf<K> | Errors.ClientError, Caller> =>
  Effect.flatMap(Caller, (call) => call(operation, input))

/** The service over a `Call` (what `make` uses): the generated methods, and the streams over them. */
export const fromCall = (call: Call): Service => {
  const methods = GeneratedService.methods(call)
  return { ...methods, ...GeneratedService.streams(methods) }
}

// =============================================================================
// The HTTP implementation
// =============================================================================

/** This library's version, sent in the user agent. */
export const version = "0.1.0"

/** The longest delay a Node timer keeps (2^31 − 1 ms); a longer one fires after 1 ms. */
const maxTimerMillis = 2_147_483_647

/** Options of `make`/`layer`. */
export interface Options {
  /** The AWS region, e.g. `us-east-1`. */
  readonly region: string
  /** A custom endpoint URL (a local sandbox, a VPC endpoint); default: the model's rule set for the region. */
  readonly endpoint?: string | URL | undefined
  /** Use the FIPS endpoint (not with a custom endpoint). */
  readonly useFips?: boolean | undefined
  /** Use the dual-stack (IPv6) endpoint (not with a custom endpoint). */
  readonly useDualStack?: boolean | undefined
  /**
   * Attempts per call, retries included; default 3 (AWS's standard mode). Caps `retryPolicy` too.
   * `1` disables retries.
   */
  readonly maxAttempts?: number | undefined
  /**
   * The retry policy of every call, or just its schedule; default `RetryPolicy.standard`. A call may run under
   * another with `RetryPolicy.withRetryPolicy`; `RetryPolicy.none` disables retries.
   */
  readonly retryPolicy?: RetryPolicy.Input | undefined
  /**
   * The retry quota: a `Quota` to share with other services, the numbers of a fresh one, or `false` for none;
   * default a fresh quota per service (500 tokens; a retry costs 5 after throttling, 14 otherwise).
   */
  readonly retryQuota?: RetryPolicy.Quota | RetryPolicy.QuotaOptions | false | undefined
  /**
   * Longest wait for one attempt (credentials, signing, connect, send, read the whole answer); default 15
   * seconds. Running out is an `AttemptTimeout`, which is retried. `Duration.infinity` for none. Over
   * `UndiciHttpClient` (its direct lane) the time-out is one timer on the request; over another `HttpClient`, a
   * race with one child fiber per attempt; with an infinite `deadline` too, neither. Over the direct lane the
   * timer ends with the last byte of the answer: decoding it (synchronous) runs after. At most 2^31 − 1 ms
   * (about 24.8 days), the longest a Node timer keeps; longer is a `ConfigurationError`.
   */
  readonly attemptTimeout?: Duration.DurationInput | undefined
  /**
   * Longest time for a whole call, retries and back-off included; default 60 seconds. Running out is a
   * `DeadlineExceeded` (not retried); a back-off that would end past the deadline is not waited for: the call
   * fails at once with the error it had.
   */
  readonly deadline?: Duration.DurationInput | undefined
  /** Appended to the user agent (`app/<id>`), as the AWS SDKs' `customUserAgent`. */
  readonly userAgentAppId?: string | undefined
}

const defaultAttemptTimeout = Duration.seconds(15)
const defaultDeadline = Duration.seconds(60)

const hex8 = (word: number): string => word.toString(16).padStart(8, "0")

/** A v4 UUID from four words of `random`, drawn in turn. */
const drawnUuid = (random: Random.Random): Effect.Effect<string> => {
  const word = random.nextIntBetween(0, 0x100000000)
  return Effect.flatMap(word, (a) =>
    Effect.flatMap(word, (b) =>
      Effect.flatMap(word, (c) =>
        Effect.map(word, (d) => {
          const hex = hex8(a) + hex8(b) + hex8(c) + hex8(d)
          const variant = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16)
          return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${
            hex.slice(20, 32)
          }`
        }))))
}

// Effect's default `Random`: while a call runs under it, nothing fixes the id, and the platform's own v4 UUID
// (Web Crypto's `randomUUID`, one native call) does as well as four draws.
const liveRandom = Context.get(DefaultServices.liveServices, Random.Random)
const platformUuid = typeof globalThis.crypto?.randomUUID === "function"
  ? () => globalThis.crypto.randomUUID()
  : undefined

/** A v4 UUID from Effect's `Random`, so tests can fix the invocation id (`Effect.withRandom`). */
const uuid: Effect.Effect<string> = Effect.randomWith((random) =>
  random === liveRandom && platformUuid !== undefined ? Effect.sync(platformUuid) : drawnUuid(random)
)

const textEncoder = new TextEncoder()

const addSecurityToken = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  names.includes("x-amz-security-token") ? names : [...names, "x-amz-security-token"]

/** `clock` moved by `offsetMillis`: the signing time once AWS has told us our clock is off. */
const shiftedClock = (clock: Clock.Clock, offsetMillis: number): Clock.Clock => {
  const offsetNanos = BigInt(Math.round(offsetMillis)) * 1_000_000n
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => clock.unsafeCurrentTimeMillis() + offsetMillis,
    currentTimeMillis: Effect.map(clock.currentTimeMillis, (t) => t + offsetMillis),
    unsafeCurrentTimeNanos: () => clock.unsafeCurrentTimeNanos() + offsetNanos,
    currentTimeNanos: Effect.map(clock.currentTimeNanos, (t) => t + offsetNanos),
    sleep: (duration) => clock.sleep(duration)
  }
}

/** What `make` settles once for the service: the endpoint, the transport, the policy, the time-outs. */
interface Settings {
  readonly region: string
  readonly endpoint: URL
  /** The origin plus any base path of a custom endpoint, without a trailing slash. */
  readonly base: string
  /** The endpoint's base path, without a trailing slash (`""` for AWS's endpoints). */
  readonly basePath: string
  readonly credentials: AwsCredentials["Type"]
  readonly httpClient: HttpClient.HttpClient
  /** The direct lane of the given client (`UndiciHttpClient`), if it has one: attempts skip `httpClient`. */
  readonly lane: DirectLane.Send | undefined
  readonly policy: RetryPolicy.RetryPolicy
  readonly quota: RetryPolicy.Quota | undefined
  readonly attemptTimeoutMillis: number
  readonly deadlineMillis: number
  readonly userAgent: string
  /** AWS's clock minus ours, learnt from a signature-time error; shared by all calls of this service. */
  readonly skew: { offsetMillis: number }
}

/** Reads and checks the options: a `ConfigurationError` for an unusable endpoint, policy or time-out. */
const settle = (
  options: Options
): Effect.Effect<Settings, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials> =>
  Effect.gen(function*() {
    const endpoint = yield* Endpoint.evaluate({
      Region: options.region,
      UseFIPS: options.useFips,
      UseDualStack: options.useDualStack,
      Endpoint: options.endpoint === undefined ? undefined : String(options.endpoint)
    })
    const base = endpoint.href.replace(/\/+$/, "")
    const credentials = yield* AwsCredentials
    // No trace headers to AWS, and no HttpClient span of its own: the call's `SocialMessaging.<operation>`
    // span covers it (with attempt events), costs less, and records no request header (no token to redact).
    const given = yield* HttpClient.HttpClient
    const httpClient = given.pipe(
      HttpClient.withTracerPropagation(false),
      HttpClient.withTracerDisabledWhen(() => true)
    )
    const chosen = options.retryPolicy === undefined ? RetryPolicy.standard : RetryPolicy.fromInput(options.retryPolicy)
    const policy = options.maxAttempts === undefined ? chosen : RetryPolicy.withMaxAttempts(chosen, options.maxAttempts)
    yield* RetryPolicy.validate(policy)
    const attemptTimeoutMillis = Duration.toMillis(options.attemptTimeout ?? defaultAttemptTimeout)
    const deadlineMillis = Duration.toMillis(options.deadline ?? defaultDeadline)
    for (const [setting, millis] of [["attemptTimeout", attemptTimeoutMillis], ["deadline", deadlineMillis]] as const) {
      if (!(millis > 0)) {
        return yield* new Errors.ConfigurationError({
          setting,
          detail: `expected a positive duration, got ${millis} ms`
        })
      }
      // Node fires a timer of more than 2^31 − 1 ms after 1 ms: such a time-out would end every attempt at once.
      if (Number.isFinite(millis) && millis > maxTimerMillis) {
        return yield* new Errors.ConfigurationError({
          setting,
          detail:
            `expected at most ${maxTimerMillis} ms (about 24.8 days; Duration.infinity for none), got ${millis} ms`
        })
      }
    }
    const quota = options.retryQuota === false
      ? undefined
      : RetryPolicy.isQuota(options.retryQuota)
      ? options.retryQuota
      : yield* RetryPolicy.makeQuota(options.retryQuota)
    const userAgent = `social-messaging-js/${version}${
      options.userAgentAppId === undefined ? "" : ` app/${options.userAgentAppId}`
    }`
    return {
      region: options.region,
      endpoint,
      base,
      basePath: endpoint.pathname.replace(/\/+$/, ""),
      credentials,
      httpClient,
      lane: DirectLane.of(given),
      policy,
      quota,
      attemptTimeoutMillis,
      deadlineMillis,
      userAgent,
      skew: { offsetMillis: 0 }
    }
  })

/** One call, serialised once: what every attempt of it sends (only the signature headers differ). */
interface CallRequest {
  readonly operation: Operations.OperationInfo
  /** The request to sign, `host` included; each attempt adds its own `amz-sdk-request` and signs it. */
  readonly signable: SigV4.PreparedRequest
  /** Where it is sent: the endpoint, the path and the query string. */
  readonly url: string
  /** The path and query string, the endpoint's base path included (what the direct lane sends). */
  readonly pathAndQuery: string
  readonly bodyBytes: Uint8Array | undefined
  readonly body: HttpBody.HttpBody | undefined
  readonly invocationId: string
  /** The revealed secrets of the input, scrubbed from every error text. */
  readonly secrets: ReadonlyArray<string>
}

/** Builds the one request of a call from its wire form. */
const callRequest = (
  settings: Settings,
  operation: Operations.OperationInfo,
  wire: RestJson.WireRequest,
  invocationId: string
): CallRequest => {
  const bodyBytes = wire.body === undefined ? undefined : textEncoder.encode(wire.body)
  const { endpoint } = settings
  const headers: Record<string, string> = {
    host: endpoint.host,
    "amz-sdk-invocation-id": invocationId,
    "x-amz-user-agent": settings.userAgent,
    "user-agent": settings.userAgent
  }
  // The operation's header-bound members (`Wire.toWire`; none in today's model). A loop, not a spread: a spread
  // per call costs more than the nothing it usually copies.
  for (const name in wire.headers) headers[name] = wire.headers[name] ?? ""
  if (bodyBytes !== undefined) {
    headers["content-type"] = "application/json"
    headers["content-length"] = String(bodyBytes.byteLength)
  }
  return {
    operation,
    signable: {
      method: wire.method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port === "" ? {} : { port: Number(endpoint.port) }),
      path: settings.basePath + wire.path,
      query: wire.query,
      headers,
      ...(wire.body === undefined ? {} : { body: wire.body })
    },
    url: settings.base + wire.pathAndQuery,
    pathAndQuery: settings.basePath + wire.pathAndQuery,
    bodyBytes,
    body: bodyBytes === undefined ? undefined : HttpBody.uint8Array(bodyBytes, "application/json"),
    invocationId,
    secrets: wire.secrets
  }
}

/**
 * No whole answer came back: the request failed (refused, reset, DNS…, classified from `cause`), or the body
 * broke off after the status (`bodyFailed`). The detail is scrubbed of the call's secrets.
 */
const transportError = (call: CallRequest, bodyFailed: boolean, cause: unknown): Errors.TransportError =>
  new Errors.TransportError({
    operation: call.operation.name,
    reason: bodyFailed ? "BodyReadFailed" : RestJson.transportFailure(cause),
    detail: RestJson.scrub(RestJson.describeCause(cause), call.secrets)
  })

/** Sends a signed request and reads the whole answer; a failure to get one is a `TransportError`. */
const sendVia = (
  settings: Settings,
  call: CallRequest,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<RestJson.WireResponse & { readonly headers: Headers.Headers }, Errors.TransportError> =>
  Effect.flatMap(
    settings.httpClient.execute(request),
    (res) => Effect.map(res.text, (body) => ({ status: res.status, headers: res.headers, body }))
  ).pipe(
    Effect.mapError((error) => transportError(call, error._tag === "ResponseError", error.cause ?? error))
  )

/** Decodes an answer: the output of a 2xx (the answer observer sees its JSON first), else the AWS error. */
const decodeAnswer = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  call: CallRequest,
  response: RestJson.WireResponse & { readonly headers: Readonly<Record<string, string>> },
  span: Pick<Tracer.Span, "attribute">
): Effect.Effect<O, RetryDriver.AttemptFailure<Errors.AwsErrorOf<K> | Errors.ClientError>> => {
  const headers = response.headers
  const requestId = headers["x-amzn-requestid"]
  if (requestId !== undefined) span.attribute("aws.request_id", requestId)
  const failed = (error: Errors.AwsErrorOf<K> | Errors.ClientError) => ({ error, headers })
  if (!(response.status >= 200 && response.status < 300)) {
    return Effect.fail(failed(RestJson.decodeError(operation, response, call.secrets)))
  }
  const json = RestJson.parseSuccess(operation, response, call.secrets)
  if (Either.isLeft(json)) return Effect.fail(failed(json.left))
  // The observer sees the JSON first: nothing that fails to decode can hide it (the one-time token).
  return Effect.flatMap(FiberRef.get(currentAnswerObserver), (observer) => {
    const decoded = Either.mapLeft(RestJson.decodeParsed(operation, response, json.right, call.secrets), failed)
    return Option.isNone(observer) ? decoded : Effect.zipRight(observer.value(operation.name, json.right), decoded)
  })
}

type AttemptResult<O, K extends Errors.AwsErrorName> = Effect.Effect<
  O,
  RetryDriver.AttemptFailure<Errors.AwsErrorOf<K> | Errors.ClientError> | RetryDriver.TimedOut
>

/**
 * One attempt: sign (fresh date, fresh credentials), send, read, decode. The only place a request leaves;
 * the driver runs it under the attempt's time-out, or hands the time-out to the direct lane.
 */
const attempt = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  settings: Settings,
  operation: Operations.Operation<I, IE, O, OE, K>,
  call: CallRequest,
  options: RetryDriver.AttemptOptions,
  span: Pick<Tracer.Span, "attribute">
): AttemptResult<O, K> => {
  if (settings.lane !== undefined) {
    const lane = settings.lane
    return Effect.clockWith((clock) => {
      const now = clock.unsafeCurrentTimeMillis()
      const credentials = peekCredentials(settings.credentials, now)
      if (credentials !== undefined) {
        return attemptDirect(settings, lane, operation, call, options, span, credentials, now)
      }
      // Credentials to load first: the general path, under the driver's time-out if it handed one over.
      const general = attemptViaClient(settings, operation, call, options, span)
      return options.timeout === undefined
        ? general
        : RetryDriver.timeoutFail(general, options.timeout.millis, options.timeout.onTimeout)
    })
  }
  return attemptViaClient(settings, operation, call, options, span)
}

/** An attempt through the service's `HttpClient`. */
const attemptViaClient = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  settings: Settings,
  operation: Operations.Operation<I, IE, O, OE, K>,
  call: CallRequest,
  options: RetryDriver.AttemptOptions,
  span: Pick<Tracer.Span, "attribute">
): AttemptResult<O, K> =>
  Effect.flatMap(settings.credentials.get, (credentials) => {
    const sent = Effect.flatMap(
      signWith(settings, call, options, credentials),
      (request) => sendVia(settings, call, request)
    )
    // Headers print through Headers.currentRedactedNames: whatever logs the request on its way (a user's
    // HttpClient middleware, a tracer) shows the session token as <redacted>, like authorization. Without a
    // session token there is none to hide, and the FiberRef is left alone.
    return Option.isNone(credentials.sessionToken)
      ? sent
      : Effect.locallyWith(sent, Headers.currentRedactedNames, addSecurityToken)
  }).pipe(
    Effect.matchEffect({
      onFailure: (error) => Effect.fail({ error, headers: undefined }),
      onSuccess: (response) => decodeAnswer(operation, call, response, span)
    })
  )

/**
 * One request over the direct lane once its signature is on the way: sent when the signer is done, the
 * attempt's time-out (if it keeps one) as one timer; every way it ends clears the timer and, if the request is
 * still out, abandons it.
 */
const laneOutcome = (
  settings: Settings,
  lane: DirectLane.Send,
  call: CallRequest,
  signing: Promise<Record<string, string>>,
  timer: RetryDriver.AttemptOptions["timeout"]
): Effect.Effect<DirectLane.Outcome, RetryDriver.TimedOut> =>
  Effect.async<DirectLane.Outcome, RetryDriver.TimedOut>((resume) => {
    let settled = false
    let abandon: (() => void) | undefined
    const timeout = timer === undefined ? undefined : setTimeout(() => {
      if (settled) return
      settled = true
      abandon?.()
      resume(Effect.fail(timer.onTimeout()))
    }, timer.millis)
    signing.then(
      (signed) => {
        if (settled) return
        // `host` is the transport's to send, from the origin (the signer signed the same value).
        const { host: _host, ...headers } = signed
        try {
          abandon = lane({
            method: call.signable.method,
            origin: settings.endpoint.origin,
            path: call.pathAndQuery,
            headers,
            body: call.bodyBytes
          }, (result) => {
            if (settled) return
            settled = true
            clearTimeout(timeout)
            resume(Effect.succeed(result))
          })
        } catch (cause) {
          // undici reports its failures through the handler; a throw here is a defect, never a hang.
          if (settled) return
          settled = true
          clearTimeout(timeout)
          resume(Effect.die(cause))
        }
      },
      (cause: unknown) => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        // The signer only fails on an unusable URL or body, which `make` and `serialize` rule out.
        resume(Effect.die(cause))
      }
    )
    return Effect.sync(() => {
      if (settled) return
      settled = true
      clearTimeout(timeout)
      abandon?.()
    })
  })

/**
 * An attempt over the direct lane: sign (AWS's signer), send and read outside Effect, under one timer when the
 * driver handed over the time-out. The timer, or an interruption of the call, abandons the request (its
 * connection is closed).
 */
const attemptDirect = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  settings: Settings,
  lane: DirectLane.Send,
  operation: Operations.Operation<I, IE, O, OE, K>,
  call: CallRequest,
  options: RetryDriver.AttemptOptions,
  span: Pick<Tracer.Span, "attribute">,
  credentials: Credentials,
  now: number
): AttemptResult<O, K> => {
  const signing = SigV4.signPreparedAt(
    signableFor(call, options),
    { credentials, region: settings.region },
    now + options.clockOffsetMillis
  )
  if (signing instanceof Errors.CredentialsError) return Effect.fail({ error: signing, headers: undefined })
  const outcome = laneOutcome(settings, lane, call, signing, options.timeout)
  return Effect.flatMap(outcome, (result): AttemptResult<O, K> => {
    switch (result._tag) {
      case "Answer":
        return decodeAnswer(operation, call, {
          status: result.status,
          headers: result.headers,
          body: result.body
        }, span)
      case "RequestFailed":
      case "BodyFailed":
        return Effect.fail({
          error: transportError(call, result._tag === "BodyFailed", result.cause),
          headers: undefined
        })
    }
  })
}

/** The call's request to sign for one attempt: its own `amz-sdk-request` added. */
const signableFor = (call: CallRequest, options: RetryDriver.AttemptOptions): SigV4.PreparedRequest => ({
  ...call.signable,
  headers: { ...call.signable.headers, "amz-sdk-request": `attempt=${options.attempt}; max=${options.maxAttempts}` }
})

/** The call's signed request for one attempt, under the learnt clock offset. */
const signWith = (
  settings: Settings,
  call: CallRequest,
  options: RetryDriver.AttemptOptions,
  credentials: Credentials
): Effect.Effect<HttpClientRequest.HttpClientRequest, Errors.CredentialsError> => {
  const sign = SigV4.signPrepared(signableFor(call, options), { credentials, region: settings.region })
  return (options.clockOffsetMillis === 0
    ? sign
    : Effect.clockWith((clock) => Effect.withClock(sign, shiftedClock(clock, options.clockOffsetMillis)))).pipe(
      // The signer only fails on an unusable URL or body, which `make` and `serialize` rule out.
      Effect.catchTag("SigningError", Effect.die),
      // The signed headers in the signer's order, then the body (whose content headers are among them already).
      Effect.map(({ host: _host, ...headers }) =>
        HttpClientRequest.make(call.operation.method)(
          call.url,
          call.body === undefined ? { headers } : { headers, body: call.body }
        )
      )
    )
}

/**
 * Builds the service over an `HttpClient` and `AwsCredentials`: validate the input (nothing is sent when it
 * breaks the model), serialise restJson1, sign with SigV4, send, decode the answer or the AWS error; retry
 * (`internal/retryDriver`) under the call's `RetryPolicy`, the service's retry quota, the per-attempt time-out
 * and the call's deadline. Each call is a span `SocialMessaging.<operation>` with its attempts as events (when a
 * tracer is installed: under Effect's default tracer, which records nowhere, no span is made).
 */
export const make = (
  options: Options
): Effect.Effect<Service, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials> =>
  Effect.map(makeCall(options), fromCall)

/** The generic call for the given options (what `make` builds its methods on, and `layerCaller` provides). */
export const makeCall = (
  options: Options
): Effect.Effect<Call, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials> =>
  Effect.map(settle(options), (settings) => {
    // The span's name and options depend only on the operation: built once per operation, on first use.
    const spans = new Map<string, { readonly name: string; readonly options: Tracer.SpanOptions }>()
    const spanOf = (name: string) => {
      let found = spans.get(name)
      if (found === undefined) {
        found = {
          name: `SocialMessaging.${name}`,
          // A stack trace per call costs more than the rest of the span; the span name says where it is from.
          options: {
            kind: "client",
            captureStackTrace: false,
            attributes: {
              "rpc.system": "aws-api",
              "rpc.service": "SocialMessaging",
              "aws.region": options.region,
              "rpc.method": name
            }
          }
        }
        spans.set(name, found)
      }
      return found
    }
    const call: Call = (operation, input) =>
      Effect.tracerWith((tracer) => {
        // Effect's default tracer records nowhere: a span made under it could not be seen, and costs about a
        // fifth of a call (ids drawn, attributes copied, the parent provided). With a tracer installed, the span.
        if (tracer === nativeTracer) return callIn(settings, operation, input, unrecorded)
        const span = spanOf(operation.name)
        return Effect.useSpan(span.name, span.options, (span) =>
          Effect.withParentSpan(
            Effect.tapError(
              callIn(settings, operation, input, span),
              (error) => Effect.sync(() => span.attribute("error.tag", error._tag))
            ),
            span
          ))
      })
    return call
  })

/** Effect's default tracer (`Tracer.Tracer` of the default services). */
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/** What the driver records on a span, recorded nowhere. */
const unrecorded: Pick<Tracer.Span, "attribute" | "event"> = {
  attribute: () => undefined,
  event: () => undefined
}

/** One call inside its span: validate and serialise (synchronously), then the retry driver's attempts. */
const callIn = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  settings: Settings,
  operation: Operations.Operation<I, IE, O, OE, K>,
  input: I,
  span: Pick<Tracer.Span, "attribute" | "event">
): Effect.Effect<O, Errors.AwsErrorOf<K> | Errors.ClientError> =>
  Effect.suspend(() => {
    const encoded = operation.encodeWireInput(input)
    if (Either.isLeft(encoded)) return Effect.fail(Operations.toValidationError(operation.name)(encoded.left))
    const wire = RestJson.serialize(operation, encoded.right, Redaction.revealedSecrets(input))
    return Effect.flatMap(uuid, (invocationId) => {
      const request = callRequest(settings, operation, wire, invocationId)
      return Effect.flatMap(FiberRef.get(RetryPolicy.currentRetryPolicy), (current) =>
        RetryDriver.run({
          operation: {
            name: operation.name,
            safeToResend: Operations.isSafeToResend(operation),
            howToFindOut: operation.howToFindOut
          },
          policy: Option.getOrElse(current, () => settings.policy),
          quota: settings.quota,
          attemptTimeoutMillis: settings.attemptTimeoutMillis,
          deadlineMillis: settings.deadlineMillis,
          skew: settings.skew,
          span,
          selfTimed: settings.lane !== undefined
        }, (options) => attempt(settings, operation, request, options, span)))
    })
  })

/** A credentials provider for the layers: any layer of `AwsCredentials` (`AwsCredentials.layerDefault()`...). */
export interface WithCredentials<E> {
  readonly credentials: Layer.Layer<AwsCredentials, E>
}

/**
 * The service for the given options, over any `HttpClient` (undici, node:http, fetch, a test fake). Credentials
 * come from the `credentials` option (then the layer needs only the `HttpClient`) or from the context.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
 * import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
 *
 * const Live = SocialMessaging.layer({ region: "eu-west-1", credentials: AwsCredentials.layerChain() }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 */
export function layer<E>(
  options: Options & WithCredentials<E>
): Layer.Layer<SocialMessaging, Errors.ConfigurationError | E, HttpClient.HttpClient>
export function layer(
  options: Options
): Layer.Layer<SocialMessaging, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials>
export function layer<E>(
  options: Options & Partial<WithCredentials<E>>
): Layer.Layer<SocialMessaging, Errors.ConfigurationError | E, HttpClient.HttpClient | AwsCredentials> {
  return withCredentials(Layer.effect(SocialMessaging, make(options)), options)
}

/**
 * The `Caller` (what `send` runs on) for the given options, as `layer` gives the service: for programs that call
 * a few operations and are bundled (a Lambda function sending messages), which then carry only those operations'
 * schemas.
 *
 * @example
 * ```ts
 * const Live = SocialMessaging.layerCaller({ region: "eu-west-1", credentials: AwsCredentials.layerDefault() }).pipe(
 *   Layer.provide(NodeHttpClient.layer)
 * )
 * const sent = SocialMessaging.send(Operations.SendWhatsAppMessage, input).pipe(Effect.provide(Live))
 * ```
 */
export function layerCaller<E>(
  options: Options & WithCredentials<E>
): Layer.Layer<Caller, Errors.ConfigurationError | E, HttpClient.HttpClient>
export function layerCaller(
  options: Options
): Layer.Layer<Caller, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials>
export function layerCaller<E>(
  options: Options & Partial<WithCredentials<E>>
): Layer.Layer<Caller, Errors.ConfigurationError | E, HttpClient.HttpClient | AwsCredentials> {
  return withCredentials(Layer.effect(Caller, makeCall(options)), options)
}

/** `built` provided with the `credentials` option's layer, when there is one. */
const withCredentials = <A, E1, E>(
  built: Layer.Layer<A, E1, HttpClient.HttpClient | AwsCredentials>,
  options: Partial<WithCredentials<E>>
): Layer.Layer<A, E1 | E, HttpClient.HttpClient | AwsCredentials> =>
  options.credentials === undefined ? built : Layer.provide(built, options.credentials)

/**
 * What `layerConfig` reads: the options of `layer`, all optional, plus the profile; the AWS standard sources
 * fill the gaps.
 */
export interface ConfigOptions extends Omit<Options, "region"> {
  readonly region?: string | undefined
  /** The shared-config profile whose region is used when no other source gives one. */
  readonly profile?: string | undefined
}

/**
 * The service configured from the AWS standard sources, through `Config`: region from the option, then
 * `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's region; endpoint from the option, then
 * `AWS_ENDPOINT_URL_SOCIALMESSAGING`, `AWS_ENDPOINT_URL`, then the rule set; attempts from the option, then
 * `AWS_MAX_ATTEMPTS`, then 3. No region is a `ConfigurationError`. Credentials as in `layer`.
 *
 * @example
 * ```ts
 * const Live = SocialMessaging.layerConfig({ credentials: AwsCredentials.layerDefault() }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 */
export function layerConfig<E>(
  options: ConfigOptions & WithCredentials<E>
): Layer.Layer<SocialMessaging, Errors.ConfigurationError | E, HttpClient.HttpClient>
export function layerConfig(
  options?: ConfigOptions
): Layer.Layer<SocialMessaging, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials>
export function layerConfig<E>(
  options: ConfigOptions & Partial<WithCredentials<E>> = {}
): Layer.Layer<SocialMessaging, Errors.ConfigurationError | E, HttpClient.HttpClient | AwsCredentials> {
  return fromConfig(options, layer)
}

/**
 * The `Caller` configured from the AWS standard sources, as `layerConfig` configures the service.
 *
 * @example
 * ```ts
 * const Live = SocialMessaging.layerCallerConfig({ credentials: AwsCredentials.layerDefault() }).pipe(
 *   Layer.provide(NodeHttpClient.layer)
 * )
 * ```
 */
export function layerCallerConfig<E>(
  options: ConfigOptions & WithCredentials<E>
): Layer.Layer<Caller, Errors.ConfigurationError | E, HttpClient.HttpClient>
export function layerCallerConfig(
  options?: ConfigOptions
): Layer.Layer<Caller, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials>
export function layerCallerConfig<E>(
  options: ConfigOptions & Partial<WithCredentials<E>> = {}
): Layer.Layer<Caller, Errors.ConfigurationError | E, HttpClient.HttpClient | AwsCredentials> {
  return fromConfig(options, layerCaller)
}

/**
 * `build` over the options `configured` resolves, with the credentials option's layer provided once around the
 * whole (not passed on to `build` as well): the body of `layerConfig` and `layerCallerConfig`.
 */
const fromConfig = <A, E>(
  options: ConfigOptions & Partial<WithCredentials<E>>,
  build: (options: Options) => Layer.Layer<A, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials>
): Layer.Layer<A, Errors.ConfigurationError | E, HttpClient.HttpClient | AwsCredentials> => {
  const { credentials: _credentials, ...config } = options
  return withCredentials(Layer.unwrapEffect(Effect.map(configured(config), build)), options)
}

/** The options of `layer` from `ConfigOptions` and the AWS standard sources (see `layerConfig`). */
const configured = (options: ConfigOptions): Effect.Effect<Options, Errors.ConfigurationError> =>
  Effect.gen(function*() {
    const region = yield* AwsRegion.resolve({ region: options.region, profile: options.profile })
    const endpoint = yield* Endpoint.resolve({
      region,
      endpoint: options.endpoint,
      useFips: options.useFips,
      useDualStack: options.useDualStack
    })
    const envAttempts = yield* Config.option(Config.integer("AWS_MAX_ATTEMPTS")).pipe(
      Effect.mapError((error) =>
        new Errors.ConfigurationError({ setting: "AWS_MAX_ATTEMPTS", detail: `expected an integer ≥ 1: ${error}` })
      )
    )
    const { profile: _profile, ...rest } = options
    return {
      ...rest,
      region,
      // Resolved already (FIPS and dual-stack included), so passed on as a custom endpoint.
      endpoint,
      useFips: undefined,
      useDualStack: undefined,
      maxAttempts: options.maxAttempts ?? Option.getOrUndefined(envAttempts)
    }
  })
