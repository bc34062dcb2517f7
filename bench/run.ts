/**
 * `npm run bench`: this library against AWS's SDK and the raw floors, in one run on one machine.
 *
 * 1. Throughput and latency: a loopback server in its own process; each client in its own worker process
 *    per round (rounds alternate the client order, A B … B A, so drift cancels); medians over rounds.
 * 2. Cold start: fresh processes importing the client and making one call (median of `--cold-runs`).
 * 3. Size: minified esbuild bundles (node, esm) of a program sending only AssociateWhatsAppBusinessAccount.
 * 4. The CLI's `--help` wall time, when its bundle is built.
 * 5. Soak: `--soak N` calls (default 200,000) of this library, memory sampled after warm-up and to the end.
 * 6. The goals of issue 14, each with its status.
 *
 * Options (flags or environment): --requests N (BENCH_REQUESTS, default 5000), --warmup N (BENCH_WARMUP,
 * default requests/5), --rounds N (BENCH_ROUNDS, default 4), --cold-runs N (BENCH_COLD_RUNS, default 10),
 * --clients a,b|all (BENCH_CLIENTS; default effect-undici,sdk,platform-undici,raw-undici,raw-node-http),
 * --concurrencies 1,32,256 (BENCH_CONCURRENCIES), --soak N (BENCH_SOAK, default 200000),
 * --skip throughput,cold,size,cli,soak, --quick (1000 requests, 2 rounds, 3 cold runs, 20,000 soak calls, report
 * to bench/dist/RESULTS.quick.md), --out FILE (default bench/RESULTS.md).
 */
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SigV4 from "@social-messaging/http-client/SigV4"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { type ChildProcess, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Zlib from "node:zlib"
import * as Build from "./build.js"
import type { WorkerReport as WorkerReportType } from "./fixtures.js"
import {
  associateWire,
  credentials,
  linkedAccountId,
  type OperationKey,
  operations,
  type PresignedRequest,
  region,
  type Scenario,
  type WorkerConfig
} from "./fixtures.js"
import { ServerReady, WorkerReport } from "./protocol.js"

// =============================================================================
// Options
// =============================================================================

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}
const quick = argv.includes("--quick")
const intOption = (name: string, env: string, fallback: number): number => {
  const raw = flag(name) ?? process.env[env]
  const value = raw === undefined ? fallback : Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${raw}`)
  return value
}
/** The clients measured by default; `--clients all` adds this library over node:http and over fetch. */
const defaultClients = [
  "effect-undici",
  "effect-undici-no-timeouts",
  "effect-platform-undici",
  "sdk",
  "platform-undici",
  "raw-undici",
  "raw-node-http"
]
const clientList = (raw: string | undefined): ReadonlyArray<string> =>
  raw === undefined
    ? defaultClients
    : raw === "all"
    ? Build.workerNames.filter((n) => n !== "effect-undici-soak")
    : raw.split(",").map((c) => c.trim())
const requests = intOption("requests", "BENCH_REQUESTS", quick ? 1000 : 5000)
const options = {
  requests,
  warmup: intOption("warmup", "BENCH_WARMUP", Math.max(100, Math.round(requests / 5))),
  rounds: intOption("rounds", "BENCH_ROUNDS", quick ? 2 : 4),
  coldRuns: intOption("cold-runs", "BENCH_COLD_RUNS", quick ? 3 : 10),
  soak: intOption("soak", "BENCH_SOAK", quick ? 20000 : 200000),
  clients: clientList(flag("clients") ?? process.env["BENCH_CLIENTS"]),
  skip: new Set((flag("skip") ?? "").split(",").filter((s) => s !== "")),
  out: flag("out") ?? (quick ? Path.join(Build.distDir, "RESULTS.quick.md") : Path.join(Build.benchDir, "RESULTS.md"))
}
for (const client of options.clients) {
  if (!Build.workerNames.some((name) => name === client)) {
    throw new Error(`unknown client ${client}; known: ${Build.workerNames.join(", ")}`)
  }
}
const concurrencies: ReadonlyArray<number> = (flag("concurrencies") ?? process.env["BENCH_CONCURRENCIES"] ?? "1,32,256")
  .split(",").map(Number)
const scenarios: ReadonlyArray<Scenario> = operations.flatMap((op) =>
  concurrencies.map((concurrency) => ({ op, concurrency }))
)

const log = (line: string) => process.stderr.write(`${line}\n`)
const started = Date.now()

// =============================================================================
// Processes
// =============================================================================

interface Exit {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly wallMs: number
}

/** Runs `node ...args` to completion; wall time from spawn to exit. */
const node = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    let wallMs = 0
    const child = spawn(process.execPath, args, {
      cwd: Build.rootDir,
      env: { ...baseEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("error", reject)
    child.on("exit", () => (wallMs = Number(process.hrtime.bigint() - t0) / 1e6))
    child.on("close", (code) => resolve({ code, stdout, stderr, wallMs }))
  })

// Children get no AWS settings of this machine, only the bench's fake credentials.
const baseEnv: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith("AWS_") && e[1] !== undefined)
)
Object.assign(baseEnv, {
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_CONFIG_FILE: Path.join(Build.distDir, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: Path.join(Build.distDir, "no-aws-credentials"),
  NODE_ENV: "production"
})

/** Starts the loopback server process; resolves with its endpoint and a stop function. */
const startServer = (): Promise<{ endpoint: string; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [Path.join(Build.distDir, "workers", "server.mjs")], {
      cwd: Build.rootDir,
      stdio: ["pipe", "pipe", "inherit"]
    })
    child.on("error", reject)
    child.stdout!.once("data", (chunk: Buffer) => {
      const { port } = Schema.decodeUnknownSync(ServerReady)(chunk.toString("utf8"))
      resolve({ endpoint: `http://127.0.0.1:${port}`, stop: () => child.stdin!.end() })
    })
  })

