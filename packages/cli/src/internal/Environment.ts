/**
 * What the CLI needs from the process beyond @effect/platform's services: whether standard input is a
 * terminal, standard input itself, and the HTTP transport (a layer, built only when a command calls AWS,
 * so `--help` never loads an HTTP stack). `bin.ts` provides the Node versions; tests provide fakes.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Context, Effect, Layer } from "effect"
import * as Tty from "node:tty"
import { InputError, type LoadError } from "./CliError.js"

/** The process around the CLI. */
export interface Service {
  /** Standard input is a terminal, so prompts can be answered. */
  readonly stdinIsTTY: boolean
  /** The whole of standard input, as text (read once; later reads get the same text). */
  readonly readStdin: Effect.Effect<string, InputError>
  /** The HTTP client to reach AWS (or the sandbox) with; loading it may fail (an incomplete install). */
  readonly httpClient: Layer.Layer<HttpClient.HttpClient, LoadError>
}

/** The process around the CLI. */
export class CliEnvironment extends Context.Tag("@social-messaging/cli/CliEnvironment")<CliEnvironment, Service>() {}

/** Reads a Node readable stream to its end as UTF-8 text. */
const readAll = (stream: NodeJS.ReadableStream): Effect.Effect<string, InputError> =>
  Effect.async<string, InputError>((resume) => {
    const chunks: Array<Buffer> = []
    const onData = (chunk: Buffer | string) => {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)
    }
    const onEnd = () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8")))
    const onError = (error: Error) =>
      resume(Effect.fail(new InputError({ detail: `cannot read standard input: ${error.message}` })))
    stream.on("data", onData)
    stream.once("end", onEnd)
    stream.once("error", onError)
    return Effect.sync(() => {
      stream.off("data", onData)
      stream.off("end", onEnd)
      stream.off("error", onError)
    })
  })

/**
 * The Node process: `process.stdin`, and the given HTTP client layer. Standard input is opened only when a
 * command reads it (`process.stdin` makes a stream, for a pipe a socket: a few ms of every start).
 */
export const layerNode = (httpClient: Layer.Layer<HttpClient.HttpClient, LoadError>): Layer.Layer<CliEnvironment> =>
  Layer.effect(
    CliEnvironment,
    Effect.map(Effect.cached(Effect.suspend(() => readAll(process.stdin))), (readStdin) =>
      CliEnvironment.of({
        stdinIsTTY: Tty.isatty(0),
        readStdin,
        httpClient
      }))
  )
