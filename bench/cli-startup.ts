/**
 * Start-up time of the `social-messaging` bin (issue 13): the CLI runs once per call, so its start is its speed.
 * Measures, interleaved in one run, `node -e 0` (the floor), `social-messaging --help`, and one call
 * (`list-linked-whatsapp-business-accounts`) against a sandbox server on 127.0.0.1, and prints each median
 * as a ratio to the floor. A script, not a timed test: the figures depend on the machine and its load.
 *
 * ```sh
 * npx tsx bench/cli-startup.ts [--runs 30] [--bin packages/cli/bin/social-messaging.js]
 * ```
 * Goals: one call ≤ 2.5× `node -e 0`, `--help` ≤ 2×. `--bin` may name another build (a copy of an older
 * `dist/bin.js`, say) to compare; the sandbox is always the one of `--serve-bin` (default: the same bin).
 */
import { spawn, spawnSync } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const argv = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] ?? fallback : fallback
}
const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const runs = Number(option("runs", "30"))
const bin = Path.resolve(option("bin", Path.join(root, "packages/cli/bin/social-messaging.js")))
const serveBin = Path.resolve(option("serve-bin", bin))

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

/** Wall time of one process, from spawn to exit, in milliseconds; a non-zero exit is fatal. */
const time = (args: ReadonlyArray<string>, env: Record<string, string>): number => {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`)
  return elapsed
}

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
      { name: "node -e 0", args: ["-e", "0"], env: base },
      { name: "--help", args: [bin, "--help"], env: base },
      { name: "one call", args: [bin, "list-linked-whatsapp-business-accounts"], env: callEnv }
    ] as const
    // Warm the file cache, then interleave the cases so load changes hit all of them alike.
    for (const c of cases) time(c.args, c.env)
    const samples = cases.map(() => [] as Array<number>)
    for (let i = 0; i < runs; i++) cases.forEach((c, k) => samples[k]?.push(time(c.args, c.env)))
    const floor = median(samples[0] ?? [])
    process.stdout.write(`social-messaging start-up, ${runs} runs each, medians (bin ${Path.relative(root, bin)})\n`)
    cases.forEach((c, k) => {
      const m = median(samples[k] ?? [])
      process.stdout.write(
        `  ${c.name.padEnd(10)} ${m.toFixed(1).padStart(7)} ms  ${(m / floor).toFixed(2)}× node -e 0\n`
      )
    })
  } finally {
    sandbox.stop()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`cli-startup failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