// =============================================================================
// Statistics and formatting
// =============================================================================

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const fmtInt = (n: number) => Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a"
const fmt = (n: number, digits: number) => Number.isFinite(n) ? n.toFixed(digits) : "n/a"
const ratio = (n: number) => Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a"
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

// =============================================================================
// 1. Throughput and latency
// =============================================================================

/** Signs each operation's request once, as the library would, for the raw floors to replay. */
const presign = (endpoint: string): Promise<Record<OperationKey, PresignedRequest>> => {
  const signed = AwsCredentials.makeCredentials(credentials)
  const userAgent = "social-messaging-bench/1"
  const one = (method: string, path: string, query: Record<string, string>, body: string | undefined) =>
    SigV4.sign({
      method,
      url: endpoint + path,
      query,
      headers: {
        "user-agent": userAgent,
        ...(body === undefined
          ? {}
          : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) })
      },
      body
    }, { credentials: signed, region }).pipe(
      Effect.map(({ host: _host, ...headers }): PresignedRequest => ({
        method,
        path: path + (Object.keys(query).length === 0 ? "" : `?${new URLSearchParams(query).toString()}`),
        headers,
        body
      }))
    )
  return Effect.runPromise(Effect.all({
    get: one("GET", "/v1/whatsapp/waba/details", { id: linkedAccountId }, undefined),
    associate: one("POST", "/v1/whatsapp/signup", {}, JSON.stringify(associateWire))
  }))
}

interface Row {
  readonly client: string
  readonly op: OperationKey
  readonly concurrency: number
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly cpuMicrosPerRequest: number
  readonly maxRssMiB: number
  /** GC pauses of the main thread per 1,000 calls, and their mean length in ms. */
  readonly gcPer1000: number
  readonly gcMeanMs: number
  /** The share of calls at or above the p99 during which a GC pause ran. */
  readonly tailWithGc: number
}

const throughput = async (endpoint: string): Promise<ReadonlyArray<Row>> => {
  const config: WorkerConfig = {
    endpoint,
    requests: options.requests,
    warmup: options.warmup,
    scenarios,
    presigned: await presign(endpoint)
  }
  const reports: Array<WorkerReportType> = []
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? options.clients : [...options.clients].reverse()
    for (const client of order) {
      if (failedClients.has(client)) continue
      const exit = await node(
        ["--expose-gc", Path.join(Build.distDir, "workers", `${client}.mjs`)],
        { BENCH_CONFIG: JSON.stringify(config) }
      )
      if (exit.code !== 0) {
        const reason = (exit.stderr.split("\n").find((l) => /Error/.test(l)) ?? "").trim().slice(0, 160)
        failedClients.set(client, `exit ${exit.code}: ${reason}`)
        log(`round ${round + 1}/${options.rounds} ${client} failed: ${exit.stderr}`)
        continue
      }
      const report = Schema.decodeUnknownSync(WorkerReport)(exit.stdout.trim().split("\n").at(-1) ?? "")
      reports.push(report)
      log(
        `round ${round + 1}/${options.rounds} ${client.padEnd(16)} ` + report.results.map((r) =>
          `${r.op} c=${r.concurrency}: ${fmtInt(r.requests / r.elapsedMs * 1000)}/s`
        ).join(", ") + `, peak RSS ${fmt(report.maxRssKiB / 1024, 0)} MiB`
      )
    }
  }
  return options.clients.flatMap((client) => {
    const mine = reports.filter((r) => r.client === client)
    return scenarios.map((scenario): Row => {
      const results = mine.flatMap((r) =>
        r.results.filter((x) => x.op === scenario.op && x.concurrency === scenario.concurrency)
      )
      return {
        client,
        ...scenario,
        rps: median(results.map((r) => r.requests / r.elapsedMs * 1000)),
        p50Ms: median(results.map((r) => r.p50Ms)),
        p99Ms: median(results.map((r) => r.p99Ms)),
        cpuMicrosPerRequest: median(results.map((r) => r.cpuMicros / r.requests)),
        maxRssMiB: median(mine.map((r) => r.maxRssKiB / 1024)),
        gcPer1000: median(results.map((r) => (r.gcPauses ?? 0) / r.requests * 1000)),
        gcMeanMs: median(results.map((r) => (r.gcPauseMs ?? 0) / Math.max(1, r.gcPauses ?? 0))),
        tailWithGc: median(results.map((r) => r.tailWithGc ?? 0))
      }
    })
  })
}

