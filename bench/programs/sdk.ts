/**
 * The same program with AWS's SDK: one AssociateWhatsAppBusinessAccount (setup finalization), credentials
 * from the SDK's default chain (the environment here), the answer's status printed.
 */
import { AssociateWhatsAppBusinessAccountCommand, SocialMessagingClient } from "@aws-sdk/client-socialmessaging"
import { associateSdkInput, region } from "../fixtures.js"

const endpoint = process.env["BENCH_ENDPOINT"]
const client = new SocialMessagingClient({ region, ...(endpoint === undefined ? {} : { endpoint }) })
const output = await client.send(new AssociateWhatsAppBusinessAccountCommand(associateSdkInput()))
process.stdout.write(`${output.statusCode}\n`)
client.destroy()
