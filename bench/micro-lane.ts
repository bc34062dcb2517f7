/**
 * Per-call CPU of the service over the direct lane, without sockets: GetLinkedWhatsAppBusinessAccount or
 * AssociateWhatsAppBusinessAccount against a lane that answers at once (on the next macrotask, as a socket
 * would), 5 × 10,000 calls after a warm-up, median µs per call. For quick A/B checks of the library's own share.
 *
 *   npx tsx --conditions=@social-messaging/source bench/micro-lane.ts [--op get|associate] [--no-timeouts]
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Duration, Effect, Layer, ManagedRuntime, Schema } from "effect"
import * as DirectLane from "../packages/http-client/src/internal/directLane.js"
import { associateWire, linkedAccountId, responses } from "./fixtures.js"

const op = process.argv.includes("associate") ? "associate" : "get"
const body = responses[op === "get" ? "/v1/whatsapp/waba/details" : "/v1/whatsapp/signup"] ?? "{}"
const client = DirectLane.register(
  HttpClient.make(() => Effect.die("the direct lane is used")),
  (_request, onOutcome) => {
    const timer = setImmediate(() =>
      onOutcome({
        _tag: "Answer",
        status: 200,
        headers: { "content-type": "application/json", "x-amzn-requestid": "r" },
        body
      })
    )
    return () => clearImmediate(timer)
  }
)
const noTimeouts = process.argv.includes("--no-timeouts")
const live = SocialMessaging.layer({
  region: "us-east-1",
  ...(noTimeouts ? { attemptTimeout: Duration.infinity, deadline: Duration.infinity } : {})
}).pipe(
  Layer.provide([
    AwsCredentials.layerStatic(AwsCredentials.makeCredentials({ accessKeyId: "AKID", secretAccessKey: "secret" })),
    Layer.succeed(HttpClient.HttpClient, client)
  ])
)
const runtime = ManagedRuntime.make(live)
const service = await runtime.runPromise(SocialMessaging.SocialMessaging)
const getInput = Schema.decodeUnknownSync(LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput)({ id: linkedAccountId })
const associateInput = Schema.decodeUnknownSync(WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest)(associateWire)
const one = op === "get"
  ? () => runtime.runPromise(service.getLinkedWhatsAppBusinessAccount(getInput))
  : () => runtime.runPromise(service.associateWhatsAppBusinessAccount(associateInput))
const run = async (n: number) => {
  for (let i = 0; i < n; i += 8) await Promise.all([one(), one(), one(), one(), one(), one(), one(), one()])
}
await run(4000)
const results: Array<number> = []
for (let r = 0; r < 5; r++) {
  const c0 = process.cpuUsage()
  await run(10000)
  const c = process.cpuUsage(c0)
  results.push((c.user + c.system) / 10000)
}
results.sort((a, b) => a - b)
console.log(
  `${op}, ${noTimeouts ? "no time-outs" : "default"}: median ${(results[2] ?? 0).toFixed(1)} µs/call (min ${
    (results[0] ?? 0).toFixed(1)
  })`
)
await runtime.dispose()
