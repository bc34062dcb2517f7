/**
 * The smallest realistic program using this library: send one AssociateWhatsAppBusinessAccount (setup
 * finalization) with credentials from the default chain (the environment here; the AWS SDK chain is only
 * imported when there are none) and print the answer's status. The entries differ only in the transport.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { associateWire, region } from "../fixtures.js"

export const main = async (transport: Layer.Layer<HttpClient.HttpClient>): Promise<void> => {
  const input = Schema.decodeUnknownSync(WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest)(associateWire)
  const live = SocialMessaging.layer({ region, endpoint: process.env["BENCH_ENDPOINT"] }).pipe(
    Layer.provide([AwsCredentials.layerDefault(), transport])
  )
  const output = await Effect.runPromise(
    Effect.flatMap(SocialMessaging.SocialMessaging, (client) => client.associateWhatsAppBusinessAccount(input)).pipe(
      Effect.provide(live)
    )
  )
  process.stdout.write(`${output.statusCode}\n`)
}
