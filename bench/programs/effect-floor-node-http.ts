/** The Effect floor program over `NodeHttpClient.layer` (node:http; see effectFloorProgram.ts). */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { main } from "./effectFloorProgram.js"

await main(NodeHttpClient.layer)
