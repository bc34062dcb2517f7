/** The Effect floor with AWS's modules over `NodeHttpClient.layer` (node:http; see effectFloorAwsProgram.ts). */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { main } from "./effectFloorAwsProgram.js"

await main(NodeHttpClient.layer)
