/**
 * Soak of `social-messaging sandbox serve` (issue 16): 100,000 requests, and the server's RSS after a
 * warm-up and at the end, which must stay flat (within ±10%). A script, not a test.
 *
 * ```sh
 * npx tsx --conditions=@social-messaging/source bench/soak-sandbox.ts [--requests 100000] [--warmup 10000]
 *   [--concurrency 8] [--via source|bin]
 * ```
 * `--via source` (default) runs the CLI from its TypeScript sources (`node --import tsx`), so it measures
 * the code as it is; `--via bin` runs `packages/cli/bin/social-messaging.js` (the bundle when built).
 *
 * The workload, per ten requests: four ListLinkedWhatsAppBusinessAccounts, a GetLinkedWhatsAppBusinessAccount,
 * a TagResource and an UntagResource on the linked WABA (20 keys in turn, so the tags stay bounded), one
 * request without a signature (403), one naming a foreign Host (403, DNS rebinding), one unknown route
 * (404); every thousandth also declares a body over the cap (413, connection closed). Each request is
 * signed when sent, with AWS's signer, over keep-alive connections.
 */
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import { type ChildProcess, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

// =============================================================================
// Options
// =============================================================================

const argv = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] ?? fallback : fallback
}
const requests = Number(option("requests", "100000"))
const warmup = Number(option("warmup", String(Math.round(requests / 10))))
const concurrency = Number(option("concurrency", "8"))
const via = option("via", "source")

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const keys = { accessKeyId: "AKIASANDBOX000000001", secretAccessKey: "sandbox-secret-access-key-do-not-use-in-aws" }
const signer = new SignatureV4({
  credentials: keys,
  region: "us-east-1",
  service: "social-messaging",
  sha256: Hash.bind(null, "sha256")
})

// =============================================================================
// The server
// =============================================================================

const startServer = (): Promise<{ readonly child: ChildProcess; readonly port: number }> => {
  const args = via === "bin"
    ? [Path.join(root, "packages/cli/bin/social-messaging.js")]
    : ["--conditions=@social-messaging/source", "--import", "tsx", Path.join(root, "packages/cli/src/bin.ts")]
  const child = spawn(process.execPath, [...args, "sandbox", "serve", "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"]
  })
  return new Promise((resolve, reject) => {
    let out = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (match !== null) resolve({ child, port: Number(match[1]) })
    })
    child.on("exit", (code) => reject(new Error(`sandbox serve exited (${code}) before listening:\n${out}`)))
  })
}

/** Resident set size of a process, in KiB (Linux `/proc`, else `ps`). */
const rssKiB = (pid: number): Promise<number> => {
  const status = `/proc/${pid}/status`
  if (Fs.existsSync(status)) {
    const match = /VmRSS:\s+(\d+) kB/.exec(Fs.readFileSync(status, "utf8"))
    return Promise.resolve(Number(match?.[1] ?? Number.NaN))
  }
  return new Promise((resolve) => {
    const ps = spawn("ps", ["-o", "rss=", "-p", String(pid)])
    let out = ""
    ps.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")))
    ps.on("exit", () => resolve(Number(out.trim())))
  })
}

// =============================================================================
// Requests
// =============================================================================

interface Request {
  readonly method: string
  readonly path: string
  readonly query?: Readonly<Record<string, string>>
  readonly body?: string
  /** Signed with this Host instead of the server's. */
  readonly host?: string
  readonly unsigned?: boolean
  /** Declared Content-Length, with only the first bytes sent. */
  readonly declaredLength?: number
}

interface Answer {
  readonly status: number
  readonly body: string
}

const agent = new Http.Agent({ keepAlive: true, maxSockets: concurrency })

const send = async (port: number, request: Request): Promise<Answer> => {
  const host = request.host ?? `127.0.0.1:${port}`
  const query = new URLSearchParams(request.query ?? {}).toString()
  let headers: Record<string, string> = {
    host,
    ...(request.body === undefined ? {} : { "content-type": "application/json" })
  }
  if (request.unsigned !== true) {
    const signed = await signer.sign({
      method: request.method,
      protocol: "http:",
      hostname: host.split(":")[0] ?? "",
      port,
      path: request.path,
      query: { ...request.query },
      headers,
      ...(request.body === undefined ? {} : { body: request.body })
    })
    headers = { ...signed.headers }
  }
  const body = request.body ?? ""
  headers["content-length"] = String(request.declaredLength ?? Buffer.byteLength(body))
  return new Promise((resolve, reject) => {
    const req = Http.request({
      host: "127.0.0.1",
      port,
      method: request.method,
      path: request.path + (query === "" ? "" : `?${query}`),
      headers,
      agent,
      setHost: false
    }, (res) => {
      let text = ""
      res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")))
      res.on("end", () => {
        // A refused upload is never finished: drop its socket rather than leave it half-written.
        if (request.declaredLength !== undefined) req.destroy()
        resolve({ status: res.statusCode ?? 0, body: text })
      })
      res.on("error", reject)
    })
    req.on("error", reject)
    if (request.declaredLength === undefined) req.end(body)
    else req.write(body) // the rest never comes: the server answers 413 from the declared length
  })
}

const expectStatus = async (port: number, request: Request, status: number): Promise<Answer> => {
  const answer = await send(port, request)
  if (answer.status !== status) {
    throw new Error(`${request.method} ${request.path}: expected ${status}, got ${answer.status}: ${answer.body}`)
  }
  return answer
}

