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
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Errors from "@social-messaging/domain/Errors"
import { MalformedResponse } from "@social-messaging/domain/Errors"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import type * as Tagging from "@social-messaging/domain/Tagging"
import type * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Stream from "effect/Stream"
import { AwsCredentials } from "./AwsCredentials.js"
import * as AwsRegion from "./AwsRegion.js"
import * as Endpoint from "./Endpoint.js"
import * as RestJson from "./internal/restJson.js"
import * as RetryPolicy from "./RetryPolicy.js"
import * as SigV4 from "./SigV4.js"

// =============================================================================
// The service
// =============================================================================

/** The operations of the association domain. */
export interface Service {
  /** AssociateWhatsAppBusinessAccount (`POST /v1/whatsapp/signup`): step 1 (signup callback) or step 2 (setup finalization). */
  readonly associateWhatsAppBusinessAccount: (
    input: WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest
  ) => Effect.Effect<
    WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput,
    Errors.AssociateWhatsAppBusinessAccountError
  >
  /** DisassociateWhatsAppBusinessAccount (`DELETE /v1/whatsapp/waba/disassociate`): unlinks a WABA. */
  readonly disassociateWhatsAppBusinessAccount: (
    input: LinkedAccounts.DisassociateWhatsAppBusinessAccountInput
  ) => Effect.Effect<
    LinkedAccounts.DisassociateWhatsAppBusinessAccountOutput,
    Errors.DisassociateWhatsAppBusinessAccountError
  >
  /** GetLinkedWhatsAppBusinessAccount (`GET /v1/whatsapp/waba/details`): a linked WABA with its phone numbers. */
  readonly getLinkedWhatsAppBusinessAccount: (
    input: LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput
  ) => Effect.Effect<
    LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput,
    Errors.GetLinkedWhatsAppBusinessAccountError
  >
  /** ListLinkedWhatsAppBusinessAccounts (`GET /v1/whatsapp/waba/list`): one page of linked WABAs. */
  readonly listLinkedWhatsAppBusinessAccounts: (
    input: LinkedAccounts.ListLinkedWhatsAppBusinessAccountsInput
  ) => Effect.Effect<
    LinkedAccounts.ListLinkedWhatsAppBusinessAccountsOutput,
    Errors.ListLinkedWhatsAppBusinessAccountsError
  >
  /** Every linked WABA, following `nextToken` page by page (pages fetched as the stream is pulled). */
  readonly listLinkedWhatsAppBusinessAccountsStream: (
    input?: { readonly maxResults?: number }
  ) => Stream.Stream<
    LinkedAccounts.LinkedWhatsAppBusinessAccountSummary,
    Errors.ListLinkedWhatsAppBusinessAccountsError
  >
  /** GetLinkedWhatsAppBusinessAccountPhoneNumber (`GET /v1/whatsapp/waba/phone/details`). */
  readonly getLinkedWhatsAppBusinessAccountPhoneNumber: (
    input: LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberInput
  ) => Effect.Effect<
    LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberOutput,
    Errors.GetLinkedWhatsAppBusinessAccountPhoneNumberError
  >
  /** PutWhatsAppBusinessAccountEventDestinations (`PUT /v1/whatsapp/waba/eventdestinations`). */
  readonly putWhatsAppBusinessAccountEventDestinations: (
    input: LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsInput
  ) => Effect.Effect<
    LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsOutput,
    Errors.PutWhatsAppBusinessAccountEventDestinationsError
  >
  /** TagResource (`POST /v1/tags/tag-resource`): adds or overwrites tags on a WABA or phone number ARN. */
  readonly tagResource: (
    input: Tagging.TagResourceInput
  ) => Effect.Effect<Tagging.TagResourceOutput, Errors.TagResourceError>
  /** UntagResource (`POST /v1/tags/untag-resource`): removes tags by key. */
  readonly untagResource: (
    input: Tagging.UntagResourceInput
  ) => Effect.Effect<Tagging.UntagResourceOutput, Errors.UntagResourceError>
  /** ListTagsForResource (`GET /v1/tags/list`): the tags of a resource. */
  readonly listTagsForResource: (
    input: Tagging.ListTagsForResourceInput
  ) => Effect.Effect<Tagging.ListTagsForResourceOutput, Errors.ListTagsForResourceError>
}

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

