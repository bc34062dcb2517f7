/**
 * The embedded sandbox server (`@social-messaging/sandbox`), imported on demand (`--sandbox`,
 * `sandbox serve`) so that no other command loads it.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type { Redacted } from "effect"
import { Effect, Option, Schema, type Scope } from "effect"

/** Where a started sandbox listens, and the documented keys it accepts. */
export interface RunningSandbox {
  readonly url: string
  readonly region: string
  readonly accessKeyId: string
  readonly secretAccessKey: Redacted.Redacted<string>
  /** The seeded Meta access tokens, with what each grants. */
  readonly metaTokens: ReadonlyArray<{ readonly accessToken: string; readonly description: string }>
  /** The seeded data, as lines to print: numbers per token, templates, the S3 stand-in's objects. */
  readonly seed: ReadonlyArray<string>
  /** The read-only outbox of sent messages (unsigned GET, outside the AWS API). */
  readonly outboxUrl: string
  /** The read-only event feed (unsigned GET `?after=N`, outside the AWS API; `sandbox events` reads it). */
  readonly eventsUrl: string
  /** Where events are POSTed as SNS notifications, if anywhere (normalised). */
  readonly deliverEventsTo: string | undefined
  /** How many requests the server has answered so far (its log keeps only the latest). */
  readonly requestCount: Effect.Effect<number>
  /** Set when the server listens beyond loopback: its keys are public. */
  readonly exposureWarning: string | undefined
}

/** The sandbox could not be started. */
export class SandboxStartError extends Schema.TaggedError<SandboxStartError>()("SandboxStartError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot start the sandbox: ${this.detail}`
  }
}

/** Options of `start`. */
export interface StartOptions {
  /** Port; 0 for any free port. */
  readonly port: number
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string
  /** Other names clients may use in `Host` (the server refuses the rest: DNS rebinding). */
  readonly allowedHosts?: ReadonlyArray<string>
  /** A fault plan file (JSON, see the sandbox's `Faults` module). */
  readonly faultPlan?: Option.Option<string>
  /** A loopback URL to POST each event to, as SNS notifications (a user's webhook handler under test). */
  readonly deliverEventsTo?: Option.Option<string>
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : String(error)

/** Starts the sandbox server (on 127.0.0.1 unless told otherwise); it stops when the scope closes. */
export const start = (
  options: StartOptions
): Effect.Effect<RunningSandbox, SandboxStartError, Scope.Scope | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const { Faults, Fixtures, Server } = yield* Effect.tryPromise({
      try: () => import("@social-messaging/sandbox"),
      catch: (cause) => new SandboxStartError({ detail: describe(cause) })
    })
    const faults = yield* Option.match(options.faultPlan ?? Option.none(), {
      onNone: () => Effect.succeed(Faults.none),
      onSome: (path) =>
        Faults.load(path).pipe(Effect.mapError((error) => new SandboxStartError({ detail: error.message })))
    })
    const server = yield* Server.serve({
      port: options.port,
      host: options.host ?? "127.0.0.1",
      allowedHosts: options.allowedHosts,
      faults,
      deliverEventsTo: Option.getOrUndefined(options.deliverEventsTo ?? Option.none())
    }).pipe(
      Effect.mapError((error) =>
        new SandboxStartError({ detail: error._tag === "ServeError" ? describe(error.cause) : error.message })
      )
    )
    const [keys] = server.credentials
    if (keys === undefined) return yield* new SandboxStartError({ detail: "the sandbox accepts no keys" })
    return {
      url: server.url,
      region: server.region,
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      metaTokens: Fixtures.defaultFixtures.map(({ accessToken, description }) => ({ accessToken, description })),
      seed: Fixtures.describeSeed(),
      outboxUrl: `${server.url}${Server.outboxPath}`,
      eventsUrl: `${server.url}${Server.eventsPath}`,
      deliverEventsTo: server.deliverEventsTo,
      requestCount: Effect.zipWith(server.requestLog.get, server.requestLogDropped, (log, dropped) =>
        log.length + dropped),
      exposureWarning: Server.exposureWarning(server.host)
    }
  })
