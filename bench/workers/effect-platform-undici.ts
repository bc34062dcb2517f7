/**
 * Worker: this library over `@effect/platform-node`'s `NodeHttpClient.layerUndici` (the `HttpClient` path a
 * user's own client takes), for comparison with `effect-undici` (its own `UndiciHttpClient` and direct lane).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { readConfig, run } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
await run("effect-platform-undici", await make(config, NodeHttpClient.layerUndici), config)
