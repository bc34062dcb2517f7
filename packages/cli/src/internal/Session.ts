/**
 * The global options every command takes (`--region`, `--profile`, `--endpoint-url`, `--output`,
 * `--dry-run`, `--debug`, `--sandbox`) and the client session they configure: the `SocialMessaging`
 * service over AWS's standard configuration sources, or over the embedded sandbox.
 *
 * The session itself is built by `SessionLive`, imported when a command runs: the HTTP client, the
 * signer and the endpoint rules are not loaded for `--help` or a parse error.
 */
import { Options } from "@effect/cli"
import type * as FileSystem from "@effect/platform/FileSystem"
import { Effect, type Scope } from "effect"
import { describeCause, LoadError } from "./CliError.js"
import type { CliEnvironment } from "./Environment.js"
import * as Output from "./Output.js"
import type { GlobalOptions, Session, SessionError } from "./SessionTypes.js"

export type { GlobalOptions, Session, SessionError } from "./SessionTypes.js"

/** The global options, accepted by every AWS command (after the command name; `Cli.main` moves those before it). */
export const globalOptions: Options.Options<GlobalOptions> = Options.all({
  region: Options.text("region").pipe(
    Options.withPseudoName("REGION"),
    Options.withDescription("AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region)."),
    Options.optional
  ),
  profile: Options.text("profile").pipe(
    Options.withPseudoName("NAME"),
    Options.withDescription("Shared-config profile for credentials and region (default: AWS_PROFILE)."),
    Options.optional
  ),
  endpointUrl: Options.text("endpoint-url").pipe(
    Options.withPseudoName("URL"),
    Options.withDescription(
      "Send requests to this URL (default: AWS_ENDPOINT_URL_SOCIALMESSAGING, AWS_ENDPOINT_URL, then the region's endpoint)."
    ),
    Options.optional
  ),
  output: Options.choice("output", Output.formats).pipe(
    Options.withDescription(
      "Output format: json (the API's member names), table or text. Secrets always show as <redacted>."
    ),
    Options.withDefault("json")
  ),
  dryRun: Options.boolean("dry-run").pipe(
    Options.withDescription(
      "Validate the input and print the signed request (secrets and signature redacted); send nothing."
    )
  ),
  debug: Options.boolean("debug").pipe(
    Options.withDescription("Trace requests and responses on standard error (secrets redacted).")
  ),
  sandbox: Options.boolean("sandbox").pipe(
    Options.withDescription(
      "Start the embedded sandbox on 127.0.0.1 (a random port) for this command and use it, with its documented keys."
    )
  )
})

/**
 * The global options' names (keep in step with `globalOptions`): those taking a value, and switches.
 * `Cli.main` moves them from before the command to after it (`GlobalArgs.hoist`).
 */
export const globalOptionNames: {
  readonly valued: ReadonlyArray<string>
  readonly switches: ReadonlyArray<string>
} = {
  valued: ["--region", "--profile", "--endpoint-url", "--output"],
  switches: ["--dry-run", "--debug", "--sandbox"]
}

/** Builds the session for the global options; the sandbox (with `--sandbox`) lives as long as the scope. */
export const make = (
  global: GlobalOptions
): Effect.Effect<Session, SessionError, CliEnvironment | FileSystem.FileSystem | Scope.Scope> =>
  Effect.flatMap(
    Effect.tryPromise({
      try: () => import("./SessionLive.js"),
      catch: (cause) => new LoadError({ what: "the AWS session (SessionLive)", detail: describeCause(cause) })
    }),
    (live) => live.make(global)
  )