/** Clients whose worker failed, with why (reported, not fatal). */
const failedClients = new Map<string, string>()

/** The raw floor each client is compared with: the same transport without any client around it. */
const floorOf = (client: string): string =>
  [
      "effect-undici",
      "effect-undici-no-timeouts",
      "effect-platform-undici",
      "effect-fetch",
      "platform-undici",
      "raw-undici"
    ].includes(client)
    ? "raw-undici"
    : "raw-node-http"

const clientLabel: Record<string, string> = {
  "effect-undici": "this library (undici)",
  "effect-undici-no-timeouts": "this library (undici), no time-outs (the SDK's default)",
  "effect-platform-undici": "this library over @effect/platform-node's undici HttpClient",
  "effect-node-http": "this library (node:http)",
  "effect-fetch": "this library (fetch)",
  "sdk": "AWS SDK v3",
  "platform-undici": "floor: @effect/platform HttpClient (undici)",
  "raw-undici": "floor: raw undici",
  "raw-node-http": "floor: raw node:http"
}

type Check = (label: string, value: number, goal: number, higherIsBetter: boolean, shown: string) => void

/**
 * The throughput goals of issue 14, for this library over undici with default settings: at c=32 throughput
 * ≥ 2.5× and CPU ≤ 0.5× the SDK's, at c=1 p99 ≤ 0.8× the SDK's, its own share of a call (its CPU minus the
 * @effect/platform floor's) ≤ 60 µs, CPU per request within ±15% of its mean from c=1 to the highest c, peak
 * RSS ≤ the SDK's + 25%.
 */
const throughputGoals = (rows: ReadonlyArray<Row>, check: Check): void => {
  const find = (client: string, op: OperationKey, c: number) =>
    rows.find((r) => r.client === client && r.op === op && r.concurrency === c)
  const cpuByConcurrency = (client: string, op: OperationKey) =>
    concurrencies.flatMap((c) => {
      const r = find(client, op, c)
      return r === undefined ? [] : [[c, r.cpuMicrosPerRequest] as const]
    })
  const spreadOf = (cpus: ReadonlyArray<readonly [number, number]>): number => {
    const mean = cpus.reduce((sum, [, v]) => sum + v, 0) / cpus.length
    return Math.max(...cpus.map(([, v]) => Math.abs(v / mean - 1)))
  }
  const lib = "effect-undici"
  for (const op of operations) {
    const [lib32, sdk32, floor32] = [find(lib, op, 32), find("sdk", op, 32), find("platform-undici", op, 32)]
    const [lib1, sdk1, floor1] = [find(lib, op, 1), find("sdk", op, 1), find("platform-undici", op, 1)]
    if (lib32 && sdk32) {
      check(
        `${op}, c=32: throughput ≥ 2.5× the SDK's`,
        lib32.rps / sdk32.rps,
        2.5,
        true,
        `${fmtInt(lib32.rps)} vs ${fmtInt(sdk32.rps)} req/s (${ratio(lib32.rps / sdk32.rps)})`
      )
      const cpu = lib32.cpuMicrosPerRequest / sdk32.cpuMicrosPerRequest
      check(
        `${op}, c=32: CPU per request ≤ 0.5× the SDK's`,
        cpu,
        0.5,
        false,
        `${fmtInt(lib32.cpuMicrosPerRequest)} vs ${fmtInt(sdk32.cpuMicrosPerRequest)} µs (${ratio(cpu)})`
      )
    }
    if (lib1 && sdk1) {
      check(
        `${op}, c=1: p99 ≤ 0.8× the SDK's`,
        lib1.p99Ms / sdk1.p99Ms,
        0.8,
        false,
        `${fmt(lib1.p99Ms, 3)} vs ${fmt(sdk1.p99Ms, 3)} ms (${ratio(lib1.p99Ms / sdk1.p99Ms)}); ` +
          `calls of the tail overlapping a GC pause: ${percent(lib1.tailWithGc)} (SDK ${percent(sdk1.tailWithGc)}` +
          `${floor1 ? `, Effect floor ${percent(floor1.tailWithGc)}` : ""})`
      )
    }
    if (lib32 && floor32) {
      const share = lib32.cpuMicrosPerRequest - floor32.cpuMicrosPerRequest
      const atOne = lib1 && floor1 ? `; c=1: ${fmtInt(lib1.cpuMicrosPerRequest - floor1.cpuMicrosPerRequest)} µs` : ""
      check(
        `${op}, c=32: our share over Effect's floor ≤ 60 µs`,
        share,
        60,
        false,
        `${fmtInt(share)} µs (${fmtInt(lib32.cpuMicrosPerRequest)} − ${fmtInt(floor32.cpuMicrosPerRequest)})` + atOne
      )
    }
    const cpus = cpuByConcurrency(lib, op)
    if (cpus.length >= 2) {
      const spread = spreadOf(cpus)
      // The same spread for the transport alone and for the SDK: how much of ours is the event loop's.
      const others = ["raw-undici", "sdk"].flatMap((client) => {
        const theirs = cpuByConcurrency(client, op)
        return theirs.length >= 2 ? [`${clientLabel[client] ?? client} ±${fmt(spreadOf(theirs) * 100, 0)}%`] : []
      })
      check(
        `${op}: CPU per request flat (±15%) from c=${cpus[0]![0]} to c=${cpus.at(-1)![0]}`,
        spread,
        0.15,
        false,
        `${cpus.map(([c, v]) => `c=${c} ${fmtInt(v)}`).join(", ")} µs (±${fmt(spread * 100, 0)}%)` +
          (others.length === 0 ? "" : `; ${others.join(", ")}`)
      )
    }
  }
  const libRss = find(lib, "get", 32)?.maxRssMiB
  const sdkRss = find("sdk", "get", 32)?.maxRssMiB
  if (libRss !== undefined && sdkRss !== undefined) {
    check(
      "peak RSS ≤ the SDK's + 25%",
      libRss / sdkRss,
      1.25,
      false,
      `${fmt(libRss, 0)} vs ${fmt(sdkRss, 0)} MiB (${ratio(libRss / sdkRss)})`
    )
  }
}

