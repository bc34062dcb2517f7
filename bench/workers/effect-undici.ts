/** Worker: this library over `NodeHttpClient.layerUndici` (what the CLI uses). */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { readConfig, run } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
await run("effect-undici", await make(config, NodeHttpClient.layerUndici), config)
