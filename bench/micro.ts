/**
 * Per-call CPU of the service alone: GetLinkedWhatsAppBusinessAccount against an in-memory transport
 * (no sockets), 5 × 10,000 calls after a warm-up, median µs per call. For quick A/B checks of the hot path.
 *
 *   npx tsx --conditions=@social-messaging/source bench/micro.ts [--no-timeouts]
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Duration, Effect, Layer, ManagedRuntime, Schema } from "effect"
import { linkedAccountId, responses } from "./fixtures.js"

const body = responses["/v1/whatsapp/waba/details"] ?? "{}"
const client = HttpClient.make((request) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status: 200 })))
)
const noTimeouts = process.argv.includes("--no-timeouts")
const live = SocialMessaging.layer({
  region: "us-east-1",
  maxAttempts: 1,
  ...(noTimeouts ? { attemptTimeout: Duration.infinity, deadline: Duration.infinity } : {})
}).pipe(
  Layer.provide([
    AwsCredentials.layerStatic(AwsCredentials.makeCredentials({ accessKeyId: "AKID", secretAccessKey: "secret" })),
    Layer.succeed(HttpClient.HttpClient, client)
  ])
)
const runtime = ManagedRuntime.make(live)
const service = await runtime.runPromise(SocialMessaging.SocialMessaging)
const input = Schema.decodeUnknownSync(LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput)({ id: linkedAccountId })
const run = async (n: number) => {
  for (let i = 0; i < n; i++) await runtime.runPromise(service.getLinkedWhatsAppBusinessAccount(input))
}
await run(3000)
const results: Array<number> = []
for (let r = 0; r < 5; r++) {
  const c0 = process.cpuUsage()
  await run(10000)
  const c = process.cpuUsage(c0)
  results.push((c.user + c.system) / 10000)
}
results.sort((a, b) => a - b)
console.log(
  `${noTimeouts ? "no-timeouts" : "default"}: median ${(results[2] ?? 0).toFixed(1)} µs/call (min ${
    (results[0] ?? 0).toFixed(1)
  })`
)
await runtime.dispose()
