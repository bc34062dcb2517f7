/**
 * The consumer program of `Consumer.test.ts`: a user's application, type-checked and run in a fresh project
 * against the packed and installed packages (their `.d.ts` and ES modules; no source condition). It links
 * the WABA of the seeded Meta token twice, through `Sandbox.layer` (in process) and through the real
 * `SocialMessaging.layer` over node:http against a sandbox server on 127.0.0.1, lists it, catches a typed
 * error with `Effect.catchTag`, and prints what it saw as one JSON line.
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import * as Ids from "@social-messaging/domain/Ids"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Sandbox from "@social-messaging/sandbox/Sandbox"
import * as Server from "@social-messaging/sandbox/Server"
import { Console, Effect, Layer, Redacted } from "effect"

/** The user's onboarding code: written against the service tag, run over either layer. */
const onboard = Effect.gen(function*() {
  const client = yield* SocialMessaging.SocialMessaging
  // Step 1: the signup callback with Meta's access token.
  const step1 = yield* client.associateWhatsAppBusinessAccount({
    signupCallback: { accessToken: Redacted.make(Fixtures.tokens.oneWaba) }
  })
  const result = step1.signupCallbackResult
  const token = result?.associateInProgressToken
  const [incomplete] = Object.values(result?.linkedAccountsWithIncompleteSetup ?? {})
  const number = incomplete?.unregisteredWhatsAppPhoneNumbers?.[0]
  if (token === undefined || number === undefined) {
    return yield* Effect.dieMessage("step 1 gave no in-progress token or unregistered number")
  }
  // Step 2: setup finalization, registering the number.
  const step2 = yield* client.associateWhatsAppBusinessAccount({
    setupFinalization: {
      associateInProgressToken: token,
      phoneNumbers: [{
        id: Ids.WhatsAppPhoneNumber.make(number.phoneNumberId),
        twoFactorPin: Redacted.make("123456"),
        dataLocalizationRegion: "DE"
      }],
      waba: { tags: [{ key: "team", value: "consumer" }] }
    }
  })
  const listed = yield* client.listLinkedWhatsAppBusinessAccounts({})
  // A typed error, caught by its AWS name.
  const unknown = Ids.LinkedWhatsAppBusinessAccountId.make("waba-0123456789abcdef0123456789abcdef")
  const caught = yield* client.getLinkedWhatsAppBusinessAccount({ id: unknown }).pipe(
    Effect.as("found"),
    Effect.catchTag("ResourceNotFoundException", (error) => Effect.succeed(error._tag))
  )
  return {
    linked: step2.linkedWhatsAppBusinessAccountId ?? null,
    listed: (listed.linkedAccounts ?? []).map((account) => ({ id: account.id, name: account.wabaName })),
    caught
  }
})

/** The real client over node:http against a sandbox server on 127.0.0.1, with the sandbox's documented keys. */
const overHttp = Effect.gen(function*() {
  const server = yield* Server.serve({ host: "127.0.0.1", port: 0 })
  const credentials = AwsCredentials.makeCredentials({
    accessKeyId: "AKIASANDBOX000000001",
    secretAccessKey: "sandbox-secret-access-key-do-not-use-in-aws"
  })
  const Live = SocialMessaging.layer({ region: server.region, endpoint: server.url }).pipe(
    Layer.provide([AwsCredentials.layerStatic(credentials), NodeHttpClient.layer])
  )
  const outcome = yield* Effect.provide(onboard, Live)
  return { ...outcome, url: server.url }
}).pipe(Effect.scoped)

const main = Effect.gen(function*() {
  const inProcess = yield* Effect.provide(onboard, Sandbox.layer)
  const http = yield* overHttp
  yield* Console.log(JSON.stringify({ inProcess, http }))
})

NodeRuntime.runMain(main)