/**
 * Follows `nextToken` through every page of a list call, as a stream of the page items. A page that
 * hands back the token it was asked with would loop forever: that fails as a `MalformedResponse`.
 */
export const paginate = (
  list: Service["listLinkedWhatsAppBusinessAccounts"],
  input: { readonly maxResults?: number } = {}
): Stream.Stream<LinkedAccounts.LinkedWhatsAppBusinessAccountSummary, Errors.ListLinkedWhatsAppBusinessAccountsError> => {
  return Stream.paginateChunkEffect(Option.none<string>(), (token) =>
    list({
      ...(input.maxResults === undefined ? {} : { maxResults: input.maxResults }),
      ...Option.match(token, { onNone: () => ({}), onSome: (nextToken) => ({ nextToken }) })
    }).pipe(
      Effect.filterOrFail(
        (page) => page.nextToken === undefined || !Option.contains(token, page.nextToken),
        () =>
          new MalformedResponse({
            operation: Operations.ListLinkedWhatsAppBusinessAccounts.name,
            status: 200,
            bodyExcerpt: "",
            detail: "the page returned the nextToken it was requested with"
          })
      ),
      Effect.map((page) =>
        [
          Chunk.fromIterable(page.linkedAccounts ?? []),
          Option.map(Option.fromNullable(page.nextToken), Option.some)
        ] as const
      )
    ))
}

/** The service over a `Call`: what `make` and the sandbox's in-process layer both use. */
export const fromCall = (call: Call): Service => {
  const listLinkedWhatsAppBusinessAccounts = (input: LinkedAccounts.ListLinkedWhatsAppBusinessAccountsInput) =>
    call(Operations.ListLinkedWhatsAppBusinessAccounts, input)
  return {
    associateWhatsAppBusinessAccount: (input) => call(Operations.AssociateWhatsAppBusinessAccount, input),
    disassociateWhatsAppBusinessAccount: (input) => call(Operations.DisassociateWhatsAppBusinessAccount, input),
    getLinkedWhatsAppBusinessAccount: (input) => call(Operations.GetLinkedWhatsAppBusinessAccount, input),
    listLinkedWhatsAppBusinessAccounts,
    listLinkedWhatsAppBusinessAccountsStream: (input) => paginate(listLinkedWhatsAppBusinessAccounts, input),
    getLinkedWhatsAppBusinessAccountPhoneNumber: (input) =>
      call(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber, input),
    putWhatsAppBusinessAccountEventDestinations: (input) =>
      call(Operations.PutWhatsAppBusinessAccountEventDestinations, input),
    tagResource: (input) => call(Operations.TagResource, input),
    untagResource: (input) => call(Operations.UntagResource, input),
    listTagsForResource: (input) => call(Operations.ListTagsForResource, input)
  }
}

// =============================================================================
// The HTTP implementation
// =============================================================================

/** This library's version, sent in the user agent. */
export const version = "0.1.0"

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
  /** Attempts per call, retries included; default 3 (AWS's standard mode). `1` disables retries. */
  readonly maxAttempts?: number | undefined
  /** Longest wait for one attempt (connect, send, read the whole answer); default 15 seconds. */
  readonly attemptTimeout?: Duration.DurationInput | undefined
  /** Longest time for a whole call, retries and back-off included; default 60 seconds. */
  readonly deadline?: Duration.DurationInput | undefined
  /** Appended to the user agent (`app/<id>`), as the AWS SDKs' `customUserAgent`. */
  readonly userAgentAppId?: string | undefined
}

