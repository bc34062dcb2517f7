/**
 * The same program with AWS's SDK: one AssociateWhatsAppBusinessAccount (setup finalization), credentials
 * from the SDK's default chain (the environment here), the answer's status printed.
 */
import {
  AssociateWhatsAppBusinessAccountCommand,
  type AssociateWhatsAppBusinessAccountCommandInput,
  SocialMessagingClient
} from "@aws-sdk/client-socialmessaging"
import { associateWire, region } from "../fixtures.js"

const endpoint = process.env["BENCH_ENDPOINT"]
const client = new SocialMessagingClient({ region, ...(endpoint === undefined ? {} : { endpoint }) })
// The SDK wants mutable arrays; the shared fixture is a readonly literal.
const input = structuredClone(associateWire) as unknown as AssociateWhatsAppBusinessAccountCommandInput
const output = await client.send(new AssociateWhatsAppBusinessAccountCommand(input))
process.stdout.write(`${output.statusCode}\n`)
client.destroy()
