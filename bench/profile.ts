/**
 * Profiles one client under load and sums the CPU profile's self time by module and by function.
 *
 *   npx tsx --conditions=@social-messaging/source bench/profile.ts [--client effect-undici] [--op get]
 *     [--concurrency 32] [--requests 20000] [--worker FILE] [--top 25]
 *   npx tsx --conditions=@social-messaging/source bench/profile.ts --cold effect-undici   (or sdk, ...)
 *
 * With `--cold PROGRAM` it profiles one cold start of a bench program (import + one call), built like the
 * sized bundle but not minified, sampling every 100 µs.
 *
 * The worker bundle (not minified) keeps esbuild's `// path/to/module.js` comment before each module, so a
 * frame's line in the bundle tells which source module it belongs to (lines shown are the bundle's). The .cpuprofile stays in
 * bench/dist/prof (ignored by git); the summary is printed and written beside it.
 */
import * as Schema from "effect/Schema"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Build from "./build.js"
import type { WorkerConfig } from "./fixtures.js"
import { OperationKey, ServerReady } from "./protocol.js"
import { spawnWorker } from "./spawnWorker.js"

const argv = process.argv.slice(2)
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] ?? fallback : fallback
}
const client = flag("client", "effect-undici")
const op = Schema.decodeUnknownSync(OperationKey)(flag("op", "get"))
const concurrency = Number(flag("concurrency", "32"))
const requests = Number(flag("requests", "20000"))
const top = Number(flag("top", "25"))
const workerFile = flag("worker", "")
const cold = flag("cold", "")

// =============================================================================
// The .cpuprofile format (the parts used here)
// =============================================================================

const CallFrameSchema = Schema.Struct({
  functionName: Schema.String,
  url: Schema.String,
  lineNumber: Schema.Number,
  columnNumber: Schema.Number
})
const ProfileNode = Schema.Struct({
  id: Schema.Number,
  callFrame: CallFrameSchema,
  children: Schema.optional(Schema.Array(Schema.Number))
})
type ProfileNode = typeof ProfileNode.Type
type CallFrame = typeof CallFrameSchema.Type
const CpuProfileFields = Schema.Struct({
  nodes: Schema.Array(ProfileNode),
  samples: Schema.Array(Schema.Number),
  timeDeltas: Schema.Array(Schema.Number)
})
type CpuProfile = typeof CpuProfileFields.Type
const CpuProfile = Schema.parseJson(CpuProfileFields)

/** Module start lines of an esbuild bundle, from its `// path` comments. */
const moduleMap = (bundle: string): ReadonlyArray<readonly [number, string]> => {
  const starts: Array<readonly [number, string]> = []
  Fs.readFileSync(bundle, "utf8").split("\n").forEach((line, i) => {
    const match = /^\/\/ ((?:node_modules|packages|bench)\/\S+|\S+\.(?:ts|js|mjs|cjs))$/.exec(line)
    if (match) starts.push([i, match[1]!])
  })
  return starts
}