const defaultAttemptTimeout = Duration.seconds(15)
const defaultDeadline = Duration.seconds(60)

/** A v4 UUID from Effect's `Random`, so tests can fix the invocation id. */
const uuid: Effect.Effect<string> = Effect.map(
  Effect.all([Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000), Random.nextIntBetween(0, 0x10000)]),
  (words) => {
    const hex = words.map((w) => w.toString(16).padStart(4, "0")).join("")
    const variant = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
)

const textEncoder = new TextEncoder()

/**
 * Builds the service over an `HttpClient` and `AwsCredentials`: validate the input (nothing is sent when it
 * breaks the model), serialise restJson1, sign with SigV4, send, decode the answer or the AWS error.
 */
export const make = (
  options: Options
): Effect.Effect<Service, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials> =>
  Effect.gen(function*() {
    const endpoint = yield* Endpoint.evaluate({
      Region: options.region,
      UseFIPS: options.useFips,
      UseDualStack: options.useDualStack,
      Endpoint: options.endpoint === undefined ? undefined : String(options.endpoint)
    })
    // The origin plus any base path of a custom endpoint, without a trailing slash.
    const base = endpoint.href.replace(/\/+$/, "")
    const credentials = yield* AwsCredentials
    const httpClient = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerPropagation(false))
    const maxAttempts = options.maxAttempts ?? 3
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      return yield* new Errors.ConfigurationError({ setting: "maxAttempts", detail: `expected an integer ≥ 1, got ${maxAttempts}` })
    }
    const attemptTimeout = Duration.decode(options.attemptTimeout ?? defaultAttemptTimeout)
    const deadline = Duration.decode(options.deadline ?? defaultDeadline)
    const userAgent = `social-messaging-js/${version}${options.userAgentAppId === undefined ? "" : ` app/${options.userAgentAppId}`}`
    const policy = RetryPolicy.standard({ maxAttempts })

    /** One attempt: sign (fresh date, fresh credentials), send, read, decode. The only place a request leaves. */
    const attempt = <I, IE, O, OE, K extends Errors.AwsErrorName>(
      operation: Operations.Operation<I, IE, O, OE, K>,
      wire: RestJson.WireRequest,
      bodyBytes: Uint8Array | undefined,
      invocationId: string,
      attemptNumber: number
    ): Effect.Effect<O, Errors.AwsErrorOf<K> | Errors.ClientError> =>
      Effect.gen(function*() {
        const current = yield* credentials.get
        const headers: Record<string, string> = {
          "amz-sdk-invocation-id": invocationId,
          "amz-sdk-request": `attempt=${attemptNumber}; max=${maxAttempts}`,
          "x-amz-user-agent": userAgent,
          "user-agent": userAgent
        }
        if (bodyBytes !== undefined) {
          headers["content-type"] = "application/json"
          headers["content-length"] = String(bodyBytes.byteLength)
        }
        const signed = yield* SigV4.sign(
          { method: wire.method, url: base + wire.path, query: wire.query, headers, body: wire.body },
          { credentials: current, region: options.region }
        ).pipe(
          // The signer only fails on an unusable URL or body, which `make` and `serialize` rule out.
          Effect.catchTag("SigningError", Effect.die)
        )
        const { host: _host, ...toSend } = signed
        const request = HttpClientRequest.make(wire.method)(base + wire.pathAndQuery, {
          headers: toSend,
          ...(bodyBytes === undefined ? {} : { body: HttpBody.uint8Array(bodyBytes, "application/json") })
        })
        const response = yield* Effect.flatMap(
          httpClient.execute(request),
          (res) => Effect.map(res.text, (body) => ({ status: res.status, headers: res.headers, body }))
        ).pipe(
          Effect.mapError((error) =>
            new Errors.TransportError({
              operation: operation.name,
              reason: error._tag === "ResponseError" ? "BodyReadFailed" : RestJson.transportFailure(error.cause),
              detail: RestJson.describeCause(error.cause ?? error)
            })
          ),
          Effect.timeoutFail({
            duration: attemptTimeout,
            onTimeout: () =>
              new Errors.AttemptTimeout({ operation: operation.name, timeoutMillis: Duration.toMillis(attemptTimeout) })
          })
        )
        const requestId = response.headers["x-amzn-requestid"]
        if (requestId !== undefined) yield* Effect.annotateCurrentSpan("aws.request_id", requestId)
        if (response.status >= 200 && response.status < 300) {
          return yield* RestJson.decodeSuccess(operation, response)
        }
        return yield* Effect.fail(RestJson.decodeError(operation, response))
      })

    const call: Call = (operation, input) =>
      Effect.gen(function*() {
        const encoded = yield* Operations.encodeInput(operation, input)
        const wire = RestJson.serialize(operation, encoded)
        const bodyBytes = wire.body === undefined ? undefined : textEncoder.encode(wire.body)
        const invocationId = yield* uuid
        let attemptNumber = 0
        return yield* Effect.suspend(() => {
          attemptNumber++
          return attempt(operation, wire, bodyBytes, invocationId, attemptNumber)
        }).pipe(
          RetryPolicy.retry(policy),
          Effect.timeoutFail({
            duration: deadline,
            onTimeout: () =>
              new Errors.DeadlineExceeded({ operation: operation.name, deadlineMillis: Duration.toMillis(deadline) })
          })
        )
      }).pipe(
        Effect.tapError((error) => Effect.annotateCurrentSpan("error.tag", error._tag)),
        Effect.withSpan(`SocialMessaging.${operation.name}`, {
          kind: "client",
          attributes: { "rpc.system": "aws-api", "rpc.service": "SocialMessaging", "rpc.method": operation.name, "aws.region": options.region }
        })
      )

    return fromCall(call)
  })

