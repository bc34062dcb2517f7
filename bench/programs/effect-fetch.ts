/** AssociateWhatsAppBusinessAccount once, with this library over `FetchHttpClient.layer`. */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { main } from "./effectProgram.js"

await main(FetchHttpClient.layer)
