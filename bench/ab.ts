/**
 * Interleaved A/B of worker bundles: each bundle in turn, `--rounds` times, against one loopback server;
 * prints CPU µs per request, req/s and p99 per bundle and scenario (medians over rounds) and the ratios to
 * the first bundle. For before/after checks of the hot path on a loaded machine (CPU per request is the
 * figure to trust; wall-clock figures follow the load).
 *
 *   npx tsx bench/ab.ts [--requests 4000] [--rounds 3] [--ops get,associate] [--concurrency 1,32] A.mjs B.mjs…
 *
 * Bundles are built worker files (bench/dist/workers/*.mjs after `npm run bench` or `bench/profile.ts`, or
 * copies of them kept from an older tree). The server bundle is bench/dist/workers/server.mjs.
 */
import * as Schema from "effect/Schema"
import { spawn } from "node:child_process"
import * as Path from "node:path"
import * as Build from "./build.js"
import { credentials, type OperationKey, type WorkerConfig, type WorkerReport } from "./fixtures.js"
import { ServerReady, WorkerReport as WorkerReportSchema } from "./protocol.js"

const argv = process.argv.slice(2)
const flags = new Map<string, string>()
const files: Array<string> = []
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!
  if (a.startsWith("--")) flags.set(a.slice(2), argv[++i] ?? "")
  else files.push(Path.resolve(a))
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
  warmup: Math.round(requests / 4),
  scenarios: ops.flatMap((op) => concurrencies.map((concurrency) => ({ op, concurrency }))),
  // The raw floors need pre-signed requests; the loopback server does not check signatures.
  presigned: {
    get: { method: "GET", path: "/v1/whatsapp/waba/details?id=waba-0", headers: { authorization: "x" } },
    associate: { method: "POST", path: "/v1/whatsapp/signup", headers: { authorization: "x" }, body: "{}" }
  }
}

const runWorker = (file: string): Promise<WorkerReport> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      env: {
        ...process.env,
        BENCH_CONFIG: JSON.stringify(config),
        BENCH_ENDPOINT: endpoint,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey
      },
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()))
    child.on("close", (code) =>
      code === 0
        ? resolve(Schema.decodeUnknownSync(WorkerReportSchema)(out.trim()))
        : reject(new Error(`${file} exited ${code}`)))
  })

type Row = { cpu: Array<number>; rps: Array<number>; p99: Array<number> }
const rows = new Map<string, Row>()
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? files : [...files].reverse()
  for (const file of order) {
    const report = await runWorker(file)
    for (const result of report.results) {
      const key = `${file}\t${result.op}\t${result.concurrency}`
      const row = rows.get(key) ?? { cpu: [], rps: [], p99: [] }
      row.cpu.push(result.cpuMicros / result.requests)
      row.rps.push(result.requests / (result.elapsedMs / 1000))
      row.p99.push(result.p99Ms)
      rows.set(key, row)
    }
  }
}
server.stdin.end()

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN
}
console.log(`${requests} requests after ${config.warmup} of warm-up, ${rounds} rounds interleaved (medians)`)
console.log("| bundle | op | c | CPU µs/req | req/s | p99 ms | CPU vs first | req/s vs first |")
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for (const op of ops) {
  for (const c of concurrencies) {
    const first = rows.get(`${files[0]}\t${op}\t${c}`)
    for (const file of files) {
      const row = rows.get(`${file}\t${op}\t${c}`)
      if (row === undefined || first === undefined) continue
      console.log(
        `| ${Path.basename(file)} | ${op} | ${c} | ${median(row.cpu).toFixed(0)} | ${median(row.rps).toFixed(0)} | ${
          median(row.p99).toFixed(2)
        } | ${(median(row.cpu) / median(first.cpu)).toFixed(2)}× | ${
          (median(row.rps) / median(first.rps)).toFixed(2)
        }× |`
      )
    }
  }
}
