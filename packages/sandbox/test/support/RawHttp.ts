/**
 * HTTP/1.1 over a bare TCP socket, for the hardening tests: any `Host`, a `Content-Length` that lies, a
 * body sent in parts, late or never. Signing is AWS's signer (`@smithy/signature-v4`), nothing from the
 * code under test.
 */
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import { Clock, Duration, Effect, Schema } from "effect"
import * as Net from "node:net"
import { sandboxKeys } from "./SignedClient.js"

/** What came back: the parsed answer (if one arrived) and whether the server closed the connection. */
export interface RawResponse {
  readonly status: number | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The server ended or destroyed the connection. */
  readonly closed: boolean
  /** Milliseconds from the first byte written to the answer (or the close). */
  readonly elapsedMillis: number
}

/** A part of the request to write, or a pause before the next part. */
export type Part = string | Uint8Array | { readonly pauseMillis: number }

export class RawTimeout extends Schema.TaggedError<RawTimeout>()("RawTimeout", { waitedMillis: Schema.Number }) {}

const parse = (raw: Buffer): { status: number; headers: Record<string, string>; body: Buffer } | undefined => {
  const end = raw.indexOf("\r\n\r\n")
  if (end === -1) return undefined
  const [statusLine = "", ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n")
  const status = Number(statusLine.split(" ")[1])
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(":")
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers, body: raw.subarray(end + 4) }
}

/**
 * Writes `parts` to `127.0.0.1:port` (pausing where asked) and answers as soon as a whole response has
 * arrived (by its `content-length`), or the connection closed, or `waitMillis` passed (`RawTimeout`).
 * Writing stops once the server has answered or closed, as a client would.
 */
export const exchange = (port: number, parts: ReadonlyArray<Part>, waitMillis = 5000) =>
  Effect.async<RawResponse, RawTimeout>((resume) => {
    const started = Date.now()
    const socket = Net.connect({ host: "127.0.0.1", port })
    let received = Buffer.alloc(0)
    let done = false
    const finish = (closed: boolean) => {
      if (done) return
      const parsed = parse(received)
      done = true
      clearTimeout(timer)
      socket.destroy()
      resume(Effect.succeed({
        status: parsed?.status,
        headers: parsed?.headers ?? {},
        body: parsed?.body.toString("utf8") ?? "",
        closed,
        elapsedMillis: Date.now() - started
      }))
    }
    const timer = setTimeout(() => {
      if (done) return
      done = true
      socket.destroy()
      resume(Effect.fail(new RawTimeout({ waitedMillis: waitMillis })))
    }, waitMillis)
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const parsed = parse(received)
      const length = Number(parsed?.headers["content-length"] ?? Number.NaN)
      if (parsed !== undefined && parsed.body.length >= length) {
        // Whole answer: wait a moment for the close that `connection: close` promises.
        if (parsed.headers["connection"] === "close") socket.once("close", () => finish(true))
        else finish(false)
      }
    })
    socket.on("close", () => finish(true))
    socket.on("error", () => finish(true))
    const write = async () => {
      for (const part of parts) {
        if (done || socket.destroyed) return
        if (typeof part === "object" && "pauseMillis" in part) {
          await new Promise((resolve) => setTimeout(resolve, part.pauseMillis))
        } else {
          socket.write(part)
        }
      }
    }
    socket.on("connect", () => void write())
    return Effect.sync(() => {
      done = true
      clearTimeout(timer)
      socket.destroy()
    })
  })

/** The request line and headers, ready to write. */
export const head = (method: string, path: string, headers: Readonly<Record<string, string>>): string =>
  [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), "", ""].join(
    "\r\n"
  )

/** Options of `signedHeaders`. */
export interface SignOptions {
  readonly host: string
  readonly body?: string | Uint8Array
  /** Extra headers, signed with the rest. */
  readonly headers?: Readonly<Record<string, string>>
}

/** The headers of a request signed with the sandbox keys (`host` is signed as given). */
export const signedHeaders = (method: string, path: string, options: SignOptions) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const signer = new SignatureV4({
      credentials: sandboxKeys,
      region: "us-east-1",
      service: "social-messaging",
      sha256: Hash.bind(null, "sha256")
    })
    const [hostname = "", port] = options.host.split(":")
    const signed = yield* Effect.orDie(Effect.tryPromise(() =>
      signer.sign({
        method,
        protocol: "http:",
        hostname,
        ...(port === undefined ? {} : { port: Number(port) }),
        path,
        headers: { host: options.host, ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body })
      }, { signingDate: new Date(now) })
    ))
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(signed.headers)) headers[name] = value
    return headers
  })

/** A pause between parts. */
export const pause = (duration: Duration.DurationInput): Part => ({ pauseMillis: Duration.toMillis(duration) })
