/** The Effect floor program over `NodeHttpClient.layerUndici` (see effectFloorProgram.ts). */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { main } from "./effectFloorProgram.js"

await main(NodeHttpClient.layerUndici)
