/**
 * Running the real `social-messaging` bin (the committed launcher, which runs the esbuild bundle) as a
 * child process, in an environment of our own: a fresh HOME, no shared AWS config, no instance metadata,
 * so only 127.0.0.1 is ever contacted.
 */
import { Effect, Schema, type Scope } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The bin as `npm ci` links it. */
export const binPath = fileURLToPath(new URL("../../bin/social-messaging.js", import.meta.url))

/** A scratch directory for files the tests write (tokens, PINs, inputs). */
export const scratch = mkdtempSync(join(tmpdir(), "social-messaging-cli-test-"))

const baseEnv: Record<string, string> = {
  PATH: process.env["PATH"] ?? "/usr/bin:/bin",
  HOME: scratch,
  AWS_CONFIG_FILE: join(scratch, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(scratch, "no-aws-credentials"),
  AWS_EC2_METADATA_DISABLED: "true"
}

/** What a run printed, and how it ended. */
export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Every run of this test file, for the canary checks. */
export const transcript: Array<Run & { readonly args: ReadonlyArray<string> }> = []

/** Runs the bin (or another script, `bin`) with `args`, the given environment (over a clean one) and standard input. */
export const runBin = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly stdin?: string; readonly bin?: string } = {}
): Effect.Effect<Run> =>
  Effect.async<Run>((resume) => {
    const child = spawn(process.execPath, [options.bin ?? binPath, ...args], {
      env: { ...baseEnv, ...options.env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.once("close", (code) => {
      const run = { code: code ?? -1, stdout, stderr }
      transcript.push({ ...run, args })
      resume(Effect.succeed(run))
    })
    child.stdin.end(options.stdin ?? "")
    return Effect.sync(() => child.kill())
  })

/** The environment pointing the bin at a sandbox server with its documented keys. */
export const sandboxEnv = (server: {
  readonly url: string
  readonly region: string
  readonly credentials: ReadonlyArray<{ readonly accessKeyId: string }>
}, secretAccessKey: string): Record<string, string> => ({
  AWS_ENDPOINT_URL_SOCIALMESSAGING: server.url,
  AWS_REGION: server.region,
  AWS_ACCESS_KEY_ID: server.credentials[0]?.accessKeyId ?? "",
  AWS_SECRET_ACCESS_KEY: secretAccessKey,
  AWS_MAX_ATTEMPTS: "1"
})

/** A long-running bin ended before it printed what was waited for. */
export class BinExited extends Schema.TaggedError<BinExited>()("BinExited", {
  code: Schema.NullOr(Schema.Number),
  stdout: Schema.String,
  stderr: Schema.String
}) {}

/**
 * Starts the bin with `args` as a server (`sandbox serve`) or a follower (`sandbox events -f`) and waits until
 * its standard output contains `ready` (or `ready` holds of it); returns that output. The process is killed (and waited for) when the scope closes, whether the
 * test passed or not.
 */
export const startBin = (
  args: ReadonlyArray<string>,
  ready: string | ((stdout: string) => boolean)
): Effect.Effect<string, BinExited, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => spawn(process.execPath, [binPath, ...args], { env: baseEnv, stdio: ["ignore", "pipe", "pipe"] })),
    (child) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("close", () => resume(Effect.void))
        child.kill()
      })
  ).pipe(
    Effect.flatMap((child) =>
      Effect.async<string, BinExited>((resume) => {
        let stdout = ""
        let stderr = ""
        let done = false
        const finish = (result: Effect.Effect<string, BinExited>) => {
          if (done) return
          done = true
          resume(result)
        }
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk
          if (typeof ready === "string" ? stdout.includes(ready) : ready(stdout)) finish(Effect.succeed(stdout))
        })
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
        child.once("close", (code) => finish(Effect.fail(new BinExited({ code, stdout, stderr }))))
      })
    )
  )
