/**
 * The measuring loop every worker runs: for each scenario a warm-up, then `requests` calls from
 * `concurrency` loops, timing each call and the process's CPU. One worker process per client and round,
 * so peak RSS belongs to one client and the server's CPU (another process) is not counted.
 */
import { readFileSync } from "node:fs"
import { performance, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks"
import { type OperationKey, operations, type ScenarioResult, type WorkerConfig, type WorkerReport } from "./fixtures.js"

/** A client under test: one promise-returning call per operation, and how to let go of its sockets. */
export interface BenchClient {
  readonly calls: Readonly<Record<OperationKey, () => Promise<unknown>>>
  /** Checks one answer, so that a client failing fast is never mistaken for a fast client. */
  readonly verify: (op: OperationKey, result: unknown) => boolean
  readonly close: () => Promise<void>
}

/** The worker's configuration, from `BENCH_CONFIG`. */
export const readConfig = (): WorkerConfig => {
  const raw = process.env["BENCH_CONFIG"]
  if (raw === undefined) throw new Error("BENCH_CONFIG is not set (workers are started by bench/run.ts)")
  const config: unknown = JSON.parse(raw)
  if (!isWorkerConfig(config)) throw new Error("BENCH_CONFIG is not a worker configuration")
  return config
}

// Checked by hand rather than with Schema: workers must not load effect unless they measure this library.
const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null
const isPresigned = (u: unknown): boolean =>
  isRecord(u) && typeof u["method"] === "string" && typeof u["path"] === "string" && isRecord(u["headers"]) &&
  Object.values(u["headers"]).every((v) => typeof v === "string") &&
  (u["body"] === undefined || typeof u["body"] === "string")
const isWorkerConfig = (u: unknown): u is WorkerConfig =>
  isRecord(u) && typeof u["endpoint"] === "string" && typeof u["requests"] === "number" &&
  typeof u["warmup"] === "number" && Array.isArray(u["scenarios"]) &&
  u["scenarios"].every((s: unknown) =>
    isRecord(s) && operations.some((op) => op === s["op"]) && typeof s["concurrency"] === "number"
  ) &&
  isRecord(u["presigned"]) && operations.every((op) =>
    isPresigned(isRecord(u["presigned"]) ? u["presigned"][op] : undefined)
  )

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!

/** Runs `total` calls from `concurrency` loops; returns each call's latency in ms (or nothing). */
const drive = async (
  call: () => Promise<unknown>,
  total: number,
  concurrency: number,
  latencies: Float64Array | undefined,
  starts?: Float64Array
): Promise<void> => {
  let next = 0
  const loop = async () => {
    while (next < total) {
      const i = next++
      const start = performance.now()
      await call()
      if (latencies !== undefined) latencies[i] = performance.now() - start
      if (starts !== undefined) starts[i] = start
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, loop))
}

/**
 * CPU time of the main thread (utime + stime of `/proc/self/task/<pid>/stat`, in 10 ms clock ticks) in µs,
 * or `undefined` without `/proc`. Process CPU also counts V8's helper threads (parallel scavenges, concurrent
 * marking and compilation), which run beside the event loop: the main thread's share is what bounds throughput.
 */
const mainThreadCpuMicros = (): number | undefined => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8")
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return undefined
  }
}

/**
 * The share of the slowest 1 % of calls (latency at or above the p99) that overlapped a GC pause of the main
 * thread: how much of the tail the collector explains. `latencies` and `starts` are by call, unsorted.
 */
const tailWithGc = (
  latencies: Float64Array,
  starts: Float64Array,
  pauses: ReadonlyArray<PerformanceEntry>
): number => {
  const threshold = percentile(Float64Array.from(latencies).sort(), 0.99)
  let tail = 0
  let withGc = 0
  for (let i = 0; i < latencies.length; i++) {
    const latency = latencies[i]!
    if (latency < threshold) continue
    tail++
    const start = starts[i]!
    const end = start + latency
    if (pauses.some((pause) => pause.startTime < end && pause.startTime + pause.duration > start)) withGc++
  }
  return tail === 0 ? 0 : withGc / tail
}

// `global.gc` exists when the worker runs with --expose-gc (declared by @types/node as optional).
const gc = (): void => {
  globalThis.gc?.()
}

/** Measures `client` under `config` and prints the report as one JSON line. */
export const run = async (name: string, client: BenchClient, config: WorkerConfig): Promise<void> => {
  for (const op of new Set(config.scenarios.map((s) => s.op))) {
    const result = await client.calls[op]()
    if (!client.verify(op, result)) {
      throw new Error(`${name}: unexpected ${op} answer: ${JSON.stringify(result)?.slice(0, 300)}`)
    }
  }
  const results: Array<ScenarioResult> = []
  for (const scenario of config.scenarios) {
    const call = client.calls[scenario.op]
    // A forced full GC right before the measured block made that block slower for every client (bench/ab.ts,
    // the same worker with `gc` set to undefined against `::--expose-gc`: 30-40 % more CPU per request, and this
    // library's event loop idle 5-7 % of the time at c=32), presumably V8's heap sizing starting over. So each
    // scenario starts from a collected heap, and its warm-up absorbs what follows.
    gc()
    await drive(call, config.warmup, scenario.concurrency, undefined)
    const latencies = new Float64Array(config.requests)
    const starts = new Float64Array(config.requests)
    const pauses: Array<PerformanceEntry> = []
    const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()))
    observer.observe({ entryTypes: ["gc"] })
    const main0 = mainThreadCpuMicros()
    const loop0 = performance.eventLoopUtilization()
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    await drive(call, config.requests, scenario.concurrency, latencies, starts)
    const elapsedMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const loop = performance.eventLoopUtilization(loop0)
    const main1 = mainThreadCpuMicros()
    // GC entries arrive on a later turn of the loop.
    await new Promise((resolve) => setImmediate(resolve))
    pauses.push(...observer.takeRecords())
    observer.disconnect()
    const tail = tailWithGc(latencies, starts, pauses)
    latencies.sort()
    results.push({
      ...scenario,
      requests: config.requests,
      elapsedMs,
      cpuMicros: cpu.user + cpu.system,
      mainThreadCpuMicros: main0 === undefined || main1 === undefined ? undefined : main1 - main0,
      loopIdleMs: loop.idle,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      gcPauses: pauses.length,
      gcPauseMs: pauses.reduce((sum, pause) => sum + pause.duration, 0),
      tailWithGc: tail
    })
  }
  await client.close()
  const report: WorkerReport = { client: name, results, maxRssKiB: process.resourceUsage().maxRSS }
  process.stdout.write(JSON.stringify(report) + "\n")
}
