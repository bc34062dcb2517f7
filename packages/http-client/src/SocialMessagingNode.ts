/**
 * The service ready for Node.js: `SocialMessaging.layerConfig` (region, endpoint and attempts from the AWS
 * standard sources), AWS's default credentials (`AwsCredentials.layerDefault`) and Node's HTTP client
 * (undici, `UndiciHttpClient`: its direct lane sends each attempt without the `HttpClient` machinery). Kept
 * apart from `SocialMessaging` so that module stays free of any platform package: this module and
 * `UndiciHttpClient` are the library's two that import `@effect/platform-node` (an application that provides
 * its own `HttpClient` imports neither).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
 * import * as SocialMessagingNode from "@social-messaging/http-client/SocialMessagingNode"
 *
 * const program = Effect.flatMap(SocialMessaging, (client) => client.listLinkedWhatsAppBusinessAccounts({}))
 * program.pipe(Effect.provide(SocialMessagingNode.layerNode()), Effect.runPromise)
 * ```
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as Layer from "effect/Layer"
import * as AwsCredentials from "./AwsCredentials.js"
import * as SocialMessaging from "./SocialMessaging.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * `SocialMessaging` over undici with the default AWS sources; `options` as `SocialMessaging.layerConfig`
 * (their `profile` also selects the credentials' profile).
 */
export const layerNode = (
  options: SocialMessaging.ConfigOptions = {}
): Layer.Layer<SocialMessaging.SocialMessaging, Errors.ConfigurationError | Errors.CredentialsError> =>
  SocialMessaging.layerConfig({ ...options, credentials: AwsCredentials.layerDefault({ profile: options.profile }) })
    .pipe(Layer.provide(UndiciHttpClient.layer))
