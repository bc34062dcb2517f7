/**
 * What the orchestrator (run.ts, profile.ts) reads back from workers and servers, as Schemas. Workers do not
 * import this (nor effect at all, unless they measure this library).
 */
import * as Schema from "effect/Schema"
import { operations } from "./fixtures.js"

/** An operation name, as the workers name them. */
export const OperationKey = Schema.Literal(...operations)

/** What a worker prints (one JSON line on stdout). */
export const WorkerReport = Schema.parseJson(Schema.Struct({
  client: Schema.String,
  results: Schema.Array(Schema.Struct({
    op: OperationKey,
    concurrency: Schema.Number,
    requests: Schema.Number,
    elapsedMs: Schema.Number,
    cpuMicros: Schema.Number,
    mainThreadCpuMicros: Schema.optional(Schema.Number),
    loopIdleMs: Schema.Number,
    p50Ms: Schema.Number,
    p99Ms: Schema.Number,
    gcPauses: Schema.optional(Schema.Number),
    gcPauseMs: Schema.optional(Schema.Number),
    tailWithGc: Schema.optional(Schema.Number)
  })),
  maxRssKiB: Schema.Number
}))

/** The first line a loopback server prints: its port. */
export const ServerReady = Schema.parseJson(Schema.Struct({ port: Schema.Int }))
