/** AssociateWhatsAppBusinessAccount once, with this library over `UndiciHttpClient.layer`. */
import * as UndiciHttpClient from "@social-messaging/http-client/UndiciHttpClient"
import { main } from "./effectProgram.js"

await main(UndiciHttpClient.layer)
