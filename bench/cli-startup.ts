/**
 * Start-up time of the `social-messaging` bin (issue 13): the CLI runs once per call, so its start is its speed.
 * Measures, interleaved in one run, `node -e 0` (the floor), `social-messaging --help`, and one call
 * (`list-linked-whatsapp-business-accounts`) against a sandbox server on 127.0.0.1, and prints each median
 * as a ratio to the floor, and whether each goal is met. Beside the wall time it prints the CPU time the
 * processes used (user + system, the mean per run, from /proc/self/stat on Linux): less sensitive to a
 * loaded machine than the wall time. A script, not a timed test: the figures depend on the machine and its
 * load.
 *
 * ```sh
 * npx tsx bench/cli-startup.ts [--runs 30] [--bin packages/cli/bin/social-messaging.js]
 * ```
 * Goals: one call ≤ 2.5× `node -e 0`, `--help` ≤ 2×. `--bin` may name another build (the bin of a copy of
 * an older `packages/cli`, say) to compare; `--bin` given twice measures both builds in the same run,
 * interleaved. The sandbox is always the one of `--serve-bin` (default: the first bin).
 */
import { spawn, spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const argv = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] ?? fallback : fallback
}
const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const runs = Number(option("runs", "30"))
const given = argv.flatMap((arg, at) => arg === "--bin" && argv[at + 1] !== undefined ? [argv[at + 1] ?? ""] : [])
const bins = (given.length > 0 ? given : [Path.join(root, "packages/cli/bin/social-messaging.js")]).map((bin) =>
  Path.resolve(bin)
)
const serveBin = Path.resolve(option("serve-bin", bins[0] ?? ""))

/** The goals, as ratios to `node -e 0`. */
const goals: Readonly<Record<string, number>> = { "--help": 2, "one call": 2.5 }

/** The sandbox server as a user starts it, and the environment it prints. */
const serve = (): Promise<{ readonly env: Record<string, string>; readonly stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serveBin, "sandbox", "serve", "--port", "0"], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      if (!out.includes("Press Ctrl-C")) return
      const env: Record<string, string> = {}
      for (const [, name = "", value = ""] of out.matchAll(/^export (\w+)=(.*)$/gm)) env[name] = value
      resolve({ env, stop: () => child.kill("SIGINT") })
    })
    child.once("exit", (code) => reject(new Error(`sandbox serve exited early (${code})`)))
  })

/**
 * The CPU time (user + system, ms) of this process's waited-for children so far, from /proc/self/stat
 * (clock ticks, 100 a second on Linux); undefined elsewhere.
 */
const childrenCpu = (): number | undefined => {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // After the name: state is field 3, cutime field 16 and cstime field 17 (1-based, man 5 proc).
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return undefined
  }
}

/** Wall time and CPU time of one process, from spawn to exit, in milliseconds; a non-zero exit is fatal. */
const time = (args: ReadonlyArray<string>, env: Record<string, string>): { wall: number; cpu: number | undefined } => {
  const cpuBefore = childrenCpu()
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
  const wall = Number(process.hrtime.bigint() - started) / 1e6
  const cpuAfter = childrenCpu()
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`)
  return { wall, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore }
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / xs.length

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

const main = async () => {
  const sandbox = await serve()
  try {
    const base: Record<string, string> = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: process.env["HOME"] ?? "/tmp",
      AWS_EC2_METADATA_DISABLED: "true"
    }
    const callEnv = { ...base, ...sandbox.env, AWS_MAX_ATTEMPTS: "1" }
    const cases = [
      { bin: undefined, name: "node -e 0", args: ["-e", "0"], env: base },
      ...bins.flatMap((bin) => [
        { bin, name: "--help", args: [bin, "--help"], env: base },
        { bin, name: "one call", args: [bin, "list-linked-whatsapp-business-accounts"], env: callEnv }
      ])
    ]
    // Warm the file cache, then interleave the cases so load changes hit all of them alike.
    for (const c of cases) time(c.args, c.env)
    const samples = cases.map(() => ({ wall: [] as Array<number>, cpu: [] as Array<number> }))
    for (let i = 0; i < runs; i++) {
      cases.forEach((c, k) => {
        const { cpu, wall } = time(c.args, c.env)
        samples[k]?.wall.push(wall)
        if (cpu !== undefined) samples[k]?.cpu.push(cpu)
      })
    }
    const floor = median(samples[0]?.wall ?? [])
    const cpuFloor = mean(samples[0]?.cpu ?? [])
    process.stdout.write(`social-messaging start-up, ${runs} runs each, interleaved: wall medians, CPU means\n`)
    let missed = 0
    cases.forEach((c, k) => {
      if (c.bin !== undefined && (k === 1 || cases[k - 1]?.bin !== c.bin)) {
        process.stdout.write(`bin ${Path.relative(process.cwd(), c.bin)}\n`)
      }
      const wall = median(samples[k]?.wall ?? [])
      const cpu = mean(samples[k]?.cpu ?? [])
      const ratio = wall / floor
      const goal = goals[c.name]
      const status = goal === undefined ? "" : ratio <= goal ? `  goal ≤ ${goal}×: met` : `  goal ≤ ${goal}×: missed`
      if (goal !== undefined && ratio > goal) missed++
      const cpuText = Number.isNaN(cpu) ? "" : `   CPU ${cpu.toFixed(0).padStart(4)} ms ${(cpu / cpuFloor).toFixed(2)}×`
      process.stdout.write(
        `  ${c.name.padEnd(10)} ${wall.toFixed(1).padStart(7)} ms ${
          ratio.toFixed(2).padStart(6)
        }× node -e 0${cpuText}${status}\n`
      )
    })
    if (bins.length === 1) process.stdout.write(missed === 0 ? "every goal met\n" : `${missed} goal(s) missed\n`)
  } finally {
    sandbox.stop()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`cli-startup failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
