/**
 * Builds a `Session` (see `Session.ts`): the `SocialMessaging` service for the global options, with the
 * `--debug` and `--dry-run` transports, over AWS's configuration sources or the embedded sandbox.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Context, Effect, Layer, Option, Ref, type Scope } from "effect"
import { ExitCode, exitCodes, InputError } from "./CliError.js"
import { CliEnvironment } from "./Environment.js"
import * as Output from "./Output.js"
import * as SandboxHost from "./SandboxHost.js"
import type { GlobalOptions, Session, SessionError } from "./SessionTypes.js"
import * as Transport from "./Transport.js"

/** Builds the session for the global options; the sandbox (with `--sandbox`) lives as long as the scope. */
export const make = (
  global: GlobalOptions
): Effect.Effect<Session, SessionError, CliEnvironment | FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    // The sandbox has its own endpoint and keys: an endpoint or a profile given with it would be ignored.
    const ignored = [
      ...(Option.isSome(global.endpointUrl) ? ["--endpoint-url"] : []),
      ...(Option.isSome(global.profile) ? ["--profile"] : [])
    ]
    if (global.sandbox && ignored.length > 0) {
      return yield* new InputError({
        detail: `--sandbox cannot be combined with ${ignored.join(" or ")}: the embedded sandbox has its own ` +
          `endpoint and keys; drop --sandbox to use ${ignored.join(" and ")}, or drop ${ignored.join(" and ")}`
      })
    }
    const environment = yield* CliEnvironment
    const recorded = yield* Ref.make(Option.none<Transport.ShownRequest>())
    const transport = global.dryRun
      ? Layer.succeed(HttpClient.HttpClient, Transport.dryRunClient(recorded))
      : environment.httpClient
    const http = global.debug
      ? Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, Transport.withDebugTrace)).pipe(
        Layer.provide(transport)
      )
      : transport
    // A dry run must not retry a request it never sent.
    const maxAttempts = global.dryRun ? 1 : undefined
    const service = global.sandbox
      ? yield* Effect.map(SandboxHost.start({ port: 0 }), (sandbox) =>
        SocialMessaging.layer({
          region: Option.getOrElse(global.region, () => sandbox.region),
          endpoint: sandbox.url,
          maxAttempts
        }).pipe(
          Layer.provide(
            AwsCredentials.layerStatic(
              AwsCredentials.makeCredentials({
                accessKeyId: sandbox.accessKeyId,
                secretAccessKey: sandbox.secretAccessKey
              })
            )
          )
        ))
      : SocialMessaging.layerConfig({
        region: Option.getOrUndefined(global.region),
        profile: Option.getOrUndefined(global.profile),
        endpoint: Option.getOrUndefined(global.endpointUrl),
        maxAttempts
      }).pipe(Layer.provide(AwsCredentials.layerDefault({ profile: Option.getOrUndefined(global.profile) })))
    const context = yield* Layer.build(service.pipe(Layer.provide(http)))
    const client = Context.get(context, SocialMessaging.SocialMessaging)
    const printRecorded = <E>(error: E): Effect.Effect<never, E | ExitCode> =>
      Effect.flatMap(Ref.get(recorded), (request): Effect.Effect<never, E | ExitCode> =>
        Option.isNone(request)
          ? Effect.fail(error)
          : Output.printDocument(global.output, request.value, "Dry run: the request that would be sent").pipe(
            Effect.zipRight(Effect.fail(new ExitCode({ code: exitCodes.success })))
          ))
    const run = <A, E>(call: Effect.Effect<A, E>): Effect.Effect<A, E | ExitCode> =>
      global.dryRun ? Effect.catchAll(call, printRecorded) : call
    return { client, global, run }
  })
