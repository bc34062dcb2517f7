/**
 * Soak worker: this library over undici with default settings, `BENCH_SOAK_CALLS` calls (GET and Associate in
 * turn, 32 in flight). After `BENCH_SOAK_WARMUP` calls and then every tenth of the rest, a full GC and a
 * memory sample (heap used, RSS); prints them as one JSON line. Growth after warm-up means a leak (the retry
 * quota, the credential cache, the signing-key cache and the span state must all stay O(1)).
 */
import * as UndiciHttpClient from "@social-messaging/http-client/UndiciHttpClient"
import { readConfig } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
const calls = Number(process.env["BENCH_SOAK_CALLS"] ?? "200000")
const warmup = Number(process.env["BENCH_SOAK_WARMUP"] ?? "20000")
const client = await make(config, UndiciHttpClient.layer)
const sample = () => {
  globalThis.gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsedKiB: Math.round(heapUsed / 1024), rssKiB: Math.round(rss / 1024) }
}
const samples: Array<{ readonly calls: number; readonly heapUsedKiB: number; readonly rssKiB: number }> = []
const step = Math.max(1, Math.round((calls - warmup) / 10))
let next = 0
let done = 0
let failures = 0
let checkpoint = warmup
const t0 = performance.now()
const loop = async () => {
  while (next < calls) {
    const i = next++
    const result = await (i % 2 === 0 ? client.calls.get() : client.calls.associate()).catch(() => undefined)
    if (!client.verify(i % 2 === 0 ? "get" : "associate", result)) failures++
    done++
    if (done === checkpoint) {
      samples.push({ calls: done, ...sample() })
      checkpoint += step
    }
  }
}
await Promise.all(Array.from({ length: 32 }, loop))
const elapsedMs = performance.now() - t0
if (samples.at(-1)?.calls !== done) samples.push({ calls: done, ...sample() })
await client.close()
process.stdout.write(JSON.stringify({ calls: done, failures, elapsedMs, samples }) + "\n")
