/** AssociateWhatsAppBusinessAccount once, with this library's whole service over `NodeHttpClient.layer`. */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { mainService } from "./effectProgram.js"

await mainService(NodeHttpClient.layer)
