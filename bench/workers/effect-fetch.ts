/** Worker: this library over `FetchHttpClient.layer` (Node's global fetch). */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { readConfig, run } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
await run("effect-fetch", await make(config, FetchHttpClient.layer), config)