const moduleAt = (starts: ReadonlyArray<readonly [number, string]>, line: number): string => {
  let lo = 0
  let hi = starts.length - 1
  let found = "(bundle prelude)"
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (starts[mid]![0] <= line) {
      found = starts[mid]![1]
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

/** Summarises a profile: self time by module, by package, by function; inclusive time of workspace code. */
export const summarise = (profile: CpuProfile, bundle: string, limit: number): string => {
  const starts = moduleMap(bundle)
  const bundleUrl = `file://${bundle}`
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)

  const where = (frame: CallFrame): string =>
    frame.url === bundleUrl
      ? moduleAt(starts, frame.lineNumber)
      : frame.url === ""
      ? `(${frame.functionName || "native"})`
      : frame.url.replace(/^node:/, "node:")
  const packageOf = (module: string): string => {
    const i = module.lastIndexOf("node_modules/")
    if (i >= 0) {
      const parts = module.slice(i + 13).split("/")
      return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!
    }
    if (module.startsWith("packages/")) return `@social-messaging/${module.split("/")[1]}`
    if (module.startsWith("node:") || module.startsWith("internal/")) return "node internals"
    return module
  }

  const byModule = new Map<string, number>()
  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame
    const module = where(frame)
    byModule.set(module, (byModule.get(module) ?? 0) + micros)
    byPackage.set(packageOf(module), (byPackage.get(packageOf(module)) ?? 0) + micros)
    const fn = `${frame.functionName || "(anonymous)"}  ${module} (line ${frame.lineNumber + 1})`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros)
  }

  // Inclusive time of workspace functions (our code), counting each stack once per function.
  const inclusive = new Map<string, number>()
  const walk = (id: number, onStack: ReadonlySet<string>): number => {
    const node = byId.get(id)!
    const module = where(node.callFrame)
    const key = module.startsWith("packages/")
      ? `${node.callFrame.functionName || "(anonymous)"}  ${module} (line ${node.callFrame.lineNumber + 1})`
      : undefined
    const stack = key !== undefined && !onStack.has(key) ? new Set([...onStack, key]) : onStack
    let sum = self.get(id) ?? 0
    for (const child of node.children ?? []) sum += walk(child, stack)
    if (key !== undefined && !onStack.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + sum)
    return sum
  }
  walk(profile.nodes[0]!.id, new Set())

  const table = (title: string, entries: Map<string, number>, n: number) => {
    const rows = [...entries.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    return [
      `### ${title}`,
      ...rows.map(([name, micros]) =>
        `${(micros / 1000).toFixed(0).padStart(7)} ms ${(100 * micros / total).toFixed(1).padStart(5)}%  ${name}`
      )
    ].join("\n")
  }
  return [
    `total sampled: ${(total / 1000).toFixed(0)} ms`,
    table("self time by package", byPackage, limit),
    table("self time by module", byModule, limit),
    table("self time by function", byFunction, limit),
    table("inclusive time of workspace functions (packages/*)", inclusive, limit)
  ].join("\n\n")
}

// =============================================================================
// Run
// =============================================================================

const runProfiled = async (): Promise<void> => {
  const profDir = Path.join(Build.distDir, "prof")
  Fs.mkdirSync(profDir, { recursive: true })
  let worker = workerFile
  if (cold !== "") {
    await Build.buildWorkers()
    worker = await Build.buildProgramForProfile(Schema.decodeUnknownSync(Schema.Literal(...Build.programNames))(cold))
  } else if (worker === "") {
    await Build.buildWorkers()
    worker = Path.join(Build.distDir, "workers", `${client}.mjs`)
  }
  worker = Path.resolve(worker)
  const server = spawn(process.execPath, [Path.join(Build.distDir, "workers", "server.mjs")], {
    stdio: ["pipe", "pipe", "inherit"]
  })
  const port = await new Promise<number>((resolve) =>
    server.stdout.once("data", (chunk: Buffer) => resolve(Schema.decodeUnknownSync(ServerReady)(chunk.toString()).port))
  )
  const endpoint = `http://127.0.0.1:${port}`
  // The raw floors need pre-signed requests; a profile of them is rarely wanted, so a dummy signature does.
  const presigned = {
    get: { method: "GET", path: "/v1/whatsapp/waba/details?id=waba-0", headers: { authorization: "x" } },
    associate: { method: "POST", path: "/v1/whatsapp/signup", headers: { authorization: "x" }, body: "{}" }
  }
  const config: WorkerConfig = {
    endpoint,
    requests,
    warmup: Math.round(requests / 10),
    scenarios: [{ op, concurrency }],
    presigned
  }
  const name = cold !== "" ? `cold-${cold}` : `${client}-${op}-c${concurrency}`
  const before = new Set(Fs.readdirSync(profDir))
  const interval = cold !== "" ? ["--cpu-prof-interval=100"] : []
  const output = await spawnWorker(
    ["--cpu-prof", `--cpu-prof-dir=${profDir}`, ...interval, worker],
    config,
    endpoint,
    "worker"
  )
  server.stdin.end()
  const file = Fs.readdirSync(profDir).find((f) => !before.has(f) && f.endsWith(".cpuprofile"))!
  const profile = Schema.decodeUnknownSync(CpuProfile)(Fs.readFileSync(Path.join(profDir, file), "utf8"))
  const title = `# profile ${name}${cold !== "" ? "" : ` (${requests} requests)`}`
  const report = `${title}\nworker: ${output.trim()}\n\n${summarise(profile, worker, top)}\n`
  Fs.renameSync(Path.join(profDir, file), Path.join(profDir, `${name}.cpuprofile`))
  Fs.writeFileSync(Path.join(profDir, `${name}.txt`), report)
  process.stdout.write(report)
}

await runProfiled()
