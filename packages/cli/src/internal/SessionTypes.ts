/**
 * What a command sees of its session: the global options, the configured client, and why building one can
 * fail. Its own module so that `Session` (the options, loaded for every command) and `SessionLive` (the build,
 * imported on demand) both depend on it, and not on each other.
 */
import type * as Errors from "@social-messaging/domain/Errors"
import type * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import type { Effect, Option } from "effect"
import type { ExitCode, InputError, LoadError } from "./CliError.js"
import type * as Output from "./Output.js"
import type * as SandboxHost from "./SandboxHost.js"

/** The global options. */
export interface GlobalOptions {
  readonly region: Option.Option<string>
  readonly profile: Option.Option<string>
  readonly endpointUrl: Option.Option<string>
  readonly output: Output.Format
  readonly dryRun: boolean
  readonly debug: boolean
  readonly sandbox: boolean
}

/** A configured client, and what `--dry-run` recorded. */
export interface Session {
  readonly client: SocialMessaging.Service
  readonly global: GlobalOptions
  /**
   * Runs a call. With `--dry-run`, the first request it tries to send is printed instead, and the command
   * ends there with exit code 0 (`ExitCode`).
   */
  readonly run: <A, E>(call: Effect.Effect<A, E>) => Effect.Effect<A, E | ExitCode>
}

/** Why a session could not be built. */
export type SessionError =
  | Errors.ConfigurationError
  | Errors.CredentialsError
  | SandboxHost.SandboxStartError
  | InputError
  | LoadError