const jsonField = (text: string, ...path: ReadonlyArray<string>): string => {
  let value: unknown = JSON.parse(text)
  for (const key of path) {
    value = typeof value === "object" && value !== null ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined
  }
  if (typeof value !== "string") throw new Error(`no ${path.join(".")} in ${text}`)
  return value
}

/** Links "Example Clinic" (step 1, step 2) and answers its WABA id and ARN. */
const linkWaba = async (port: number): Promise<{ readonly id: string; readonly arn: string }> => {
  const signup = "/v1/whatsapp/signup"
  const step1 = await expectStatus(port, {
    method: "POST",
    path: signup,
    body: JSON.stringify({ signupCallback: { accessToken: "sandbox-meta-token-one-waba" } })
  }, 200)
  const token = jsonField(step1.body, "signupCallbackResult", "associateInProgressToken")
  const step2 = await expectStatus(port, {
    method: "POST",
    path: signup,
    body: JSON.stringify({
      setupFinalization: {
        associateInProgressToken: token,
        phoneNumbers: [{ id: "200000000000031", twoFactorPin: "123456" }]
      }
    })
  }, 200)
  const id = jsonField(step2.body, "linkedWhatsAppBusinessAccountId")
  const details = await expectStatus(port, { method: "GET", path: "/v1/whatsapp/waba/details", query: { id } }, 200)
  return { id, arn: jsonField(details.body, "account", "arn") }
}

/** The i-th request of the workload and the status it must get. */
const workload = (i: number, waba: { readonly id: string; readonly arn: string }): readonly [Request, number] => {
  if (i % 1000 === 999) {
    return [{
      method: "POST",
      path: "/v1/tags/tag-resource",
      body: "{\"resourceArn\":",
      declaredLength: 64 * 1024 * 1024
    }, 413]
  }
  const key = `soak-${i % 20}`
  switch (i % 10) {
    case 4:
      return [{ method: "GET", path: "/v1/whatsapp/waba/details", query: { id: waba.id } }, 200]
    case 5:
      return [{
        method: "POST",
        path: "/v1/tags/tag-resource",
        body: JSON.stringify({ resourceArn: waba.arn, tags: [{ key, value: String(i) }] })
      }, 200]
    case 6:
      return [{
        method: "POST",
        path: "/v1/tags/untag-resource",
        body: JSON.stringify({ resourceArn: waba.arn, tagKeys: [`soak-${(i + 7) % 20}`] })
      }, 200]
    case 7:
      return [{ method: "GET", path: "/v1/whatsapp/waba/list", unsigned: true }, 403]
    case 8:
      return [{ method: "GET", path: "/v1/whatsapp/waba/list", host: "rebound.attacker.example" }, 403]
    case 9:
      return [{ method: "GET", path: "/v1/nowhere" }, 404]
    default:
      return [{ method: "GET", path: "/v1/whatsapp/waba/list", query: { maxResults: "10" } }, 200]
  }
}

// =============================================================================
// Run
// =============================================================================

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`

const main = async () => {
  const { child, port } = await startServer()
  const pid = child.pid ?? 0
  try {
    const waba = await linkWaba(port)
    const samples: Array<{ readonly done: number; readonly kib: number; readonly seconds: number }> = []
    const started = performance.now()
    let next = 0
    let done = 0
    let sampling = Promise.resolve()
    const sampleEvery = Math.max(1, Math.round(requests / 10))
    const worker = async () => {
      while (next < requests) {
        const i = next++
        const [request, status] = workload(i, waba)
        await expectStatus(port, request, status)
        done += 1
        if (done === warmup || done % sampleEvery === 0 || done === requests) {
          const at = done
          const seconds = (performance.now() - started) / 1000
          sampling = sampling.then(async () => {
            samples.push({ done: at, kib: await rssKiB(pid), seconds })
          })
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    await sampling
    const seconds = (performance.now() - started) / 1000
    samples.sort((a, b) => a.done - b.done)

    console.log(`sandbox serve (pid ${pid}, via ${via}) on 127.0.0.1:${port}`)
    console.log(
      `${requests} requests, concurrency ${concurrency}, ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)}/s)`
    )
    console.log("")
    console.log("| requests | RSS | elapsed |")
    console.log("| ---: | ---: | ---: |")
    for (const s of samples) console.log(`| ${s.done} | ${mib(s.kib)} | ${s.seconds.toFixed(1)} s |`)
    const atWarmup = samples.find((s) => s.done === warmup)
    const atEnd = samples[samples.length - 1]
    if (atWarmup === undefined || atEnd === undefined) throw new Error("no RSS samples")
    const change = (atEnd.kib - atWarmup.kib) / atWarmup.kib
    const after = samples.filter((s) => s.done >= warmup)
    const peak = Math.max(...after.map((s) => s.kib))
    console.log("")
    console.log(
      `RSS after warm-up (${warmup} requests): ${mib(atWarmup.kib)}; at the end: ${mib(atEnd.kib)} ` +
        `(${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)}%); peak after warm-up ${mib(peak)}`
    )
    const flat = Math.abs(change) <= 0.1
    console.log(flat ? "flat: within ±10%" : "NOT flat: beyond ±10%")
    process.exitCode = flat ? 0 : 1
  } finally {
    agent.destroy()
    child.kill("SIGINT")
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