const throughputTables = (rows: ReadonlyArray<Row>): string => {
  const find = (client: string, op: OperationKey, c: number) =>
    rows.find((r) => r.client === client && r.op === op && r.concurrency === c)
  const opTitle: Record<OperationKey, string> = {
    get: "GetLinkedWhatsAppBusinessAccount (GET, 2 phone numbers in the answer)",
    associate: "AssociateWhatsAppBusinessAccount (POST, setup finalization body)"
  }
  return operations.map((op) => {
    const lines = [
      `#### ${opTitle[op]}`,
      "",
      "| client | c | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MiB | req/s vs SDK | p99 vs SDK | CPU vs SDK " +
      "| CPU vs floor |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    ]
    for (const c of concurrencies) {
      for (const client of options.clients) {
        const r = find(client, op, c)
        if (r === undefined) continue
        const sdk = find("sdk", op, c)
        const floor = find(floorOf(client), op, c)
        const floorName = floorOf(client).slice("raw-".length)
        lines.push(
          `| ${clientLabel[client] ?? client} | ${c} | ${fmtInt(r.rps)} | ${fmt(r.p50Ms, 3)} | ${fmt(r.p99Ms, 3)} | ` +
            `${fmtInt(r.cpuMicrosPerRequest)} | ${fmt(r.maxRssMiB, 0)} | ` +
            `${sdk ? ratio(r.rps / sdk.rps) : "n/a"} | ${sdk ? ratio(r.p99Ms / sdk.p99Ms) : "n/a"} | ` +
            `${sdk ? ratio(r.cpuMicrosPerRequest / sdk.cpuMicrosPerRequest) : "n/a"} | ` +
            `${floor ? `${ratio(r.cpuMicrosPerRequest / floor.cpuMicrosPerRequest)} (${floorName})` : "n/a"} |`
        )
      }
    }
    return lines.join("\n")
  }).join("\n\n") + "\n\n" + tailTable(rows)
}

const percent = (share: number): string => `${(share * 100).toFixed(0)} %`

/** One call at a time: how much of each client's p99 tail the garbage collector explains. */
const tailTable = (rows: ReadonlyArray<Row>): string =>
  [
    "#### The tail at c=1",
    "",
    "GC pauses of the worker's main thread (`PerformanceObserver`, entry type `gc`) over the measured calls, and " +
    "the share of the calls at or above the p99 during which one ran.",
    "",
    "| client | op | p50 ms | p99 ms | GC pauses per 1,000 calls | mean pause ms | p99-tail calls with a GC pause |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.filter((r) => r.concurrency === 1).map((r) =>
      `| ${clientLabel[r.client] ?? r.client} | ${r.op} | ${fmt(r.p50Ms, 3)} | ${fmt(r.p99Ms, 3)} | ` +
      `${fmt(r.gcPer1000, 1)} | ${fmt(r.gcMeanMs, 2)} | ${percent(r.tailWithGc)} |`
    )
  ].join("\n")

// =============================================================================
// 2. Cold start
// =============================================================================

interface ColdVariant {
  readonly key: string
  readonly label: string
  readonly args: ReadonlyArray<string>
  readonly expect?: string
}

interface ColdResult {
  readonly variant: ColdVariant
  readonly medianMs: number
  readonly minMs: number
  readonly failure: string | undefined
}

