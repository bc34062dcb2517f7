/** AssociateWhatsAppBusinessAccount once, with this library over `NodeHttpClient.layer`. */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { main } from "./effectProgram.js"

await main(NodeHttpClient.layer)
