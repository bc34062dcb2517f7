/** Worker: AWS's `@aws-sdk/client-socialmessaging` with its default settings (standard retries, 3 attempts). */
import {
  AssociateWhatsAppBusinessAccountCommand,
  GetLinkedWhatsAppBusinessAccountCommand,
  SocialMessagingClient
} from "@aws-sdk/client-socialmessaging"
import { associateSdkInput, credentials, isExpectedAnswer, linkedAccountId, region } from "../fixtures.js"
import { readConfig, run } from "../harness.js"

const config = readConfig()
const client = new SocialMessagingClient({ region, endpoint: config.endpoint, credentials })
const associateInput = associateSdkInput()
await run("sdk", {
  calls: {
    get: () => client.send(new GetLinkedWhatsAppBusinessAccountCommand({ id: linkedAccountId })),
    associate: () => client.send(new AssociateWhatsAppBusinessAccountCommand(associateInput))
  },
  verify: isExpectedAnswer,
  close: async () => client.destroy()
}, config)