const coldStart = async (endpoint: string, sdkExternal: string): Promise<ReadonlyArray<ColdResult>> => {
  const program = (name: Build.ProgramName) => Path.join(Build.distDir, "programs", `${name}.mjs`)
  const variants: ReadonlyArray<ColdVariant> = [
    { key: "node", label: "empty Node process (`node -e 0`), for reference", args: ["-e", "0"] },
    { key: "effect-undici", label: "this library, bundle (undici)", args: [program("effect-undici")], expect: "200" },
    {
      key: "effect-node-http",
      label: "this library, bundle (node:http)",
      args: [program("effect-node-http")],
      expect: "200"
    },
    { key: "effect-fetch", label: "this library, bundle (fetch)", args: [program("effect-fetch")], expect: "200" },
    {
      key: "effect-service-node-http",
      label: "this library, whole service, bundle (node:http)",
      args: [program("effect-service-node-http")],
      expect: "200"
    },
    {
      key: "effect-floor-undici",
      label: "Effect floor, bundle (undici): same Effect modules, no library",
      args: [program("effect-floor-undici")],
      expect: "200"
    },
    {
      key: "effect-floor-node-http",
      label: "Effect floor, bundle (node:http): same Effect modules, no library",
      args: [program("effect-floor-node-http")],
      expect: "200"
    },
    {
      key: "effect-floor-aws-node-http",
      label: "Effect floor with AWS's signer, endpoint rules and credential chain, bundle (node:http)",
      args: [program("effect-floor-aws-node-http")],
      expect: "200"
    },
    {
      key: "effect-tsx",
      label: "this library, TypeScript source via tsx (undici)",
      args: [
        "--conditions=@social-messaging/source",
        "--import",
        "tsx",
        Path.join(Build.benchDir, "programs", "effect-undici.ts")
      ],
      expect: "200"
    },
    { key: "sdk", label: "AWS SDK v3, from node_modules", args: [sdkExternal], expect: "200" },
    { key: "sdk-bundle", label: "AWS SDK v3, bundle", args: [program("sdk")], expect: "200" }
  ]
  const times = new Map<string, Array<number>>(variants.map((v) => [v.key, []]))
  const failures = new Map<string, string>()
  for (let run = 0; run < options.coldRuns; run++) {
    const order = run % 2 === 0 ? variants : [...variants].reverse()
    for (const variant of order) {
      if (failures.has(variant.key)) continue
      const exit = await node(variant.args, { BENCH_ENDPOINT: endpoint })
      if (exit.code !== 0 || (variant.expect !== undefined && exit.stdout.trim() !== variant.expect)) {
        // One broken variant (say, sources mid-edit under tsx) must not sink the whole run.
        const reason = (exit.stderr.split("\n").find((l) => /Error/.test(l)) ?? exit.stdout).trim().slice(0, 160)
        failures.set(variant.key, `exit ${exit.code}: ${reason}`)
        log(`cold start ${variant.key} failed: ${reason}`)
        continue
      }
      times.get(variant.key)!.push(exit.wallMs)
    }
  }
  return variants.map((variant) => ({
    variant,
    medianMs: median(times.get(variant.key)!),
    minMs: Math.min(...times.get(variant.key)!),
    failure: failures.get(variant.key)
  }))
}

// =============================================================================
// 3. Size
// =============================================================================

interface SizeResult {
  readonly name: Build.ProgramName
  readonly raw: number
  readonly gzip: number
  /** With code splitting: the files loaded at start (entry + static imports), summed. */
  readonly startupRaw: number
  readonly startupGzip: number
  readonly startupFiles: number
  readonly allFiles: number
  readonly top: ReadonlyArray<readonly [string, number]>
}

/** The package an esbuild input belongs to (`node_modules/@smithy/x/...` → `@smithy/x`). */
const packageOf = (input: string): string => {
  const i = input.lastIndexOf("node_modules/")
  if (i >= 0) {
    const parts = input.slice(i + "node_modules/".length).split("/")
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!
  }
  const workspace = /^packages\/([^/]+)\//.exec(input)
  return workspace ? `@social-messaging/${workspace[1]}` : input.startsWith("bench/") ? "(bench program)" : input
}

const sizeLabel = (name: Build.ProgramName): string =>
  name === "sdk"
    ? "AWS SDK v3"
    : name === "effect-service-node-http"
    ? "this library, whole service (node-http)"
    : name === "effect-floor-aws-node-http"
    ? "Effect floor with AWS's signer, endpoint rules and credential chain (node-http), no library"
    : name.startsWith("effect-floor-")
    ? `Effect floor (${name.slice("effect-floor-".length)}): same modules, no library`
    : `this library (${name.slice("effect-".length)})`

const sizes = async (): Promise<ReadonlyArray<SizeResult>> => {
  const [bundles, split] = await Promise.all([Build.buildPrograms(), Build.buildProgramsSplit()])
  return bundles.map((bundle) => {
    const code = Fs.readFileSync(bundle.file)
    const splitBundle = split.find((s) => s.name === bundle.name)!
    const startup = splitBundle.startup.map((file) => Fs.readFileSync(file))
    const byPackage = new Map<string, number>()
    for (const output of Object.values(bundle.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const name = packageOf(input)
        byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput)
      }
    }
    return {
      name: bundle.name,
      raw: code.byteLength,
      gzip: Zlib.gzipSync(code).byteLength,
      startupRaw: startup.reduce((sum, file) => sum + file.byteLength, 0),
      startupGzip: startup.reduce((sum, file) => sum + Zlib.gzipSync(file).byteLength, 0),
      startupFiles: startup.length,
      allFiles: splitBundle.all.length,
      top: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)
    }
  })
}

