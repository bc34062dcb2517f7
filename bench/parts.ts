/**
 * CPU of the pieces of one call, alone (µs each, after a warm-up): AWS's signer on a GET, the input encoders and
 * output decoders of GET and Associate, serialisation. Where the library's own share of a call goes.
 *
 *   npx tsx --conditions=@social-messaging/source bench/parts.ts
 */
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SigV4 from "@social-messaging/http-client/SigV4"
import { Schema } from "effect"
import * as RestJson from "../packages/http-client/src/internal/restJson.js"
import { associateWire, linkedAccountId, responses } from "./fixtures.js"
const credentials = AwsCredentials.makeCredentials({ accessKeyId: "AKID", secretAccessKey: "secret" })
const time = async (label: string, n: number, f: () => unknown) => {
  for (let i = 0; i < 2000; i++) await f()
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) await f()
  const c = process.cpuUsage(c0)
  console.log(label.padEnd(28), ((c.user + c.system) / n).toFixed(1), "µs")
}
const prepared: SigV4.PreparedRequest = {
  method: "GET",
  protocol: "https:",
  hostname: "social-messaging.us-east-1.amazonaws.com",
  path: "/v1/whatsapp/waba/details",
  query: { id: linkedAccountId },
  headers: {
    host: "social-messaging.us-east-1.amazonaws.com",
    "amz-sdk-invocation-id": "0b7c2c1e-1111-4222-8333-444455556666",
    "user-agent": "social-messaging-js/0.1.0",
    "x-amz-user-agent": "social-messaging-js/0.1.0",
    "amz-sdk-request": "attempt=1; max=3"
  }
}
await time(
  "sign GET (smithy)",
  20000,
  () => SigV4.signPreparedAt(prepared, { credentials, region: "us-east-1" }, Date.now())
)
const getInput = Schema.decodeUnknownSync(LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput)({ id: linkedAccountId })
const associateInput = Schema.decodeUnknownSync(WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest)(associateWire)
const G = Operations.GetLinkedWhatsAppBusinessAccount, A = Operations.AssociateWhatsAppBusinessAccount
await time("encode GET input", 20000, () => G.encodeWireInput(getInput))
await time("encode Associate input", 20000, () => A.encodeWireInput(associateInput))
await time("revealedSecrets Associate", 20000, () => Redaction.revealedSecrets(associateInput))
const ea = A.encodeWireInput(associateInput)
await time("serialize Associate", 20000, () => RestJson.serialize(A, ea._tag === "Right" ? ea.right : {}, []))
const gbody = responses["/v1/whatsapp/waba/details"]!, abody = responses["/v1/whatsapp/signup"]!
await time("JSON.parse GET answer", 20000, () => JSON.parse(gbody))
await time("decode GET answer", 20000, () => G.decodeLenientOutput(G.correctOutput(JSON.parse(gbody))))
await time("correct GET answer", 20000, () => G.correctOutput(JSON.parse(gbody)))
await time("decode Associate answer", 20000, () => A.decodeLenientOutput(A.correctOutput(JSON.parse(abody))))
console.log(gbody.length, "bytes GET answer")