/**
 * The service for the given options, over any `HttpClient` (undici, node:http, fetch, a test fake) and
 * `AwsCredentials`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
 * import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
 *
 * const Live = SocialMessaging.layer({ region: "eu-west-1" }).pipe(
 *   Layer.provide([AwsCredentials.layerChain(), NodeHttpClient.layerUndici])
 * )
 * ```
 */
export const layer = (
  options: Options
): Layer.Layer<SocialMessaging, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials> =>
  Layer.effect(SocialMessaging, make(options))

/** What `layerConfig` reads: everything optional; the AWS standard sources fill the gaps. */
export interface ConfigOptions {
  readonly region?: string | undefined
  readonly profile?: string | undefined
  readonly endpoint?: string | undefined
  readonly useFips?: boolean | undefined
  readonly useDualStack?: boolean | undefined
  readonly maxAttempts?: number | undefined
  readonly attemptTimeout?: Duration.DurationInput | undefined
  readonly deadline?: Duration.DurationInput | undefined
  readonly userAgentAppId?: string | undefined
}

/**
 * The service configured from the AWS standard sources, through `Config`: region from the option, then
 * `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's region; endpoint from the option, then
 * `AWS_ENDPOINT_URL_SOCIALMESSAGING`, `AWS_ENDPOINT_URL`, then the rule set; attempts from the option, then
 * `AWS_MAX_ATTEMPTS`, then 3. No region is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const Live = SocialMessaging.layerConfig().pipe(
 *   Layer.provide([AwsCredentials.layerDefault(), NodeHttpClient.layerUndici])
 * )
 * ```
 */
export const layerConfig = (
  options: ConfigOptions = {}
): Layer.Layer<SocialMessaging, Errors.ConfigurationError, HttpClient.HttpClient | AwsCredentials> =>
  Layer.unwrapEffect(
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
      return layer({
        region,
        endpoint,
        maxAttempts: options.maxAttempts ?? Option.getOrUndefined(envAttempts),
        attemptTimeout: options.attemptTimeout,
        deadline: options.deadline,
        userAgentAppId: options.userAgentAppId
      })
    })
  )