// =============================================================================
// 4. CLI --help
// =============================================================================

const cliHelp = async (): Promise<{ medianMs: number } | { missing: string }> => {
  const bin = Path.join(Build.rootDir, "packages", "cli", "bin", "social-messaging.js")
  const bundle = Path.join(Build.rootDir, "packages", "cli", "dist", "bin.js")
  if (!Fs.existsSync(bin) || !Fs.existsSync(bundle)) {
    return { missing: "packages/cli/dist/bin.js not built (`npm run build -w @social-messaging/cli`)" }
  }
  const times: Array<number> = []
  for (let run = 0; run < options.coldRuns; run++) {
    const exit = await node([bin, "--help"])
    if (exit.code !== 0) {
      return { missing: `\`social-messaging --help\` exited ${exit.code}: ${exit.stderr.slice(0, 200)}` }
    }
    times.push(exit.wallMs)
  }
  return { medianMs: median(times) }
}

// =============================================================================
// 5. Soak
// =============================================================================

interface SoakSample {
  readonly calls: number
  readonly heapUsedKiB: number
  readonly rssKiB: number
}

interface SoakResult {
  readonly calls: number
  readonly failures: number
  readonly elapsedMs: number
  readonly samples: ReadonlyArray<SoakSample>
}

const SoakReport = Schema.parseJson(Schema.Struct({
  calls: Schema.Number,
  failures: Schema.Number,
  elapsedMs: Schema.Number,
  samples: Schema.Array(Schema.Struct({ calls: Schema.Number, heapUsedKiB: Schema.Number, rssKiB: Schema.Number }))
}))

/** `options.soak` calls of this library (default settings, 32 in flight); a tenth of them is the warm-up. */
const soak = async (endpoint: string): Promise<SoakResult | { missing: string }> => {
  const config: WorkerConfig = { endpoint, requests: 1, warmup: 1, scenarios: [], presigned: await presign(endpoint) }
  const exit = await node(["--expose-gc", Path.join(Build.distDir, "workers", "effect-undici-soak.mjs")], {
    BENCH_CONFIG: JSON.stringify(config),
    BENCH_SOAK_CALLS: String(options.soak),
    BENCH_SOAK_WARMUP: String(Math.round(options.soak / 10))
  })
  if (exit.code !== 0) return { missing: `soak worker exited ${exit.code}: ${exit.stderr.slice(0, 200)}` }
  return Schema.decodeUnknownSync(SoakReport)(exit.stdout.trim().split("\n").at(-1) ?? "")
}

/** Growth from the first sample (end of warm-up) to the largest later one, as a fraction. */
const growth = (samples: ReadonlyArray<SoakSample>, pick: (s: SoakSample) => number): number => {
  const first = samples[0]
  if (first === undefined || samples.length < 2) return Number.NaN
  return Math.max(...samples.slice(1).map(pick)) / pick(first) - 1
}

// =============================================================================
// Main
// =============================================================================

const machine = (): string => {
  const cpus = Os.cpus()
  return `Node ${process.version} on ${Os.platform()} ${Os.release()} (${Os.arch()}), ${cpus.length} cores ` +
    `(${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(Os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM; ` +
    `load average at start ${Os.loadavg().map((l) => l.toFixed(2)).join(" ")}`
}

