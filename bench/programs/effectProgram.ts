/**
 * The smallest realistic program using this library: send one AssociateWhatsAppBusinessAccount (setup
 * finalization) with credentials from the default chain (the environment here; the AWS SDK chain is only
 * imported when there are none) and print the answer's status. The entries differ only in the transport, and
 * in how the call is made: `send` with the operation's entry (what a bundled program calling a few operations
 * writes: only that operation's schemas are bundled) or the method of the whole `SocialMessaging` service.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Operations from "@social-messaging/domain/Operations"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { associateWire, region } from "../fixtures.js"

const run = async <A extends { readonly statusCode?: number | undefined }, E>(
  program: Effect.Effect<A, E>
): Promise<void> => {
  const output = await Effect.runPromise(program)
  process.stdout.write(`${output.statusCode}\n`)
}

const options = () => ({ region, endpoint: process.env["BENCH_ENDPOINT"] })

/** One call with `SocialMessaging.send` over `layerCaller`. */
export const main = (transport: Layer.Layer<HttpClient.HttpClient>): Promise<void> => {
  const operation = Operations.AssociateWhatsAppBusinessAccount
  const input = Schema.decodeUnknownSync(operation.input)(associateWire)
  const live = SocialMessaging.layerCaller(options()).pipe(Layer.provide([AwsCredentials.layerDefault(), transport]))
  return run(SocialMessaging.send(operation, input).pipe(Effect.provide(live)))
}

/** The same call through the whole service (`SocialMessaging.layer`, the method). */
export const mainService = (transport: Layer.Layer<HttpClient.HttpClient>): Promise<void> => {
  const input = Schema.decodeUnknownSync(Operations.AssociateWhatsAppBusinessAccount.input)(associateWire)
  const live = SocialMessaging.layer(options()).pipe(Layer.provide([AwsCredentials.layerDefault(), transport]))
  return run(
    Effect.flatMap(SocialMessaging.SocialMessaging, (client) => client.associateWhatsAppBusinessAccount(input)).pipe(
      Effect.provide(live)
    )
  )
}
