/** AssociateWhatsAppBusinessAccount once, with this library over `NodeHttpClient.layerUndici`. */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { main } from "./effectProgram.js"

await main(NodeHttpClient.layerUndici)
