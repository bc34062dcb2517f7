/** The Effect floor program over `FetchHttpClient.layer` (see effectFloorProgram.ts). */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { main } from "./effectFloorProgram.js"

await main(FetchHttpClient.layer)
