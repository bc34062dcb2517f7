/** Worker: this library over `NodeHttpClient.layer` (node:http with a keep-alive agent). */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { readConfig, run } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
await run("effect-node-http", await make(config, NodeHttpClient.layer), config)
