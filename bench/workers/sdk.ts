/** Worker: AWS's `@aws-sdk/client-socialmessaging`, retries off (`maxAttempts: 1`), its default handler. */
import {
  AssociateWhatsAppBusinessAccountCommand,
  type AssociateWhatsAppBusinessAccountCommandInput,
  GetLinkedWhatsAppBusinessAccountCommand,
  SocialMessagingClient
} from "@aws-sdk/client-socialmessaging"
import { associateWire, credentials, linkedAccountId, region } from "../fixtures.js"
import { readConfig, run } from "../harness.js"

const config = readConfig()
const client = new SocialMessagingClient({ region, endpoint: config.endpoint, maxAttempts: 1, credentials })
// The SDK's input types are mutable arrays; the fixture is a readonly literal.
const associateInput = structuredClone(associateWire) as unknown as AssociateWhatsAppBusinessAccountCommandInput
await run("sdk", {
  calls: {
    get: () => client.send(new GetLinkedWhatsAppBusinessAccountCommand({ id: linkedAccountId })),
    associate: () => client.send(new AssociateWhatsAppBusinessAccountCommand(associateInput))
  },
  verify: (op, result) => {
    const r = result as { account?: { phoneNumbers?: Array<unknown> }; statusCode?: number }
    return op === "get" ? r.account?.phoneNumbers?.length === 2 : r.statusCode === 200
  },
  close: async () => client.destroy()
}, config)
