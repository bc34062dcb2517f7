/**
 * The two clients of the differential suite, configured identically: same endpoint (the capture server),
 * region, credentials, signing time, invocation id and user agent, one attempt each.
 *
 * - Ours: `SocialMessaging.layer` over `UndiciHttpClient.layer` (the direct lane, Node's default) or another
 *   `HttpClient` (`NodeHttpClient.layerUndici`: the `HttpClient` path); time comes from `TestClock`, the
 *   invocation id from a seeded `Random`.
 * - AWS's: `@aws-sdk/client-socialmessaging` with `maxAttempts: 1`. Its signer is the SDK's own
 *   `SignatureV4`, built by the SDK with the SDK's parameters, behind a `signerConstructor` that only pins
 *   `signingDate`. A `finalizeRequest` middleware placed just before `httpSigningMiddleware` (so after the
 *   SDK's user-agent and retry middleware, and before the signature is computed) sets:
 *   - `amz-sdk-invocation-id` to the id our client sent (the SDK draws a random v4 UUID per call);
 *   - `user-agent` and `x-amz-user-agent` to ours. This is the one deliberate difference between the clients:
 *     the SDK announces itself (`aws-sdk-js/3.x ua/2.1 os/... lang/js md/nodejs#...`), we announce
 *     `social-messaging-js/<version>`. `x-amz-user-agent` is a signed header, so without this the
 *     signatures could not be compared.
 */
import { type ServiceInputTypes, type ServiceOutputTypes, SocialMessagingClient } from "@aws-sdk/client-socialmessaging"
import { NodeHttpClient } from "@effect/platform-node"
import type * as HttpClient from "@effect/platform/HttpClient"
import { HttpRequest } from "@smithy/core/protocols"
import { SignatureV4, type SignatureV4CryptoInit, type SignatureV4Init } from "@smithy/signature-v4"
import type {
  FinalizeRequestMiddleware,
  HttpRequest as SmithyHttpRequest,
  RequestSigner,
  RequestSigningArguments
} from "@smithy/types"
import { Effect, Layer, type Scope } from "effect"
import * as AwsCredentials from "../../src/AwsCredentials.js"
import * as SocialMessaging from "../../src/SocialMessaging.js"
import * as UndiciHttpClient from "../../src/UndiciHttpClient.js"

/** Plain credentials, as both clients take them. */
export interface TestCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

export const region = "us-east-1"

/** Our user agent, which the SDK is made to send too. */
export const userAgent = `social-messaging-js/${SocialMessaging.version}`

/** Our transports: this package's undici client (its direct lane), and @effect/platform-node's (the HttpClient path). */
export const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["direct lane", UndiciHttpClient.layer],
  ["HttpClient path", NodeHttpClient.layerUndici]
]

/** Our client against `endpoint`, with one attempt per call (by default over the direct lane). */
export const ourLayer = (
  endpoint: string,
  credentials: TestCredentials,
  transport: Layer.Layer<HttpClient.HttpClient> = UndiciHttpClient.layer
): Layer.Layer<SocialMessaging.SocialMessaging, never> =>
  SocialMessaging.layer({ region, endpoint, maxAttempts: 1 }).pipe(
    Layer.provide([
      AwsCredentials.layerStatic(AwsCredentials.makeCredentials(credentials)),
      transport
    ]),
    // The endpoint and options are valid by construction: a ConfigurationError here is a bug in the test.
    Layer.orDie
  )

/** The SDK's own SignatureV4, built from the SDK's own parameters; only the signing date is fixed. */
const fixedTimeSigner = (signingDate: Date) =>
  class FixedTimeSigner implements RequestSigner {
    private readonly signer: SignatureV4
    constructor(options: SignatureV4Init & SignatureV4CryptoInit) {
      this.signer = new SignatureV4(options)
    }
    sign(request: SmithyHttpRequest, options?: RequestSigningArguments): Promise<SmithyHttpRequest> {
      return this.signer.sign(request, { ...options, signingDate })
    }
  }

/** Options of `sdkClient`. */
export interface SdkOptions {
  readonly endpoint: string
  readonly credentials: TestCredentials
  readonly signingTime: number
  /** The `amz-sdk-invocation-id` to send (the one our client sent for the same case). */
  readonly invocationId: string
}

/** The AWS SDK client, configured as described above; destroyed when the scope ends. */
export const sdkClient = (options: SdkOptions): Effect.Effect<SocialMessagingClient, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const client = new SocialMessagingClient({
        region,
        endpoint: options.endpoint,
        maxAttempts: 1,
        credentials: options.credentials,
        signerConstructor: fixedTimeSigner(new Date(options.signingTime))
      })
      const normalise: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => (args) => {
        if (HttpRequest.isInstance(args.request)) {
          args.request.headers["amz-sdk-invocation-id"] = options.invocationId
          args.request.headers["user-agent"] = userAgent
          args.request.headers["x-amz-user-agent"] = userAgent
        }
        return next(args)
      }
      client.middlewareStack.addRelativeTo(normalise, {
        relation: "before",
        toMiddleware: "httpSigningMiddleware",
        name: "differentialNormalise",
        override: true
      })
      return client
    }),
    (client) => Effect.sync(() => client.destroy())
  )

/** Sends through the SDK; the promise's rejection is kept as the failure, untouched. */
export const sdkSend = <A>(send: () => Promise<A>): Effect.Effect<A, unknown> =>
  Effect.tryPromise({ try: send, catch: (error) => error })
