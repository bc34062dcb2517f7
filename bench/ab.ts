/**
 * Interleaved A/B of worker bundles: each bundle in turn, `--rounds` times, against one loopback server;
 * prints CPU µs per request, req/s and p99 per bundle and scenario (medians over rounds) and the ratios to
 * the first bundle. For before/after checks of the hot path on a loaded machine (CPU per request is the
 * figure to trust; wall-clock figures follow the load).
 *
 *   npx tsx bench/ab.ts [--requests 4000] [--rounds 3] [--warmup requests/4] [--ops get,associate] [--concurrency 1,32]
 *     A.mjs B.mjs…
 *
 * A bundle given as `A.mjs::--flag,--other-flag` runs with those Node/V8 flags (the same bundle may be given
 * with and without flags, e.g. `::--no-allocation-site-pretenuring`).
 *
 * Bundles are built worker files (bench/dist/workers/*.mjs after `npm run bench` or `bench/profile.ts`, or
 * copies of them kept from an older tree). The server bundle is bench/dist/workers/server.mjs.
 */
import * as Schema from "effect/Schema"
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import * as Path from "node:path"
import * as Build from "./build.js"
import type { OperationKey, WorkerConfig, WorkerReport } from "./fixtures.js"
import { ServerReady, WorkerReport as WorkerReportSchema } from "./protocol.js"
import { spawnWorker } from "./spawnWorker.js"

const argv = process.argv.slice(2)
const flags = new Map<string, string>()
const files: Array<string> = []
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!
  if (a.startsWith("--")) flags.set(a.slice(2), argv[++i] ?? "")
  else {
    const [file = "", flags = ""] = a.split("::")
    files.push(flags === "" ? Path.resolve(file) : `${Path.resolve(file)}::${flags}`)
  }
}
const requests = Number(flags.get("requests") ?? "4000")
const rounds = Number(flags.get("rounds") ?? "3")
const ops = (flags.get("ops") ?? "get,associate").split(",").filter((s): s is OperationKey =>
  s === "get" || s === "associate"
)
const concurrencies = (flags.get("concurrency") ?? "1,32").split(",").map(Number)
if (files.length === 0) throw new Error("give worker bundles to compare")

const server = spawn(process.execPath, [Path.join(Build.distDir, "workers", "server.mjs")], {
  stdio: ["pipe", "pipe", "inherit"]
})
const port = await new Promise<number>((resolve) =>
  server.stdout.once("data", (chunk: Buffer) => resolve(Schema.decodeUnknownSync(ServerReady)(chunk.toString()).port))
)
const endpoint = `http://127.0.0.1:${port}`
const config: WorkerConfig = {
  endpoint,
  requests,
  warmup: Number(flags.get("warmup") ?? Math.round(requests / 4)),
  scenarios: ops.flatMap((op) => concurrencies.map((concurrency) => ({ op, concurrency }))),
  // The raw floors need pre-signed requests; the loopback server does not check signatures.
  presigned: {
    get: { method: "GET", path: "/v1/whatsapp/waba/details?id=waba-0", headers: { authorization: "x" } },
    associate: { method: "POST", path: "/v1/whatsapp/signup", headers: { authorization: "x" }, body: "{}" }
  }
}

/**
 * The server process's CPU so far in µs (utime + stime of /proc/<pid>/stat, 10 ms ticks), or `undefined`
 * without /proc: a faster client makes the loopback server work harder on the same two cores.
 */
const serverCpuMicros = (): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${server.pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return undefined
  }
}
// Requests a worker sends: one check per operation, then warm-up and measured requests per scenario.
const requestsPerWorker = ops.length + config.scenarios.length * (config.warmup + config.requests)
const serverPerRequest = new Map<string, Array<number>>()

const runWorker = async (file: string): Promise<WorkerReport> => {
  const [path = "", flags = ""] = file.split("::")
  const out = await spawnWorker([...flags.split(",").filter((f) => f !== ""), path], config, endpoint, file)
  return Schema.decodeUnknownSync(WorkerReportSchema)(out.trim())
}

type Row = {
  cpu: Array<number>
  rps: Array<number>
  p99: Array<number>
  main: Array<number>
  mainBusy: Array<number>
  loopIdle: Array<number>
}
const rows = new Map<string, Row>()
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? files : [...files].reverse()
  for (const file of order) {
    const server0 = serverCpuMicros()
    const report = await runWorker(file)
    const server1 = serverCpuMicros()
    if (server0 !== undefined && server1 !== undefined) {
      serverPerRequest.set(file, [...(serverPerRequest.get(file) ?? []), (server1 - server0) / requestsPerWorker])
    }
    for (const result of report.results) {
      const key = `${file}\t${result.op}\t${result.concurrency}`
      const row = rows.get(key) ?? { cpu: [], rps: [], p99: [], main: [], mainBusy: [], loopIdle: [] }
      row.cpu.push(result.cpuMicros / result.requests)
      if (result.mainThreadCpuMicros !== undefined) {
        row.main.push(result.mainThreadCpuMicros / result.requests)
        row.mainBusy.push(result.mainThreadCpuMicros / 1000 / result.elapsedMs)
      }
      row.loopIdle.push(result.loopIdleMs / result.elapsedMs)
      row.rps.push(result.requests / (result.elapsedMs / 1000))
      row.p99.push(result.p99Ms)
      rows.set(key, row)
    }
  }
}
server.stdin.end()

// A bundle as the tables name it: its path from here (two trees' bundles share a file name), and its flags.
const label = (file: string): string => Path.relative(process.cwd(), file)

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN
}
console.log(`${requests} requests after ${config.warmup} of warm-up, ${rounds} rounds interleaved (medians)`)
// Main thread: its CPU per request, and the share of the wall time it ran (1.00 = a whole core); loop idle:
// the share of the wall time the event loop waited with nothing to run. Process CPU above the main thread's
// is V8's helper threads (GC).
console.log(
  "| bundle | op | c | CPU µs/req | main thread µs/req | main thread busy | loop idle | req/s | p99 ms | CPU vs first | req/s vs first |"
)
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for (const op of ops) {
  for (const c of concurrencies) {
    const first = rows.get(`${files[0]}\t${op}\t${c}`)
    for (const file of files) {
      const row = rows.get(`${file}\t${op}\t${c}`)
      if (row === undefined || first === undefined) continue
      console.log(
        `| ${label(file)} | ${op} | ${c} | ${median(row.cpu).toFixed(0)} | ${median(row.main).toFixed(0)} | ${
          median(row.mainBusy).toFixed(2)
        } | ${(median(row.loopIdle) * 100).toFixed(1)} % | ${median(row.rps).toFixed(0)} | ${
          median(row.p99).toFixed(2)
        } | ${(median(row.cpu) / median(first.cpu)).toFixed(2)}× | ${
          (median(row.rps) / median(first.rps)).toFixed(2)
        }× |`
      )
    }
  }
}
if (serverPerRequest.size > 0) {
  console.log("\n| bundle | server CPU µs/req (all its scenarios) |\n| --- | ---: |")
  for (const file of files) {
    console.log(`| ${label(file)} | ${median(serverPerRequest.get(file) ?? []).toFixed(0)} |`)
  }
}
