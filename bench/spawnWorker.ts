/**
 * One benchmark worker as a child process, started as `bench/run.ts` starts them: its configuration in
 * `BENCH_CONFIG`, the loopback endpoint and the benchmark's credentials in the environment. Resolves with what it
 * printed; a non-zero exit rejects. Used by the side scripts (`ab.ts`, `profile.ts`).
 */
import { spawn } from "node:child_process"
import { credentials, type WorkerConfig } from "./fixtures.js"

export const spawnWorker = (
  args: ReadonlyArray<string>,
  config: WorkerConfig,
  endpoint: string,
  name: string
): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
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
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} exited ${code}`))))
  })
