/** Worker: this library over `UndiciHttpClient.layer` (its own client with the direct lane, `SocialMessagingNode`'s default). */
import * as UndiciHttpClient from "@social-messaging/http-client/UndiciHttpClient"
import { readConfig, run } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
await run("effect-undici", await make(config, UndiciHttpClient.layer), config)
