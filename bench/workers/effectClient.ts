/**
 * This library's service as a bench client: `SocialMessaging.layer` over the given `HttpClient` layer and
 * static credentials, default settings (standard retries, 3 attempts, as the SDK is run), called through a
 * `ManagedRuntime` the way promise-based code (a Lambda handler, an Express route) would call it.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schema from "effect/Schema"
import {
  associateWire,
  credentials,
  isExpectedAnswer,
  linkedAccountId,
  region,
  type WorkerConfig
} from "../fixtures.js"
import type { BenchClient } from "../harness.js"

export const make = async (
  config: WorkerConfig,
  transport: Layer.Layer<HttpClient.HttpClient>,
  extra: Partial<SocialMessaging.Options> = {}
): Promise<BenchClient> => {
  const live = SocialMessaging.layer({ region, endpoint: config.endpoint, ...extra }).pipe(
    Layer.provide([AwsCredentials.layerStatic(AwsCredentials.makeCredentials(credentials)), transport])
  )
  const runtime = ManagedRuntime.make(live)
  const service = await runtime.runPromise(SocialMessaging.SocialMessaging)
  // Typed inputs are decoded once from the shared wire form (branded ids, redacted secrets).
  const getInput = Schema.decodeUnknownSync(LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput)({
    id: linkedAccountId
  })
  const associateInput = Schema.decodeUnknownSync(WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest)(associateWire)
  return {
    calls: {
      get: () => runtime.runPromise(service.getLinkedWhatsAppBusinessAccount(getInput)),
      associate: () => runtime.runPromise(service.associateWhatsAppBusinessAccount(associateInput))
    },
    verify: isExpectedAnswer,
    close: () => runtime.dispose()
  }
}