const main = async () => {
  const machineNote = machine()
  log(`bench: ${machineNote}`)
  log(`bench: building bundles`)
  await Build.buildWorkers()
  const sdkExternal = await Build.buildSdkExternal()
  const sizeResults = options.skip.has("size") && options.skip.has("cold") ? [] : await sizes()
  const server = await startServer()
  let rows: ReadonlyArray<Row> = []
  let cold: ReadonlyArray<ColdResult> = []
  let help: Awaited<ReturnType<typeof cliHelp>> = { missing: "skipped" }
  let soaked: Awaited<ReturnType<typeof soak>> = { missing: "skipped" }
  try {
    if (!options.skip.has("throughput")) {
      log(
        `bench: throughput, ${options.rounds} rounds × ${options.clients.length} clients, ` +
          `${options.requests} requests (+${options.warmup} warm-up) per scenario`
      )
      rows = await throughput(server.endpoint)
    }
    if (!options.skip.has("cold")) {
      log(`bench: cold start, ${options.coldRuns} runs each`)
      cold = await coldStart(server.endpoint, sdkExternal)
    }
    if (!options.skip.has("cli")) help = await cliHelp()
    if (!options.skip.has("soak")) {
      log(`bench: soak, ${options.soak} calls`)
      soaked = await soak(server.endpoint)
    }
  } finally {
    server.stop()
  }

  const out: Array<string> = [
    "# Benchmark results",
    "",
    `Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)} in ` +
    `${((Date.now() - started) / 1000).toFixed(0)} s. Machine: ${machineNote}.`,
    "",
    "Quick smoke run: `npm run bench -- --quick`. Where a target is missed, profile with " +
    "`npx tsx --conditions=@social-messaging/source bench/profile.ts [--client effect-undici --op get " +
    "--concurrency 32 | --cold effect-node-http]` (self time by package, module and function; profiles stay " +
    "in bench/dist/prof).",
    "",
    `Settings: ${options.requests} measured requests per scenario after ${options.warmup} warm-up requests; ` +
    `${options.rounds} rounds alternating the client order; figures are medians over rounds. Clients run ` +
    "in their own processes (one per client and round, bundled by esbuild); the loopback server (node:http, " +
    "127.0.0.1, fixed JSON answers) in another, so its CPU is not counted. Both clients run with their default " +
    "settings (standard retries, 3 attempts; this library also with its 15 s attempt time-out and 60 s " +
    "deadline, except where the row says otherwise). CPU is the worker's user+system time over the " +
    "measured requests divided by their " +
    "number; peak RSS is the worker process's. The raw floors send a request signed once beforehand and " +
    "parse the JSON answer: transport cost only. The @effect/platform floor sends the same pre-signed request " +
    "through Effect's HttpClient over undici (its http.client span off), via a ManagedRuntime as the library " +
    "is called here: the least a client over @effect/platform's HttpClient can cost. \"this library (undici)\" " +
    "runs over its own UndiciHttpClient (SocialMessagingNode's default), whose direct lane sends each attempt " +
    "without the HttpClient machinery; \"over @effect/platform-node's undici HttpClient\" is the path any other " +
    "HttpClient a user provides takes. \"vs floor\" compares with the raw floor of the same transport."
  ]
  const targets: Array<string> = []
  const check: Check = (label, value, goal, higherIsBetter, shown) => {
    if (!Number.isFinite(value)) {
      targets.push(`| ${label} | n/a | not measured |`)
      return
    }
    const ok = higherIsBetter ? value >= goal : value <= goal
    targets.push(`| ${label} | ${shown} | ${ok ? "met" : "**missed**"} |`)
  }
  if (rows.length > 0) {
    throughputGoals(rows, check)
    out.push("", "## Throughput, latency, CPU, memory", "", throughputTables(rows))
    for (const [client, reason] of failedClients) out.push("", `${clientLabel[client] ?? client}: failed (${reason}).`)
  }
  if (cold.length > 0) {
    const sdk = cold.find((c) => c.variant.key === "sdk")!
    const sdkBundle = cold.find((c) => c.variant.key === "sdk-bundle")!
    out.push(
      "",
      "## Cold start (import + one AssociateWhatsAppBusinessAccount call, process spawn to exit)",
      "",
      `Median (and fastest) of ${options.coldRuns} fresh processes, runs interleaved.`,
      "",
      "| program | median ms | fastest ms | vs SDK (node_modules) | vs SDK (bundle) |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...cold.map((c) =>
        c.failure !== undefined
          ? `| ${c.variant.label} | failed: ${c.failure.replace(/\|/g, "\\|")} | | | |`
          : `| ${c.variant.label} | ${fmt(c.medianMs, 0)} | ${fmt(c.minMs, 0)} | ` +
            `${ratio(c.medianMs / sdk.medianMs)} | ` +
            `${ratio(c.medianMs / sdkBundle.medianMs)} |`
      )
    )
    // Where the node:http program's time goes: Effect's floor, AWS's modules on top of it, the library's own code.
    const coldOf = (key: string) => cold.find((c) => c.variant.key === key && c.failure === undefined)?.medianMs
    const floorMs = coldOf("effect-floor-node-http")
    const floorAwsMs = coldOf("effect-floor-aws-node-http")
    for (const key of ["effect-undici", "effect-node-http", "effect-fetch"]) {
      const mine = cold.find((c) => c.variant.key === key)!
      const parts = key === "effect-node-http" && floorMs !== undefined && floorAwsMs !== undefined
        ? `; Effect floor ${fmt(floorMs, 0)} ms, + AWS's signer, endpoint rules and credential chain ` +
          `${fmt(floorAwsMs, 0)} ms, + the library's own code ${fmt(mine.medianMs - floorAwsMs, 0)} ms`
        : ""
      check(
        `cold start, ${mine.variant.label} ≤ the SDK's bundle`,
        mine.medianMs / sdkBundle.medianMs,
        1,
        false,
        `${fmt(mine.medianMs, 0)} vs ${fmt(sdkBundle.medianMs, 0)} ms (${ratio(mine.medianMs / sdkBundle.medianMs)})` +
          parts
      )
    }
  }
  if (sizeResults.length > 0) {
    const sdk = sizeResults.find((s) => s.name === "sdk")!
    out.push(
      "",
      "## Size (minified esbuild bundle, platform node, format esm, of a program sending only " +
        "AssociateWhatsAppBusinessAccount)",
      "",
      "Both programs take credentials from the default chain (environment variables here). Single file: " +
        "every dynamic import inlined, so the lazily imported AWS credential chain is counted. Split: the same " +
        "build with code splitting; \"at start\" is the entry chunk plus the chunks it imports statically (what " +
        "a cold start loads), the chain staying in chunks loaded on first use. gzip: zlib, default level. " +
        "The library's programs call `SocialMessaging.send` with the operation's entry (only its schemas are " +
        "bundled); \"whole service\" builds the service of all 38 operations and calls its method.",
      "",
      "| program | single file min | gz | vs SDK (min / gz) | split: at start min / gz (files of all) " +
        "| vs SDK (min / gz) | largest contributors, single file (minified) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
      ...sizeResults.map((s) =>
        `| ${sizeLabel(s.name)} | ${kib(s.raw)} | ` +
        `${kib(s.gzip)} | ${ratio(s.raw / sdk.raw)} / ${ratio(s.gzip / sdk.gzip)} | ` +
        `${kib(s.startupRaw)} / ${kib(s.startupGzip)} (${s.startupFiles} of ${s.allFiles}) | ` +
        `${ratio(s.startupRaw / sdk.startupRaw)} / ${ratio(s.startupGzip / sdk.startupGzip)} | ` +
        `${s.top.map(([p, b]) => `${p} ${(b / 1024).toFixed(0)}K`).join(", ")} |`
      )
    )
    for (const transport of ["undici", "node-http", "fetch"]) {
      const mine = sizeResults.find((r) => r.name === `effect-${transport}`)
      const floor = sizeResults.find((r) => r.name === `effect-floor-${transport}`)
      if (mine === undefined || floor === undefined) continue
      const added = mine.raw - floor.raw
      const label = `size added over the Effect floor (${transport}) ≤ the SDK's whole bundle (min)`
      const floorAws = transport === "node-http"
        ? sizeResults.find((r) => r.name === "effect-floor-aws-node-http")
        : undefined
      const parts = floorAws === undefined
        ? ""
        : `; of which AWS's signer, endpoint rules and credential chain ${kib(floorAws.raw - floor.raw)}, ` +
          `the library's own code ${kib(mine.raw - floorAws.raw)}`
      check(
        label,
        added / sdk.raw,
        1,
        false,
        `${kib(added)} (${kib(mine.raw)} − ${kib(floor.raw)}) vs ${kib(sdk.raw)}; ` +
          `gz ${kib(mine.gzip - floor.gzip)} vs ${kib(sdk.gzip)}${parts}`
      )
    }
  }
  out.push(
    "",
    "## CLI",
    "",
    "missing" in help ?
      `\`social-messaging --help\`: n/a (${help.missing}).` :
      `\`social-messaging --help\` (bundle, via the bin): median ${fmt(help.medianMs, 0)} ms ` +
      `over ${options.coldRuns} runs.`
  )
  if (!("missing" in soaked)) {
    const heap = growth(soaked.samples, (x) => x.heapUsedKiB)
    const rss = growth(soaked.samples, (x) => x.rssKiB)
    out.push(
      "",
      `## Soak (${fmtInt(soaked.calls)} calls of this library over undici, default settings, GET and Associate in ` +
        "turn, 32 in flight)",
      "",
      `${fmtInt(soaked.calls / soaked.elapsedMs * 1000)} calls/s, ${soaked.failures} failed. Memory after a full GC, ` +
        "first sample at the end of the warm-up (a tenth of the calls):",
      "",
      "| calls | heap used MiB | RSS MiB |",
      "| ---: | ---: | ---: |",
      ...soaked.samples.map((x) =>
        `| ${fmtInt(x.calls)} | ${fmt(x.heapUsedKiB / 1024, 1)} | ${fmt(x.rssKiB / 1024, 1)} |`
      )
    )
    check(
      "soak: heap growth after warm-up ≤ 5%",
      heap,
      0.05,
      false,
      `heap ${fmt(heap * 100, 1)}%, RSS ${fmt(rss * 100, 1)}% over ${fmtInt(soaked.calls)} calls`
    )
  } else if (!options.skip.has("soak")) out.push("", `Soak: n/a (${soaked.missing}).`)
  if (targets.length > 0) {
    out.push(
      "",
      "## Goals (issue 14)",
      "",
      "The retry quota (one counter) and the credential and signing-key caches (one entry per credentials object, " +
        "at most 8 signing scopes) are O(1) by construction; the soak would show them growing.",
      "",
      "| goal | measured | status |",
      "| --- | --- | --- |",
      ...targets
    )
  }
  const markdown = out.join("\n") + "\n"
  Fs.mkdirSync(Path.dirname(options.out), { recursive: true })
  Fs.writeFileSync(options.out, markdown)
  process.stdout.write(markdown)
  log(`bench: wrote ${Path.relative(process.cwd(), options.out)} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}

await main()
