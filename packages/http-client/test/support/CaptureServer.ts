/**
 * A loopback HTTP server (node:http on 127.0.0.1, an OS-chosen port) that records every request byte for
 * byte and answers with whatever the current responder says. Both clients of the differential suite talk
 * to it; nothing leaves the machine.
 */
import { Context, Effect, Layer, type Scope } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** One request as it arrived on the socket. */
export interface Captured {
  readonly method: string
  /** The request target exactly as sent (`/v1/tags/list?resourceArn=arn%3A...`). */
  readonly target: string
  readonly path: string
  /** The raw query string, without `?` (`""` when there is none). */
  readonly rawQuery: string
  /** Header names lower-cased by node; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** What the server answers: status, headers, body (a string is sent as UTF-8); or it resets the connection. */
export interface Canned {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  /** Drop the connection instead of answering (the client sees a reset). */
  readonly reset?: boolean
}

export type Responder = (request: Captured) => Canned

/** The running server. */
export interface Service {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly requests: Effect.Effect<ReadonlyArray<Captured>>
  /** Forgets the recorded requests and sets how the next ones are answered. */
  readonly reset: (responder: Responder) => Effect.Effect<void>
}

export class CaptureServer extends Context.Tag("test/CaptureServer")<CaptureServer, Service>() {}

const headerRecord = (headers: Http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = typeof value === "string" ? value : value.join(", ")
  }
  return out
}

const emptyOk: Responder = () => ({ status: 200, headers: { "content-type": "application/json" }, body: "{}" })

/** Starts the server for the scope; closes it (and any kept-alive sockets) when the scope ends. */
export const make: Effect.Effect<Service, never, Scope.Scope> = Effect.gen(function*() {
  // Plain mutable state: node calls the handler outside Effect, and a test runs one request at a time.
  let recorded: Array<Captured> = []
  let responder: Responder = emptyOk
  const server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const target = req.url ?? ""
      const q = target.indexOf("?")
      const captured: Captured = {
        method: req.method ?? "",
        target,
        path: q < 0 ? target : target.slice(0, q),
        rawQuery: q < 0 ? "" : target.slice(q + 1),
        headers: headerRecord(req.headers),
        body: new Uint8Array(Buffer.concat(chunks))
      }
      recorded.push(captured)
      const answer = responder(captured)
      if (answer.reset === true) {
        req.socket.resetAndDestroy()
        return
      }
      const body = answer.body ?? ""
      res.writeHead(answer.status, { "content-length": String(Buffer.byteLength(body)), ...answer.headers })
      res.end(body)
    })
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address: AddressInfo | string | null = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  return {
    url: `http://127.0.0.1:${port}`,
    requests: Effect.sync(() => [...recorded]),
    reset: (next) =>
      Effect.sync(() => {
        recorded = []
        responder = next
      })
  }
})

/** A loopback URL nobody listens on: a port the OS handed out, then closed again (connections are refused). */
export const refusedUrl: Effect.Effect<string> = Effect.async<string>((resume) => {
  const probe = Http.createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address: AddressInfo | string | null = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(`http://127.0.0.1:${port}`)))
  })
})

/** The server as a layer, shared by the tests of a `layer(...)` block. */
export const layer: Layer.Layer<CaptureServer> = Layer.scoped(CaptureServer, make)
